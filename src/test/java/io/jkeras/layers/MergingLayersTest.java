package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Merge layers and Dot against double-precision references: forward values and the gradients of
 * every input against central differences. (KerasLayersInteropTest checks them against Keras.)
 */
class MergingLayersTest {

  /** Dot of x (b, n, k) with y (b, m, k) over k, optionally on L2-normalized rows: (b, n, m). */
  static double[] dotReference(double[] x, double[] y, int b, int n, int m, int k, boolean norm) {
    double[] out = new double[b * n * m];
    for (int s = 0; s < b; s++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          double acc = 0;
          double nx = 0;
          double ny = 0;
          for (int c = 0; c < k; c++) {
            double a = x[(s * n + i) * k + c];
            double d = y[(s * m + j) * k + c];
            acc += a * d;
            nx += a * a;
            ny += d * d;
          }
          // Keras caps the inverse norm at 1 / 1e-7.
          out[(s * n + i) * m + j] =
              norm
                  ? acc * Math.min(1 / Math.sqrt(nx), 1e7) * Math.min(1 / Math.sqrt(ny), 1e7)
                  : acc;
        }
      }
    }
    return out;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * Checks forward and input gradients of a two-input layer against {@code reference} (which maps
   * both inputs, concatenated, to the output).
   */
  static void checkTwoInputs(
      Layer layer, Shape s1, Shape s2, Function<double[][], double[]> reference, long seed) {
    Random rnd = new Random(seed);
    int n1 = (int) s1.size();
    int n2 = (int) s2.size();
    float[] x1 = uniform(rnd, n1, -1, 1);
    float[] x2 = uniform(rnd, n2, -1, 1);
    Shape p1 = Shape.of(-1).append(Shape.of(KerasShape.sampleDims(s1)));
    Shape p2 = Shape.of(-1).append(Shape.of(KerasShape.sampleDims(s2)));
    try (MultiInputHarness h = new MultiInputHarness(layer, false, p1, p2)) {
      double[] expected = reference.apply(new double[][] {toDouble(x1), toDouble(x2)});
      List<Shape> shapes = List.of(s1, s2);
      assertClose(
          layer.name() + " forward", expected, h.forward(shapes, List.of(x1, x2)), 1e-5, 1e-6);
      long[] out = h.outputShape().asArray();
      out[0] = s1.size(0);
      float[] c = uniform(rnd, expected.length, -1, 1);
      double[] cd = toDouble(c);
      List<float[]> grads = h.gradients(shapes, List.of(x1, x2), Shape.of(out), c);
      double[] d1 = toDouble(x1);
      double[] d2 = toDouble(x2);
      assertClose(
          layer.name() + " d/dx1",
          centralDifferences(d1, v -> dot(cd, reference.apply(new double[][] {v, d2})), 1e-6),
          grads.get(0),
          1e-4,
          1e-5);
      assertClose(
          layer.name() + " d/dx2",
          centralDifferences(d2, v -> dot(cd, reference.apply(new double[][] {d1, v})), 1e-6),
          grads.get(1),
          1e-4,
          1e-5);
    }
  }

  @Test
  void dotContractsTheGivenAxesWithAndWithoutNormalization() {
    // x (2, 3, 4) . y (2, 5, 4) over the last axes: (2, 3, 5).
    checkTwoInputs(
        Dot.builder(2).name("dot_last").build(),
        Shape.of(2, 3, 4),
        Shape.of(2, 5, 4),
        v -> dotReference(v[0], v[1], 2, 3, 5, 4, false),
        1);
    checkTwoInputs(
        Dot.builder(-1).normalize(true).name("cosine").build(),
        Shape.of(2, 3, 4),
        Shape.of(2, 5, 4),
        v -> dotReference(v[0], v[1], 2, 3, 5, 4, true),
        2);
    // axes (1, 2): x (2, 3, 4) axis 1 with y (2, 2, 3) axis 2 -> (2, 4, 2); as the reference on
    // x transposed to (2, 4, 3) and y (2, 2, 3).
    checkTwoInputs(
        Dot.builder(1, 2).name("dot_12").build(),
        Shape.of(2, 3, 4),
        Shape.of(2, 2, 3),
        v -> dotReference(transposeLastTwo(v[0], 2, 3, 4), v[1], 2, 4, 2, 3, false),
        3);
    // Vectors: (b, 4) . (b, 4) -> (b, 1).
    Dot vectors = new Dot(1);
    assertArrayEquals(
        new long[] {-1, 1},
        vectors.computeOutputShape(List.of(Shape.of(-1, 4), Shape.of(-1, 4))).get(0).asArray());
  }

  static double[] transposeLastTwo(double[] x, int b, int r, int c) {
    double[] out = new double[x.length];
    for (int s = 0; s < b; s++) {
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          out[(s * c + j) * r + i] = x[(s * r + i) * c + j];
        }
      }
    }
    return out;
  }

  @Test
  void elementWiseMergesMatchTheirFormulasAndBroadcast() {
    Shape s = Shape.of(3, 2, 4);
    checkTwoInputs(new Add("add"), s, s, v -> zip(v, Double::sum), 4);
    checkTwoInputs(new Subtract("sub"), s, s, v -> zip(v, (a, b) -> a - b), 5);
    checkTwoInputs(new Multiply("mul"), s, s, v -> zip(v, (a, b) -> a * b), 6);
    checkTwoInputs(new Average("avg"), s, s, v -> zip(v, (a, b) -> (a + b) / 2), 7);
    checkTwoInputs(new Maximum("max"), s, s, v -> zip(v, Math::max), 8);
    checkTwoInputs(new Minimum("min"), s, s, v -> zip(v, Math::min), 9);
    // (3, 2, 4) + (3, 4): the second input is expanded at axis 1 and broadcast over it.
    checkTwoInputs(
        new Multiply("mul_broadcast"),
        s,
        Shape.of(3, 4),
        v -> {
          double[] out = new double[24];
          for (int i = 0; i < 24; i++) {
            out[i] = v[0][i] * v[1][(i / 8) * 4 + i % 4];
          }
          return out;
        },
        10);
  }

  private static double[] zip(double[][] v, java.util.function.DoubleBinaryOperator f) {
    double[] out = new double[v[0].length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(v[0][i], v[1][i]);
    }
    return out;
  }

  @Test
  void badShapesAndConfigsNameTheLayerAndBothValues() {
    KerasTensor a = Input.of(4);
    KerasTensor b = Input.of(5);
    var e = assertThrows(IllegalArgumentException.class, () -> new Add("sum").apply(a, b));
    assertTrue(
        e.getMessage().contains("\"sum\"")
            && e.getMessage().contains("(None, 4)")
            && e.getMessage().contains("(None, 5)"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Subtract("diff").apply(a, a, Input.of(4)));
    assertTrue(
        e.getMessage().contains("\"diff\"")
            && e.getMessage().contains("exactly 2")
            && e.getMessage().contains("got 3"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Dot(1).apply(a, b));
    assertTrue(
        e.getMessage().contains("(Dot)")
            && e.getMessage().contains("4")
            && e.getMessage().contains("5"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Dot.builder(0).name("d0").build().apply(a, a));
    assertTrue(e.getMessage().contains("\"d0\"") && e.getMessage().contains("axis 0"));
    List<Object> threeAxes = new ArrayList<>(List.of(1, 2, 3));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Dot.fromConfig(Map.of("axes", threeAxes)));
    assertTrue(e.getMessage().contains("Dot: config.axes") && e.getMessage().contains("[1, 2, 3]"));
    e = assertThrows(IllegalArgumentException.class, () -> Dot.fromConfig(Map.of()));
    assertTrue(e.getMessage().contains("Dot: config.axes: missing"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Add.fromConfig(Map.of("axis", 1, "name", "x")));
    assertTrue(e.getMessage().contains("unknown key(s) [axis]"), e.getMessage());
  }
}
