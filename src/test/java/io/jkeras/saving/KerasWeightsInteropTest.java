package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jkeras.backend.HostArray;
import io.jkeras.layers.Activation;
import io.jkeras.layers.Concatenate;
import io.jkeras.layers.Dense;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.testing.Numerics;
import io.jkeras.testing.PythonKeras;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Weight files checked against real Keras 3 (python-interop/.venv): Python loads what Java wrote,
 * Java loads what Python wrote, and h5py reads Java's files cleanly. The Python twins of these
 * models are in src/test/python/saving/architectures.py.
 */
class KerasWeightsInteropTest {

  /** Java and Python run the same float32 math, but kernels may sum in another order. */
  private static final double PREDICTION_TOLERANCE = 1e-6;

  @TempDir Path dir;

  // ---- the Java twins of architectures.py ----------------------------------------------------

  static Model functional() {
    KerasTensor a = Input.named("a", "float32", 4);
    KerasTensor b = Input.named("b", "float32", 3);
    KerasTensor ha = Dense.builder(5).activation("relu").name("tower_a").build().apply(a);
    KerasTensor hb = Dense.builder(2).name("tower_b").build().apply(b);
    KerasTensor c = new Concatenate(-1, "concat").apply(ha, hb);
    KerasTensor s = new Activation("tanh", "squash").apply(c);
    KerasTensor out = Dense.builder(1).activation("sigmoid").name("score").build().apply(s);
    return new Model(List.of(a, b), List.of(out), "two_towers");
  }

  static Sequential sequential() {
    Sequential s = new Sequential("stack");
    s.add(Input.of(6));
    s.add(Dense.builder(4).activation("relu").name("hidden").build());
    s.add(Dense.builder(3).name("middle").build());
    s.add(Dense.builder(2).activation("softmax").name("probs").build());
    return s;
  }

  static Model build(String arch) {
    return arch.equals("functional") ? functional() : sequential();
  }

  static int[] inputDims(String arch) {
    return arch.equals("functional") ? new int[] {4, 3} : new int[] {6};
  }

  // ---- raw little-endian arrays shared with Python -------------------------------------------

  static void writeF32(Path p, float[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    Files.write(p, b.array());
  }

  static float[] readF32(Path p) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return v;
  }

  static long[] readI64(Path p) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    long[] v = new long[b.remaining() / 8];
    b.asLongBuffer().get(v);
    return v;
  }

  static float[] flat(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  static float[] predictFlat(Model m, List<float[]> xs, int n, int[] dims) {
    List<HostArray> inputs = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      float[][] rows = new float[n][dims[i]];
      for (int r = 0; r < n; r++) {
        System.arraycopy(xs.get(i), r * dims[i], rows[r], 0, dims[i]);
      }
      inputs.add(HostArray.of(rows));
    }
    return flat(m.predict(inputs, 32).get(0));
  }

  static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(worst <= tolerance, what + ": max abs diff " + worst + " > " + tolerance);
  }

  // ---- Python loads what Java wrote ----------------------------------------------------------

  @Test
  void kerasLoadsAFunctionalModelJavaWrote() throws IOException {
    // An optimizer group in the file must not bother Keras loading into an uncompiled model.
    kerasLoadsWhatJavaWrote(
        "functional", List.of(StoredArray.ofLongScalar(3), StoredArray.ofFloatScalar(0.001f)));
  }

  @Test
  void kerasLoadsASequentialModelJavaWrote() throws IOException {
    kerasLoadsWhatJavaWrote("sequential", List.of());
  }

  private void kerasLoadsWhatJavaWrote(String arch, List<StoredArray> optimizerState)
      throws IOException {
    int n = 37;
    int[] dims = inputDims(arch);
    Random rnd = new Random(arch.hashCode());
    List<float[]> xs = new ArrayList<>();
    for (int i = 0; i < dims.length; i++) {
      float[] x = Numerics.uniform(rnd, n * dims[i], -2, 2);
      xs.add(x);
      writeF32(dir.resolve("x" + i + ".f32"), x);
    }
    Path file = dir.resolve("java.weights.h5");
    float[] javaPredictions;
    Map<String, float[]> javaWeights = new HashMap<>();
    try (Model m = build(arch)) {
      for (Weight w : m.weights()) {
        w.assign(Numerics.uniform(rnd, (int) w.size(), -1, 1)); // biases too, not just zeros
      }
      for (Layer l : m.layers()) {
        for (int i = 0; i < l.weights().size(); i++) {
          javaWeights.put(l.name() + "_" + i, l.weights().get(i).read());
        }
      }
      javaPredictions = predictFlat(m, xs, n, dims);
      KerasWeightsFile.save(file, m, optimizerState);
    }

    PythonKeras.runScript(
        "saving/keras_loads_java_weights.py",
        file.toString(),
        arch,
        dir.toString(),
        Integer.toString(n));

    for (Map.Entry<String, float[]> e : javaWeights.entrySet()) {
      assertArrayEquals(
          e.getValue(),
          readF32(dir.resolve("w_" + e.getKey() + ".f32")),
          "weight " + e.getKey() + " as Keras loaded it");
    }
    assertEquals(javaWeights.size(), countFiles("w_"), "Keras reports as many weights as Java");
    assertClose(
        javaPredictions,
        readF32(dir.resolve("pred.f32")),
        PREDICTION_TOLERANCE,
        arch + " predictions, Java vs Keras");
  }

  private long countFiles(String prefix) throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    }
  }

  // ---- Java loads what Python wrote ----------------------------------------------------------

  @Test
  void javaLoadsAFunctionalModelPythonTrainedOneAdamStep() throws IOException {
    javaLoadsWhatPythonWrote("functional", "python.weights.h5");
  }

  @Test
  void javaLoadsASequentialModelPythonTrainedOneAdamStep() throws IOException {
    javaLoadsWhatPythonWrote("sequential", "python.weights.h5");
  }

  @Test
  void javaLoadsFloat64DataWithoutTheEmptyGroupsOfWeightlessLayers() throws IOException {
    javaLoadsWhatPythonWrote("functional", "python_f64.weights.h5");
  }

  private void javaLoadsWhatPythonWrote(String arch, String fileName) throws IOException {
    int n = 16;
    PythonKeras.runScript(
        "saving/keras_writes_weights.py", arch, dir.toString(), Integer.toString(n));
    Path file = dir.resolve(fileName);
    int[] dims = inputDims(arch);
    List<float[]> xs = new ArrayList<>();
    for (int i = 0; i < dims.length; i++) {
      xs.add(readF32(dir.resolve("x" + i + ".f32")));
    }
    try (Model m = build(arch)) {
      List<StoredArray> optimizer = KerasWeightsFile.load(file, m);

      // Every weight exactly as Keras had it after its Adam step.
      for (Layer l : m.layers()) {
        List<Weight> ws = l.weights();
        for (int i = 0; i < ws.size(); i++) {
          assertArrayEquals(
              readF32(dir.resolve("w_" + l.name() + "_" + i + ".f32")),
              ws.get(i).read(),
              l.name() + " weight " + i);
        }
      }

      // Adam's variables: iteration, learning rate, then m and v for each trainable weight.
      List<Weight> trainable = m.trainableWeights();
      assertEquals(2 + 2 * trainable.size(), optimizer.size());
      StoredArray iteration = optimizer.get(0);
      assertTrue(iteration.isScalar() && !iteration.isFloat(), iteration.toString());
      assertEquals(1L, iteration.longs()[0]);
      StoredArray learningRate = optimizer.get(1);
      assertTrue(learningRate.isScalar() && learningRate.isFloat(), learningRate.toString());
      assertEquals(0.001f, learningRate.floats()[0]);
      List<String> listing = Files.readAllLines(dir.resolve("opt.txt"));
      assertEquals(optimizer.size(), listing.size());
      for (int i = 0; i < trainable.size(); i++) {
        long[] shape = trainable.get(i).shape().asArray();
        for (int k : new int[] {2 + 2 * i, 3 + 2 * i}) {
          StoredArray slot = optimizer.get(k);
          assertArrayEquals(shape, slot.shape(), "optimizer variable " + k);
          assertArrayEquals(
              readF32(dir.resolve("opt_" + k + ".f32")), slot.floats(), "optimizer variable " + k);
        }
      }
      assertArrayEquals(readI64(dir.resolve("opt_0.i64")), iteration.longs());

      // And the loaded model computes what Keras computed.
      assertClose(
          readF32(dir.resolve("pred.f32")),
          predictFlat(m, xs, n, dims),
          PREDICTION_TOLERANCE,
          arch + " predictions, Keras vs Java");

      // Keras's own group names agree with ours: each vars group names its layer.
      try (HdfFile h = new HdfFile(dir.resolve("python.weights.h5"))) {
        for (KerasWeightsFile.LayerGroup g : KerasWeightsFile.layerGroups(m)) {
          assertEquals(
              g.layer().name(),
              h.getByPath(g.varsPath()).getAttribute("name").getData(),
              "group " + g.group());
        }
        assertEquals(
            KerasWeightsFile.layerGroups(m).size(),
            ((io.jhdf.api.Group) h.getChild("layers")).getChildren().size(),
            "Keras writes one group per layer, weightless ones included");
      }
    }
  }

  // ---- h5py reads what Java wrote ------------------------------------------------------------

  @Test
  void h5pyReadsEveryObjectOfAJavaWrittenFile() throws IOException {
    Path file = dir.resolve("fm.weights.h5");
    KerasTensor x = Input.named("features", "float32", 6);
    KerasTensor h = FMLayer.builder(3, 2).name("fm").build().apply(x);
    h = new Activation("relu", "act").apply(h);
    KerasTensor y = Dense.builder(1).activation("sigmoid").name("out").build().apply(h);
    List<StoredArray> state = new ArrayList<>();
    state.add(StoredArray.ofLongScalar(7));
    state.add(StoredArray.ofFloatScalar(0.001f));
    try (Model m = new Model(List.of(x), List.of(y), "fm_model")) {
      for (Weight w : m.trainableWeights()) {
        long[] shape = w.shape().asArray();
        state.add(StoredArray.ofFloats(shape, new float[(int) w.size()]));
        state.add(StoredArray.ofFloats(shape, new float[(int) w.size()]));
      }
      KerasWeightsFile.save(file, m, state);
    }

    PythonKeras.Result r = PythonKeras.runScript("saving/inspect_h5.py", file.toString());
    assertFalse(r.stderr().toLowerCase().contains("bad object header"), r.stderr());
    List<String> expected =
        new ArrayList<>(
            List.of(
                "G /",
                "G /layers",
                "G /layers/dense",
                "G /layers/dense/vars",
                "A /layers/dense/vars name=out",
                "D /layers/dense/vars/0 float32 3,1",
                "D /layers/dense/vars/1 float32 1",
                "G /layers/fm_layer",
                "G /layers/fm_layer/vars",
                "A /layers/fm_layer/vars name=fm",
                "D /layers/fm_layer/vars/0 float32 6,3",
                "D /layers/fm_layer/vars/1 float32 6,2",
                "D /layers/fm_layer/vars/2 float32 3",
                "G /optimizer",
                "G /optimizer/vars",
                "D /optimizer/vars/0 int64 ",
                "D /optimizer/vars/1 float32 ",
                "D /optimizer/vars/10 float32 1",
                "D /optimizer/vars/11 float32 1"));
    String[] slotShapes = {"6,3", "6,3", "6,2", "6,2", "3", "3", "3,1", "3,1"};
    for (int i = 0; i < slotShapes.length; i++) {
      expected.add("D /optimizer/vars/" + (i + 2) + " float32 " + slotShapes[i]);
    }
    List<String> actual = r.stdout().lines().toList();
    assertEquals(
        expected.stream().sorted().toList(),
        actual.stream().sorted().toList(),
        "h5py's view of the file:\n" + r.stdout());
  }

  @Test
  void aVeryLongLayerNameIsLeftOutOfTheAttributesAndTheFileStaysReadable() throws IOException {
    // jhdf corrupts object headers with string attributes of about 60 kB; a 70,000-character
    // layer name must not reach one.
    Path file = dir.resolve("long.weights.h5");
    String longName = "n".repeat(70_000);
    KerasTensor x = Input.of(3);
    KerasTensor y =
        Dense.builder(2)
            .name(longName)
            .build()
            .apply(Dense.builder(4).name("short").build().apply(x));
    List<float[]> saved = new ArrayList<>();
    try (Model m = new Model(List.of(x), List.of(y), "long_names")) {
      for (Weight w : m.weights()) {
        w.assign(Numerics.uniform(new Random(1), (int) w.size(), -1, 1));
        saved.add(w.read());
      }
      KerasWeightsFile.save(file, m, List.of());
    }
    PythonKeras.Result r = PythonKeras.runScript("saving/inspect_h5.py", file.toString());
    assertEquals(
        List.of(
            "G /",
            "G /layers",
            "G /layers/dense",
            "G /layers/dense/vars",
            "A /layers/dense/vars name=short",
            "D /layers/dense/vars/0 float32 3,4",
            "D /layers/dense/vars/1 float32 4",
            "G /layers/dense_1",
            "G /layers/dense_1/vars",
            "D /layers/dense_1/vars/0 float32 4,2",
            "D /layers/dense_1/vars/1 float32 2"),
        r.stdout().lines().toList());
    KerasTensor x2 = Input.of(3);
    KerasTensor y2 =
        Dense.builder(2)
            .name(longName)
            .build()
            .apply(Dense.builder(4).name("short").build().apply(x2));
    try (Model m = new Model(List.of(x2), List.of(y2), "long_names")) {
      KerasWeightsFile.load(file, m);
      for (int i = 0; i < saved.size(); i++) {
        assertArrayEquals(saved.get(i), m.weights().get(i).read());
      }
    }
  }
}
