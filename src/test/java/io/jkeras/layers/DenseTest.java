package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.LayerHarness;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

class DenseTest {

  /** relu(x·W + b) in double, x of shape (rows, in), W (in, units). */
  static double[] reference(
      double[] x, int rows, int in, double[] w, double[] b, int units, boolean relu) {
    double[] y = new double[rows * units];
    for (int r = 0; r < rows; r++) {
      for (int u = 0; u < units; u++) {
        double s = b == null ? 0 : b[u];
        for (int i = 0; i < in; i++) {
          s += x[r * in + i] * w[i * units + u];
        }
        y[r * units + u] = relu ? Math.max(0, s) : s;
      }
    }
    return y;
  }

  @Test
  void forwardMatchesDoubleReferenceOnRank2AndRank3Inputs() {
    Random rnd = new Random(7);
    Dense dense = new Dense(5, "relu");
    dense.ensureBuilt(Shape.of(-1, 4));
    float[] w = uniform(rnd, 20, -1, 1);
    float[] b = uniform(rnd, 5, -0.5, 0.5);
    dense.kernel().assign(w);
    dense.bias().assign(b);
    float[] x = uniform(rnd, 3 * 2 * 4, -2, 2);
    double[] expected = reference(toDouble(x), 6, 4, toDouble(w), toDouble(b), 5, true);
    try (LayerHarness h = new LayerHarness(dense, Shape.of(-1, 4), false)) {
      assertClose("dense rank 2", expected, h.forward(Shape.of(6, 4), x), 1e-5, 1e-5);
    }
    try (LayerHarness h = new LayerHarness(dense, Shape.of(-1, 2, 4), false)) {
      assertArrayEquals(new long[] {-1, 2, 5}, h.outputShape().asArray());
      // The kernel applies along the last axis: same numbers as the rank-2 view of the rows.
      assertClose("dense rank 3", expected, h.forward(Shape.of(3, 2, 4), x), 1e-5, 1e-5);
    }
    // Some outputs are clipped by relu and some are not, so both branches were exercised.
    assertTrue(java.util.Arrays.stream(expected).anyMatch(v -> v == 0));
    assertTrue(java.util.Arrays.stream(expected).anyMatch(v -> v > 0));
  }

  @Test
  void gradientsMatchCentralDifferencesForInputKernelAndBias() {
    Random rnd = new Random(11);
    int rows = 3;
    int in = 4;
    int units = 3;
    Dense dense = Dense.builder(units).activation("linear").build();
    dense.ensureBuilt(Shape.of(-1, in));
    float[] w = uniform(rnd, in * units, -1, 1);
    float[] b = uniform(rnd, units, -1, 1);
    dense.kernel().assign(w);
    dense.bias().assign(b);
    float[] x = uniform(rnd, rows * in, -1, 1);
    float[] c = uniform(rnd, rows * units, -1, 1);
    double[] cd = toDouble(c);
    double[] xd = toDouble(x);
    double[] wd = toDouble(w);
    double[] bd = toDouble(b);
    try (LayerHarness h = new LayerHarness(dense, Shape.of(-1, in), false)) {
      List<float[]> g = h.gradients(Shape.of(rows, in), x, Shape.of(rows, units), c);
      assertClose(
          "d/dx",
          centralDifferences(xd, v -> dot(cd, reference(v, rows, in, wd, bd, units, false)), 1e-6),
          g.get(0),
          1e-4,
          1e-5);
      assertClose(
          "d/dkernel",
          centralDifferences(wd, v -> dot(cd, reference(xd, rows, in, v, bd, units, false)), 1e-6),
          g.get(1),
          1e-4,
          1e-5);
      assertClose(
          "d/dbias",
          centralDifferences(bd, v -> dot(cd, reference(xd, rows, in, wd, v, units, false)), 1e-6),
          g.get(2),
          1e-4,
          1e-5);
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void paramCountAndWeightOrderMatchKeras() {
    Dense dense = new Dense(250);
    dense.ensureBuilt(Shape.of(-1, 250));
    assertEquals(62_750, dense.countParams());
    assertEquals(List.of("kernel", "bias"), dense.weights().stream().map(Weight::name).toList());
    assertArrayEquals(new long[] {250, 250}, dense.weights().get(0).shape().asArray());
    Dense noBias = Dense.builder(4).useBias(false).build();
    noBias.ensureBuilt(Shape.of(-1, 3));
    assertEquals(12, noBias.countParams());
  }

  @Test
  void defaultsFollowKeras() {
    Dense dense = new Dense(3);
    dense.ensureBuilt(Shape.of(-1, 400));
    float[] k = dense.kernel().read();
    double limit = Math.sqrt(6.0 / (400 + 3));
    double min = 0;
    double max = 0;
    for (float v : k) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // glorot_uniform: within +-limit, and both signs occur.
    assertTrue(max <= limit && min >= -limit, "kernel within glorot limit");
    assertTrue(min < -limit / 2 && max > limit / 2, "kernel spans both signs");
    for (float v : dense.bias().read()) {
      assertEquals(0f, v);
    }
    assertEquals("linear", dense.activation().name());
  }

  @Test
  void configHasKerasKeysAndValueForms() {
    Dense dense =
        Dense.builder(4)
            .name("d")
            .activation("relu")
            .kernelRegularizer("l2")
            .kernelConstraint("max_norm")
            .build();
    Map<String, Object> c = dense.getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "units",
            "activation",
            "use_bias",
            "kernel_initializer",
            "bias_initializer",
            "kernel_regularizer",
            "bias_regularizer",
            "kernel_constraint",
            "bias_constraint",
            "quantization_config"),
        List.copyOf(c.keySet()));
    assertEquals("d", c.get("name"));
    assertEquals(4, c.get("units"));
    assertEquals("relu", c.get("activation"));
    @SuppressWarnings("unchecked")
    Map<String, Object> init = (Map<String, Object>) c.get("kernel_initializer");
    assertEquals("keras.initializers", init.get("module"));
    assertEquals("GlorotUniform", init.get("class_name"));
    @SuppressWarnings("unchecked")
    Map<String, Object> reg = (Map<String, Object>) c.get("kernel_regularizer");
    assertEquals("L2", reg.get("class_name"));
    assertEquals(Map.of("l2", 0.01), reg.get("config"));
    @SuppressWarnings("unchecked")
    Map<String, Object> dtype = (Map<String, Object>) c.get("dtype");
    assertEquals("DTypePolicy", dtype.get("class_name"));
  }

  @Test
  void badArgumentsAndShapesGiveClearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dense(0));
    assertTrue(e.getMessage().contains("units") && e.getMessage().contains("0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Dense(3, "relux"));
    assertTrue(
        e.getMessage().contains("relux") && e.getMessage().contains("sigmoid"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dense.builder(3).kernelInitializer("glorot_uniformm"));
    assertTrue(
        e.getMessage().contains("glorot_uniformm") && e.getMessage().contains("he_normal"),
        e.getMessage());

    Dense dense = new Dense(3, null);
    KerasTensor x = Input.of(4);
    dense.apply(x);
    e = assertThrows(IllegalArgumentException.class, () -> dense.apply(Input.of(5)));
    assertTrue(
        e.getMessage().contains("\"" + dense.name() + "\"")
            && e.getMessage().contains("value 4")
            && e.getMessage().contains("(None, 5)"),
        e.getMessage());
    Dense other = new Dense(3);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> other.apply(Input.withBatchShape(Shape.of(-1), "float32", null)));
    assertTrue(
        e.getMessage().contains("min_ndim=2") && e.getMessage().contains("(None,)"),
        e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                dense.setWeights(
                    List.of(
                        NdArrays.wrap(Shape.of(5, 3), DataBuffers.of(new float[15], false, false)),
                        NdArrays.wrap(Shape.of(3), DataBuffers.of(new float[3], false, false)))));
    assertTrue(
        e.getMessage().contains(dense.name())
            && e.getMessage().contains("kernel")
            && e.getMessage().contains("(4, 3)")
            && e.getMessage().contains("(5, 3)"),
        e.getMessage());
  }
}
