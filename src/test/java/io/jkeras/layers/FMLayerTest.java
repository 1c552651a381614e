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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.Shape;

class FMLayerTest {

  /**
   * The FM output by definition, in double: for every row, x·one + bias plus the pairwise term,
   * here summed over all pairs i < j explicitly (the "fm" mode), or the seed's expression.
   */
  static double[] reference(
      String mode,
      double[] x,
      int rows,
      int n,
      double[] one,
      double[] two,
      double[] bias,
      int out,
      int k) {
    double[] y = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      double p = 0;
      if (mode.equals("fm")) {
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            double vij = 0;
            for (int f = 0; f < k; f++) {
              vij += two[i * k + f] * two[j * k + f];
            }
            p += vij * x[r * n + i] * x[r * n + j];
          }
        }
      } else {
        for (int f = 0; f < k; f++) {
          double s = 0;
          double s2 = 0;
          for (int i = 0; i < n; i++) {
            double xi = x[r * n + i];
            s += xi * two[i * k + f];
            s2 += xi * xi * two[i * k + f] * two[i * k + f];
          }
          p += 0.5 * (s - s2);
        }
      }
      for (int u = 0; u < out; u++) {
        double lin = bias[u];
        for (int i = 0; i < n; i++) {
          lin += x[r * n + i] * one[i * out + u];
        }
        y[r * out + u] = lin + p;
      }
    }
    return y;
  }

  @ParameterizedTest
  @ValueSource(strings = {"fm", "seed"})
  void forwardMatchesDefinitionInDouble(String mode) {
    Random rnd = new Random(mode.hashCode());
    int rows = 4;
    int n = 6;
    int out = 3;
    int k = 5;
    FMLayer fm = FMLayer.builder(out, k).interaction(mode).build();
    fm.ensureBuilt(Shape.of(-1, n));
    float[] one = uniform(rnd, n * out, -1, 1);
    float[] two = uniform(rnd, n * k, -1, 1);
    float[] bias = uniform(rnd, out, -1, 1);
    fm.weights().get(0).assign(one);
    fm.weights().get(1).assign(two);
    fm.weights().get(2).assign(bias);
    float[] x = uniform(rnd, rows * n, -2, 2);
    double[] expected =
        reference(mode, toDouble(x), rows, n, toDouble(one), toDouble(two), toDouble(bias), out, k);
    try (LayerHarness h = new LayerHarness(fm, Shape.of(-1, n), false)) {
      assertClose("FM " + mode, expected, h.forward(Shape.of(rows, n), x), 1e-5, 1e-5);
    }
  }

  @Test
  void theTwoInteractionModesDiffer() {
    double[] x = {1, 2};
    double[] one = {0, 0};
    double[] two = {1, 1};
    // fm: <v1, v2> x1 x2 = 2 ; seed: 0.5 * [(1 + 2) - (1 + 4)] = -1
    assertEquals(2.0, reference("fm", x, 1, 2, one, two, new double[] {0}, 1, 1)[0], 1e-12);
    assertEquals(-1.0, reference("seed", x, 1, 2, one, two, new double[] {0}, 1, 1)[0], 1e-12);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fm", "seed"})
  void gradientsMatchCentralDifferences(String mode) {
    // Guards the TF Java defect too: a Square op under gradients crashed the JVM.
    Random rnd = new Random(99 + mode.length());
    int rows = 3;
    int n = 5;
    int out = 2;
    int k = 3;
    FMLayer fm = FMLayer.builder(out, k).interaction(mode).build();
    fm.ensureBuilt(Shape.of(-1, n));
    float[] one = uniform(rnd, n * out, -1, 1);
    float[] two = uniform(rnd, n * k, -1, 1);
    float[] bias = uniform(rnd, out, -1, 1);
    fm.weights().get(0).assign(one);
    fm.weights().get(1).assign(two);
    fm.weights().get(2).assign(bias);
    float[] x = uniform(rnd, rows * n, -1, 1);
    float[] c = uniform(rnd, rows * out, -1, 1);
    double[] cd = toDouble(c);
    double[] xd = toDouble(x);
    double[] od = toDouble(one);
    double[] td = toDouble(two);
    double[] bd = toDouble(bias);
    try (LayerHarness h = new LayerHarness(fm, Shape.of(-1, n), true)) {
      List<float[]> g = h.gradients(Shape.of(rows, n), x, Shape.of(rows, out), c);
      assertClose(
          "d/dx",
          centralDifferences(
              xd, v -> DenseTest.dot(cd, reference(mode, v, rows, n, od, td, bd, out, k)), 1e-6),
          g.get(0),
          1e-4,
          1e-5);
      assertClose(
          "d/done",
          centralDifferences(
              od, v -> DenseTest.dot(cd, reference(mode, xd, rows, n, v, td, bd, out, k)), 1e-6),
          g.get(1),
          1e-4,
          1e-5);
      assertClose(
          "d/dtwo",
          centralDifferences(
              td, v -> DenseTest.dot(cd, reference(mode, xd, rows, n, od, v, bd, out, k)), 1e-6),
          g.get(2),
          1e-4,
          1e-5);
      assertClose(
          "d/dbias",
          centralDifferences(
              bd, v -> DenseTest.dot(cd, reference(mode, xd, rows, n, od, td, v, out, k)), 1e-6),
          g.get(3),
          1e-4,
          1e-5);
    }
  }

  @Test
  void paramCountWeightOrderAndConfig() {
    FMLayer fm = new FMLayer(200, 100);
    fm.ensureBuilt(Shape.of(-1, 250));
    assertEquals(75_200, fm.countParams());
    assertEquals(List.of("one", "two", "bias"), fm.weights().stream().map(Weight::name).toList());
    assertArrayEquals(new long[] {250, 200}, fm.weights().get(0).shape().asArray());
    assertArrayEquals(new long[] {250, 100}, fm.weights().get(1).shape().asArray());
    assertArrayEquals(new long[] {200}, fm.weights().get(2).shape().asArray());
    Map<String, Object> c = fm.getConfig();
    assertEquals(200, c.get("output_dim"));
    assertEquals(100, c.get("factor_order"));
    assertEquals("linear", c.get("activation"));
    assertEquals("fm", c.get("interaction"));
    assertEquals("FMLayer", fm.className());
    assertTrue(fm.name().startsWith("fm_layer"), fm.name());
  }

  @Test
  void badArgumentsGiveClearErrors() {
    var e = assertThrows(IllegalArgumentException.class, () -> new FMLayer(0, 10));
    assertTrue(e.getMessage().contains("output_dim") && e.getMessage().contains("0"));
    e = assertThrows(IllegalArgumentException.class, () -> new FMLayer(10, -1));
    assertTrue(e.getMessage().contains("factor_order") && e.getMessage().contains("-1"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FMLayer.builder(2, 2).interaction("full").build());
    assertTrue(e.getMessage().contains("full") && e.getMessage().contains("seed"));
    e = assertThrows(IllegalArgumentException.class, () -> new FMLayer(2, 2, "nope"));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("relu"));
    FMLayer fm = new FMLayer(2, 2);
    e = assertThrows(IllegalArgumentException.class, () -> fm.apply(Input.of(3, 4)));
    assertTrue(
        e.getMessage().contains("ndim=2") && e.getMessage().contains("(None, 3, 4)"),
        e.getMessage());
  }
}
