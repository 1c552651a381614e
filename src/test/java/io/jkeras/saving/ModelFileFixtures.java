package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Concatenate;
import io.jkeras.layers.Conv1D;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Dropout;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.GlobalMaxPooling1D;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The model files tests share: the Java twins of the architectures in {@code
 * src/test/python/saving/keras_model_files.py}, the data both sides compute from the same integer
 * formulas (so no data file travels), and the Python-made files, made once per JVM.
 */
final class ModelFileFixtures {

  /** The architectures: FM (the project's model), its Dense baseline, and a Sequential. */
  static final List<String> ARCHS = List.of("fm", "dense", "sequential");

  static final int TRAIN = 64;
  static final int EVAL = 16;
  static final int STEPS = 20;
  static final int VOCAB = 100;

  private static Path pythonFiles;

  private ModelFileFixtures() {}

  /**
   * Input(int32 20) -> Embedding -> Conv1D -> GlobalMaxPooling1D -> FM or Dense -> Dropout ->
   * Dense.
   */
  static Model tokenModel(boolean fm) {
    KerasTensor tokens = Input.named("tokens", "int32", STEPS);
    KerasTensor x = Embedding.builder(VOCAB, 8).name("embedding").build().apply(tokens);
    x = Conv1D.builder(16, 3).activation("relu").name("conv1d").build().apply(x);
    x = new GlobalMaxPooling1D("global_max_pooling1d").apply(x);
    x =
        fm
            ? FMLayer.builder(8, 4).name("fm_layer").build().apply(x)
            : Dense.builder(8).activation("relu").name("hidden").build().apply(x);
    x = Dropout.builder(0.5).name("dropout").build().apply(x);
    KerasTensor out = Dense.builder(1).activation("sigmoid").name("score").build().apply(x);
    return new Model(List.of(tokens), List.of(out), fm ? "fm_model" : "dense_model");
  }

  /** Input(6) -> Dense(4, relu) -> Dropout(0.1) -> Dense(1, sigmoid). */
  static Sequential sequential() {
    Sequential s = new Sequential("stack");
    s.add(Input.of(6));
    s.add(Dense.builder(4).activation("relu").name("hidden").build());
    s.add(Dropout.builder(0.1).name("drop").build());
    s.add(Dense.builder(1).activation("sigmoid").name("score").build());
    return s;
  }

  /**
   * Two inputs through one shared Dense (a layer with two calls), Concatenate (a call with two
   * inputs), Dropout, Dense: the config forms the other architectures do not have.
   */
  static Model sharedTowers() {
    KerasTensor a = Input.named("a", "float32", 4);
    KerasTensor b = Input.named("b", "float32", 4);
    Dense shared = Dense.builder(3).activation("relu").name("shared").build();
    KerasTensor both = new Concatenate(-1, "concat").apply(shared.apply(a), shared.apply(b));
    KerasTensor x = Dropout.builder(0.2).name("drop").build().apply(both);
    KerasTensor out = Dense.builder(1).activation("sigmoid").name("score").build().apply(x);
    return new Model(List.of(a, b), List.of(out), "two_towers");
  }

  static Model build(String arch) {
    return switch (arch) {
      case "fm" -> tokenModel(true);
      case "dense" -> tokenModel(false);
      case "sequential" -> sequential();
      case "shared" -> sharedTowers();
      default -> throw new IllegalArgumentException(arch);
    };
  }

  /** Token ids {@code (i * 31 + j * 17 + offset) % 100}; Python computes the same. */
  static int[][] tokens(int n, int offset) {
    int[][] x = new int[n][STEPS];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < STEPS; j++) {
        x[i][j] = (i * 31 + j * 17 + offset) % VOCAB;
      }
    }
    return x;
  }

  /** Features {@code ((i * 7 + j * 3 + offset) % 11) / 10 - 0.5} as float32. */
  static float[][] features(int n, int offset) {
    float[][] x = new float[n][6];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 6; j++) {
        x[i][j] = (float) (((i * 7 + j * 3 + offset) % 11) / 10.0 - 0.5);
      }
    }
    return x;
  }

  /** Labels {@code (i * 13) % 7 < 3}. */
  static float[] labels(int n) {
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = (i * 13) % 7 < 3 ? 1f : 0f;
    }
    return y;
  }

  /** Columns {@code from..from+4} of {@link #features}. */
  static float[][] featureColumns(int n, int offset, int from) {
    float[][] all = features(n, offset);
    float[][] x = new float[n][4];
    for (int i = 0; i < n; i++) {
      System.arraycopy(all[i], from, x[i], 0, 4);
    }
    return x;
  }

  static List<HostArray> inputs(String arch, int n, int offset) {
    return switch (arch) {
      case "sequential" -> List.of(HostArray.of(features(n, offset)));
      case "shared" ->
          List.of(
              HostArray.of(featureColumns(n, offset, 0)),
              HostArray.of(featureColumns(n, offset + 1, 2)));
      default -> List.of(HostArray.of(tokens(n, offset)));
    };
  }

  static List<HostArray> trainX(String arch) {
    return inputs(arch, TRAIN, 0);
  }

  static List<HostArray> evalX(String arch) {
    return inputs(arch, EVAL, 5);
  }

  static History fit(Model model, String arch, int epochs) {
    return model.fit(
        trainX(arch), List.of(trainY()), FitOptions.epochs(epochs).batchSize(32).verbose(0));
  }

  static double loss(Model model, String arch) {
    return model.evaluate(trainX(arch), List.of(trainY()), 32).get("loss");
  }

  static HostArray trainY() {
    return HostArray.of(labels(TRAIN));
  }

  static float[] predict(Model model, String arch) {
    FloatNdArray p = model.predict(evalX(arch), 32).get(0);
    float[] v = new float[(int) p.size()];
    p.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  /**
   * The folder of files Python Keras made (keras_model_files.py make): py_ARCH.keras with
   * py_ARCH.pred.f32 and py_ARCH.iter.txt, py_fm.h5 (Keras 3's legacy writer), k2_fm.h5 and
   * k2_seq.h5 (Keras 2 layouts written with h5py) with their predictions.
   */
  static synchronized Path pythonFiles() {
    if (pythonFiles == null) {
      try {
        Path dir = Files.createTempDirectory("jkeras-model-files-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        PythonKeras.runScript("saving/keras_model_files.py", "make", dir.toString());
        pythonFiles = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pythonFiles;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // A leftover temporary folder does no harm.
    }
  }

  // ---- raw arrays shared with Python ---------------------------------------------------------

  static void writeF32(Path p, float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    try {
      Files.write(p, b.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] readF32(Path p) {
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[b.remaining() / 4];
      b.asFloatBuffer().get(v);
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long readLong(Path p) {
    try {
      return Long.parseLong(Files.readString(p).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
    }
    assertTrue(worst <= tolerance, what + ": max abs diff " + worst + " > " + tolerance);
  }
}
