package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras masks: Embedding(mask_zero=true) and Masking make them, Dense passes them through, and
 * GlobalAveragePooling1D averages only the unmasked steps. References are computed in double
 * precision here, and Python Keras 3.15.1 predicts the same on the saved file.
 */
class MaskingTest {

  @TempDir Path dir;

  private static final int[][] IDS = {{3, 1, 0, 0, 0}, {2, 2, 7, 9, 4}, {0, 5, 0, 6, 0}};

  @Test
  void embeddingMaskZeroAveragesOnlyRealTokensAsKerasDoes() throws Exception {
    KerasTensor ids = Input.of("int32", 5);
    Embedding embedding = Embedding.builder(10, 4).maskZero(true).build();
    Dense dense = new Dense(2);
    KerasTensor y = dense.apply(new GlobalAveragePooling1D().apply(embedding.apply(ids)));
    Path file = dir.resolve("mask_zero.keras");
    float[][] out;
    try (Model m = new Model(ids, y)) {
      out = m.predict(IDS);
      float[][] table = matrix(embedding.getWeights().get(0));
      float[][] kernel = matrix(dense.getWeights().get(0));
      float[] bias = vector(dense.getWeights().get(1));
      for (int r = 0; r < IDS.length; r++) {
        double[] mean = new double[4];
        int real = 0;
        for (int id : IDS[r]) {
          if (id != 0) {
            real++;
            for (int f = 0; f < 4; f++) {
              mean[f] += table[id][f];
            }
          }
        }
        for (int u = 0; u < 2; u++) {
          double v = bias[u];
          for (int f = 0; f < 4; f++) {
            v += mean[f] / real * kernel[f][u];
          }
          assertEquals(v, out[r][u], 1e-6, "row " + r + " unit " + u);
        }
      }
      m.save(file);
    }
    assertEquals(true, embedding.getConfig().get("mask_zero"));
    // Python Keras loads the file and, honouring the mask, predicts the same.
    PythonKeras.Result r =
        PythonKeras.runCode(
            "import sys, keras, numpy as np\n"
                + "m = keras.saving.load_model(sys.argv[1])\n"
                + "ids = np.array([[3,1,0,0,0],[2,2,7,9,4],[0,5,0,6,0]], 'int32')\n"
                + "print(' '.join(repr(float(v)) for v in m.predict(ids, verbose=0).ravel()))\n",
            file.toString());
    String[] py = r.stdout().trim().lines().reduce((a, b) -> b).get().split(" ");
    for (int i = 0; i < py.length; i++) {
      assertEquals(Double.parseDouble(py[i]), out[i / 2][i % 2], 1e-6, "value " + i);
    }
    try (Model loaded = Model.load(file)) {
      float[][] again = loaded.predict(IDS);
      for (int i = 0; i < IDS.length; i++) {
        assertEquals(out[i][0], again[i][0], 0f);
        assertEquals(out[i][1], again[i][1], 0f);
      }
    }
  }

  @Test
  void maskingHidesAllZeroStepsFromAveragePoolingButNotFromMaxPooling() {
    float[][][] x = {
      {{1, 2, 3}, {0, 0, 0}, {4, -2, 0}, {0, 0, 0}},
      {{0, 0, 0}, {5, 5, 5}, {0, 0, 0}, {-1, 0, 0}},
    };
    KerasTensor in = Input.of(4, 3);
    KerasTensor masked = new Masking().apply(in);
    KerasTensor avg = new GlobalAveragePooling1D().apply(masked);
    KerasTensor max = new GlobalMaxPooling1D().apply(masked);
    try (Model m = new Model(List.of(in), List.of(avg, max))) {
      List<FloatNdArray> out = m.predict(List.of(HostArray.of(x)), 32);
      for (int b = 0; b < 2; b++) {
        for (int f = 0; f < 3; f++) {
          double sum = 0;
          int real = 0;
          double best = Double.NEGATIVE_INFINITY;
          for (float[] step : x[b]) {
            boolean isReal = step[0] != 0 || step[1] != 0 || step[2] != 0;
            if (isReal) {
              sum += step[f];
              real++;
            }
            best = Math.max(best, step[f]); // Keras's GlobalMaxPooling1D ignores masks
          }
          assertEquals(sum / real, out.get(0).getFloat(b, f), 1e-6);
          assertEquals(best, out.get(1).getFloat(b, f), 0);
        }
      }
    }
    assertTrue(new Masking().supportsMasking());
    assertFalse(new GlobalMaxPooling1D().supportsMasking());
    assertEquals(
        -1.0, Masking.fromConfig(Map.of("mask_value", -1.0)).getConfig().get("mask_value"));
  }

  @Test
  void activationLayersPassTheMaskOnAsKerasDoes() {
    assertKeepsMask(new ReLU(), each(v -> Math.max(v, 0)));
    assertKeepsMask(new LeakyReLU(0.3, null), each(v -> v >= 0 ? v : 0.3 * v));
    assertKeepsMask(new ELU(1.0, null), each(v -> v > 0 ? v : Math.expm1(v)));
    assertKeepsMask(PReLU.builder().build(), each(v -> Math.max(v, 0))); // alpha starts at 0
    assertKeepsMask(new Identity(), each(v -> v));
  }

  @Test
  void normalizationLayersPassTheMaskOnAsKerasDoes() {
    assertKeepsMask(LayerNormalization.builder().build(), standardized(4, true));
    // GroupNormalization's statistics take in every step, masked or not, as in Keras.
    assertKeepsMask(GroupNormalization.builder().groups(2).build(), standardized(2, false));
    assertKeepsMask(
        new UnitNormalization(),
        steps(
            v -> {
              double norm = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
              return Arrays.stream(v).map(x -> x / norm).toArray();
            }));
    // Inference: moving mean 0 and variance 1.
    assertKeepsMask(BatchNormalization.builder().build(), each(v -> v / Math.sqrt(1 + 1e-3)));
  }

  @Test
  void rescalingAndNormalizationPassTheMaskOnAsKerasDoes() {
    assertKeepsMask(new Rescaling(2, 1, null), each(v -> 2 * v + 1));
    assertKeepsMask(
        new Normalization(new double[] {0.5}, new double[] {4}), each(v -> (v - 0.5) / 2));
  }

  @Test
  void noiseAndActivityRegularizationPassTheMaskOnAsKerasDoes() {
    // Outside training all three are the identity.
    assertKeepsMask(new GaussianNoise(0.1, null, null), each(v -> v));
    assertKeepsMask(new GaussianDropout(0.1, null, null), each(v -> v));
    assertKeepsMask(new ActivityRegularization(0.01, 0.01), each(v -> v));
  }

  @Test
  void batchNormalizationTakesTrainingStatisticsOverUnmaskedStepsOnly() {
    KerasTensor ids = Input.of("int32", 4);
    Embedding embedding = Embedding.builder(5, 4).maskZero(true).build();
    // Momentum 0: after one step the moving statistics are the batch's.
    BatchNormalization bn = BatchNormalization.builder().momentum(0).build();
    KerasTensor y =
        new Dense(1).apply(new GlobalAveragePooling1D().apply(bn.apply(embedding.apply(ids))));
    try (Model m = new Model(ids, y)) {
      float[][] table = matrix(embedding.getWeights().get(0));
      m.compile(new SGD(0.01), "mean_squared_error");
      m.fit(SHORT_IDS, new float[] {0, 1}, FitOptions.epochs(1).batchSize(2).verbose(0));
      // As Keras's masked moments: the 5 tokens with a non-zero id, not the 8 steps.
      int[] real = {3, 1, 2, 2, 4};
      float[] movingMean = vector(bn.getWeights().get(2));
      float[] movingVariance = vector(bn.getWeights().get(3));
      for (int f = 0; f < 4; f++) {
        double mean = 0;
        for (int id : real) {
          mean += table[id][f] / real.length;
        }
        double variance = 0;
        for (int id : real) {
          variance += (table[id][f] - mean) * (table[id][f] - mean) / real.length;
        }
        assertEquals(mean, movingMean[f], 1e-6, "moving mean " + f);
        assertEquals(variance, movingVariance[f], 1e-6, "moving variance " + f);
      }
    }
  }

  // Keras files may call Softmax with an explicit mask (softmax(scores, mask=m)): masked positions
  // become -1e9 before the softmax and 0 after. jkeras refused such files.
  @Test
  void softmaxWithAnExplicitMaskArgumentLoadsFromKerasAndSavesForIt() throws Exception {
    float[][][] x = {
      {{0.5f, -1, 2, 0.1f}, {1, 1, 1, 1}, {-3, 0.2f, 0.7f, 4}},
      {{2, -2, 0, 1.5f}, {0.3f, 0.3f, -0.9f, 2.2f}, {1, 0, -1, 0.5f}}
    };
    // Row 1 of sample 0 is masked entirely: Keras gives zeros there, not a uniform row.
    int[][][] keep = {
      {{1, 0, 1, 1}, {0, 0, 0, 0}, {1, 1, 0, 1}},
      {{0, 1, 1, 1}, {1, 1, 1, 0}, {1, 0, 0, 0}}
    };
    Path pyFile = dir.resolve("py_softmax_mask.keras");
    Path javaFile = dir.resolve("java_softmax_mask.keras");
    String predict =
        "x = np.array("
            + Arrays.deepToString(x)
            + ", 'float32')\n"
            + "k = np.array("
            + Arrays.deepToString(keep)
            + ", 'int32')\n"
            + "print(' '.join(repr(float(v)) for v in m.predict([x, k], verbose=0).ravel()))\n";
    String made =
        PythonKeras.runCode(
                "import sys, keras, numpy as np\n"
                    + "x = keras.Input((3, 4), name='x')\n"
                    + "k = keras.Input((3, 4), dtype='int32', name='k')\n"
                    + "y = keras.layers.Softmax(name='masked')(x, mask=k)\n"
                    + "m = keras.Model([x, k], y)\n"
                    + "m.save(sys.argv[1])\n"
                    + predict,
                pyFile.toString())
            .stdout();
    String[] keras = made.trim().lines().reduce((a, b) -> b).get().split(" ");
    assertEquals(24, keras.length);
    float[] flatX = new float[24];
    int[] flatKeep = new int[24];
    for (int i = 0; i < 24; i++) {
      flatX[i] = x[i / 12][i / 4 % 3][i % 4];
      flatKeep[i] = keep[i / 12][i / 4 % 3][i % 4];
    }
    List<HostArray> feed =
        List.of(
            HostArray.ofFloats(org.tensorflow.ndarray.Shape.of(2, 3, 4), flatX),
            HostArray.ofInts(org.tensorflow.ndarray.Shape.of(2, 3, 4), flatKeep));
    try (Model loaded = Model.load(pyFile)) {
      float[] got = new float[24];
      loaded
          .predict(feed, 8)
          .get(0)
          .copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(got, false, false));
      for (int r = 0; r < 6; r++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < 4; j++) {
          max = Math.max(max, flatKeep[r * 4 + j] == 1 ? flatX[r * 4 + j] : -1e9);
        }
        double sum = 0;
        for (int j = 0; j < 4; j++) {
          sum += Math.exp((flatKeep[r * 4 + j] == 1 ? flatX[r * 4 + j] : -1e9) - max);
        }
        for (int j = 0; j < 4; j++) {
          int i = r * 4 + j;
          double expected = flatKeep[i] == 1 ? Math.exp(flatX[i] - max) / sum : 0;
          assertEquals(expected, got[i], 1e-6, "value " + i);
          assertEquals(Double.parseDouble(keras[i]), got[i], 1e-6, "Keras value " + i);
        }
      }
      loaded.save(javaFile);
    }
    String[] again =
        PythonKeras.runCode(
                "import sys, keras, numpy as np\nm = keras.saving.load_model(sys.argv[1])\n"
                    + predict,
                javaFile.toString())
            .stdout()
            .trim()
            .lines()
            .reduce((a, b) -> b)
            .get()
            .split(" ");
    assertEquals(Arrays.asList(keras), Arrays.asList(again));
  }

  private static final int[][] SHORT_IDS = {{3, 1, 0, 0}, {0, 2, 2, 4}};

  /**
   * Runs ids -> Embedding(mask_zero) -> {@code layer} -> GlobalAveragePooling1D and checks each
   * output against the mean of {@code sample} (the layer on one embedded sample of 4 steps, in
   * double precision) over the steps of non-zero ids only: the mask must reach the pooling through
   * {@code layer}, as Keras 3.15.1 passes it (its layer sets supports_masking = True).
   */
  private static void assertKeepsMask(Layer layer, UnaryOperator<double[][]> sample) {
    KerasTensor ids = Input.of("int32", 4);
    Embedding embedding = Embedding.builder(5, 4).maskZero(true).build();
    KerasTensor y = new GlobalAveragePooling1D().apply(layer.apply(embedding.apply(ids)));
    try (Model m = new Model(ids, y)) {
      float[][] out = m.predict(SHORT_IDS);
      float[][] table = matrix(embedding.getWeights().get(0));
      for (int r = 0; r < SHORT_IDS.length; r++) {
        double[][] x = new double[4][4];
        for (int t = 0; t < 4; t++) {
          for (int f = 0; f < 4; f++) {
            x[t][f] = table[SHORT_IDS[r][t]][f];
          }
        }
        double[][] v = sample.apply(x);
        double[] mean = new double[4];
        int real = 0;
        for (int t = 0; t < 4; t++) {
          if (SHORT_IDS[r][t] != 0) {
            real++;
            for (int f = 0; f < 4; f++) {
              mean[f] += v[t][f];
            }
          }
        }
        for (int f = 0; f < 4; f++) {
          assertEquals(mean[f] / real, out[r][f], 1e-5, layer.className() + " row " + r + " " + f);
        }
      }
    }
  }

  /** The layer applied step by step. */
  private static UnaryOperator<double[][]> steps(UnaryOperator<double[]> step) {
    return x -> Arrays.stream(x).map(step).toArray(double[][]::new);
  }

  /** The layer applied value by value. */
  private static UnaryOperator<double[][]> each(DoubleUnaryOperator f) {
    return steps(v -> Arrays.stream(v).map(f).toArray());
  }

  /**
   * (v - mean) / sqrt(variance + 1e-3), the statistics over every step and each consecutive group
   * of {@code size} features (all features and one step at a time: LayerNormalization).
   */
  private static UnaryOperator<double[][]> standardized(int size, boolean perStep) {
    return x -> {
      double[][] out = new double[x.length][x[0].length];
      for (int t0 = 0; t0 < x.length; t0 += perStep ? 1 : x.length) {
        int t1 = perStep ? t0 + 1 : x.length;
        for (int g = 0; g < x[0].length; g += size) {
          int n = (t1 - t0) * size;
          double mean = 0;
          double var = 0;
          for (int t = t0; t < t1; t++) {
            for (int i = g; i < g + size; i++) {
              mean += x[t][i] / n;
            }
          }
          for (int t = t0; t < t1; t++) {
            for (int i = g; i < g + size; i++) {
              var += (x[t][i] - mean) * (x[t][i] - mean) / n;
            }
          }
          for (int t = t0; t < t1; t++) {
            for (int i = g; i < g + size; i++) {
              out[t][i] = (x[t][i] - mean) / Math.sqrt(var + 1e-3);
            }
          }
        }
      }
      return out;
    };
  }

  private static float[][] matrix(FloatNdArray a) {
    int rows = (int) a.shape().size(0);
    int cols = (int) a.shape().size(1);
    float[][] out = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i][j] = a.getFloat(i, j);
      }
    }
    return out;
  }

  private static float[] vector(FloatNdArray a) {
    float[] out = new float[(int) a.shape().size(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.getFloat(i);
    }
    return out;
  }
}
