package io.jkeras.regularizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jkeras.testing.TfEval;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class RegularizersTest {

  private static final int ROWS = 5;
  private static final int COLS = 7;

  /** Random values with zeros, negatives and large magnitudes. */
  private static float[] inputs(long seed, int n) {
    Random random = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      switch (i % 7) {
        case 0 -> x[i] = 0f;
        case 1 -> x[i] = (float) (-1000 * random.nextDouble());
        case 2 -> x[i] = (float) (1000 * random.nextDouble());
        default -> x[i] = (float) (4 * random.nextGaussian());
      }
    }
    return x;
  }

  private static double sumAbs(float[] x) {
    double s = 0;
    for (float v : x) {
      s += Math.abs((double) v);
    }
    return s;
  }

  private static double sumSquares(float[] x) {
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return s;
  }

  private static float eval(Regularizer r, float[] x, long... shape) {
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> penalty = r.apply(t.tf, t.constant(x, shape));
      assertEquals(0, penalty.shape().numDimensions(), "penalty must be a scalar");
      return t.run1(penalty)[0];
    }
  }

  private static void assertClose(double expected, float actual, String what) {
    if (!TfEval.close(actual, expected, 1e-5, 1e-7)) {
      fail(what + ": got " + actual + ", expected " + expected);
    }
  }

  @Test
  void l1IsFactorTimesSumOfAbsoluteValues() {
    float[] x = inputs(1, ROWS * COLS);
    assertClose(0.01 * sumAbs(x), eval(new L1(), x, ROWS, COLS), "L1()");
    assertClose(0.37 * sumAbs(x), eval(new L1(0.37), x, ROWS, COLS), "L1(0.37)");
  }

  @Test
  void l2IsFactorTimesSumOfSquares() {
    float[] x = inputs(2, ROWS * COLS);
    assertClose(0.01 * sumSquares(x), eval(new L2(), x, ROWS, COLS), "L2()");
    assertClose(2.5e-4 * sumSquares(x), eval(new L2(2.5e-4), x, ROWS, COLS), "L2(2.5e-4)");
  }

  @Test
  void l1l2AddsBothTerms() {
    float[] x = inputs(3, ROWS * COLS);
    double expected = 0.003 * sumAbs(x) + 0.02 * sumSquares(x);
    assertClose(expected, eval(new L1L2(0.003, 0.02), x, ROWS, COLS), "L1L2(0.003, 0.02)");
    assertClose(0.02 * sumSquares(x), eval(new L1L2(0, 0.02), x, ROWS, COLS), "L1L2(0, 0.02)");
    assertClose(0.003 * sumAbs(x), eval(new L1L2(0.003, 0), x, ROWS, COLS), "L1L2(0.003, 0)");
    assertEquals(0f, eval(new L1L2(), x, ROWS, COLS));
  }

  @Test
  void penaltiesSumOverEveryAxisOfAnyRank() {
    float[] x = inputs(4, 2 * 3 * 4);
    assertClose(0.01 * sumAbs(x), eval(new L1(), x, 2, 3, 4), "rank 3");
    assertClose(0.01 * sumSquares(x), eval(new L2(), x, 2, 3, 4), "rank 3");
    assertClose(0.5 * 9, eval(new L2(0.5), new float[] {-3f}), "scalar");
  }

  @Test
  void penaltiesWorkOnInputsOfUnknownShape() {
    float[] x = inputs(5, 24);
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> in = t.tf.placeholder(TFloat32.class, Placeholder.shape(Shape.unknown()));
      Operand<TFloat32> penalty = new L1L2(0.1, 0.2).apply(t.tf, in);
      float got = t.runFed(penalty, in, x, 2, 3, 4)[0];
      assertClose(0.1 * sumAbs(x) + 0.2 * sumSquares(x), got, "unknown shape");
    }
  }

  /** {@link #orthogonalReferenceD} of float inputs. */
  private static double orthogonalReference(
      double factor, boolean rows, float[] x, int nRows, int nCols) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return orthogonalReferenceD(factor, rows, d, nRows, nCols);
  }

  @Test
  void orthogonalMatchesReferenceInBothModes() {
    float[] x = inputs(6, ROWS * COLS);
    assertClose(
        orthogonalReference(0.01, true, x, ROWS, COLS),
        eval(new OrthogonalRegularizer(), x, ROWS, COLS),
        "rows");
    assertClose(
        orthogonalReference(0.3, false, x, ROWS, COLS),
        eval(new OrthogonalRegularizer(0.3, "columns"), x, ROWS, COLS),
        "columns");
  }

  @Test
  void orthogonalHandlesZeroRowsAndOrthogonalInputs() {
    float[] withZeroRow = inputs(7, 4 * 3);
    for (int k = 0; k < 3; k++) {
      withZeroRow[3 * 1 + k] = 0f; // row 1 all zeros
    }
    float got = eval(new OrthogonalRegularizer(1.0, "rows"), withZeroRow, 4, 3);
    assertTrue(Float.isFinite(got), "zero row gave " + got);
    assertClose(orthogonalReference(1.0, true, withZeroRow, 4, 3), got, "zero row");
    // Rows of a scaled permutation matrix are orthogonal; parallel rows give the maximum, factor.
    float[] orthogonal = {0, 2, 0, -5, 0, 0, 0, 0, 0.5f};
    assertEquals(0f, eval(new OrthogonalRegularizer(1.0, "rows"), orthogonal, 3, 3), 1e-7);
    float[] parallel = {1, 2, -2, 4, 3, 6, -6, 12};
    assertEquals(2f, eval(new OrthogonalRegularizer(2.0, "columns"), parallel, 2, 4), 1e-5);
  }

  @Test
  void orthogonalWithOneVectorIsNaNAsInKeras() {
    assertTrue(Float.isNaN(eval(new OrthogonalRegularizer(), new float[] {1, 2, 3}, 1, 3)));
  }

  @Test
  void orthogonalRejectsNonMatrices() {
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> x3 = t.constant(new float[8], 2, 2, 2);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> new OrthogonalRegularizer().apply(t.tf, x3));
      assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
      assertTrue(e.getMessage().contains("[2, 2, 2]"), e.getMessage());
    }
  }

  /** TF's gradient of the penalty against central differences in double of {@code reference}. */
  private static void assertGradient(
      Regularizer r, ToDoubleFunction<double[]> reference, float[] x, long... shape) {
    float[] grad;
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> xs = t.constant(x, shape);
      grad = t.run1(t.gradient(r.apply(t.tf, xs), xs));
      List<String> types = new ArrayList<>();
      t.graph.operations().forEachRemaining(op -> types.add(op.type()));
      assertFalse(types.contains("Square"), r + " uses Square: " + types);
    }
    double h = 1e-4;
    for (int i = 0; i < x.length; i++) {
      double[] plus = new double[x.length];
      double[] minus = new double[x.length];
      for (int k = 0; k < x.length; k++) {
        plus[k] = x[k];
        minus[k] = x[k];
      }
      plus[i] += h;
      minus[i] -= h;
      double fd = (reference.applyAsDouble(plus) - reference.applyAsDouble(minus)) / (2 * h);
      if (!TfEval.close(grad[i], fd, 1e-4, 1e-6)) {
        fail(r + ": d/dx[" + i + "] at " + x[i] + ": TF " + grad[i] + ", finite difference " + fd);
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Random random = new Random(11);
    float[] x = new float[ROWS * COLS];
    for (int i = 0; i < x.length; i++) {
      double v;
      do {
        v = 6 * random.nextDouble() - 3;
      } while (Math.abs(v) < 0.05); // keep |x| away from its kink at 0
      x[i] = (float) v;
    }
    ToDoubleFunction<double[]> l1 =
        v -> {
          double s = 0;
          for (double e : v) {
            s += Math.abs(e);
          }
          return 0.05 * s;
        };
    ToDoubleFunction<double[]> l2 =
        v -> {
          double s = 0;
          for (double e : v) {
            s += e * e;
          }
          return 0.07 * s;
        };
    assertGradient(new L1(0.05), l1, x, ROWS, COLS);
    assertGradient(new L2(0.07), l2, x, ROWS, COLS);
    assertGradient(
        new L1L2(0.05, 0.07), v -> l1.applyAsDouble(v) + l2.applyAsDouble(v), x, ROWS, COLS);
    assertGradient(
        new OrthogonalRegularizer(0.8, "rows"),
        v -> orthogonalReferenceD(0.8, true, v, ROWS, COLS),
        x,
        ROWS,
        COLS);
    assertGradient(
        new OrthogonalRegularizer(0.8, "columns"),
        v -> orthogonalReferenceD(0.8, false, v, ROWS, COLS),
        x,
        ROWS,
        COLS);
  }

  /**
   * Keras's formula in double: factor * mean |cosine| over distinct pairs of rows (or columns),
   * with each inverse norm capped at 1e7 as Keras does.
   */
  private static double orthogonalReferenceD(
      double factor, boolean rows, double[] x, int nRows, int nCols) {
    int n = rows ? nRows : nCols;
    int len = rows ? nCols : nRows;
    double[][] v = new double[n][len];
    for (int i = 0; i < n; i++) {
      double ss = 0;
      for (int k = 0; k < len; k++) {
        v[i][k] = rows ? x[i * nCols + k] : x[k * nCols + i];
        ss += v[i][k] * v[i][k];
      }
      double inv = Math.min(1 / Math.sqrt(ss), 1e7);
      for (int k = 0; k < len; k++) {
        v[i][k] *= inv;
      }
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          double dot = 0;
          for (int k = 0; k < len; k++) {
            dot += v[i][k] * v[j][k];
          }
          sum += Math.abs(dot);
        }
      }
    }
    return factor * 0.5 * sum / (n * (n - 1) / 2.0);
  }

  @Test
  void classNamesAndConfigsAreKeras() {
    assertEquals("L1", new L1().className());
    assertEquals(Map.of("l1", 0.01), new L1().getConfig());
    assertEquals("L2", new L2(0.5).className());
    assertEquals(Map.of("l2", 0.5), new L2(0.5).getConfig());
    assertEquals("L1L2", new L1L2().className());
    assertEquals(List.of("l1", "l2"), new ArrayList<>(new L1L2(1, 2).getConfig().keySet()));
    assertEquals(Map.of("l1", 1.0, "l2", 2.0), new L1L2(1, 2).getConfig());
    assertEquals(Map.of("l1", 0.0, "l2", 0.0), new L1L2().getConfig());
    OrthogonalRegularizer o = new OrthogonalRegularizer();
    assertEquals("OrthogonalRegularizer", o.className());
    assertEquals(List.of("factor", "mode"), new ArrayList<>(o.getConfig().keySet()));
    assertEquals(Map.of("factor", 0.01, "mode", "rows"), o.getConfig());
    assertInstanceOf(Double.class, new L1(1).getConfig().get("l1"));
    assertInstanceOf(Double.class, o.getConfig().get("factor"));
  }

  @Test
  void configsRoundTripThroughTheRegistry() {
    List<Regularizer> all =
        List.of(
            new L1(0.2),
            new L2(3e-4),
            new L1L2(0.1, 0.0),
            new OrthogonalRegularizer(0.5, "columns"));
    for (Regularizer r : all) {
      Regularizer back = Regularizers.fromConfig(r.className(), r.getConfig());
      assertEquals(r, back);
      assertEquals(r.getConfig(), back.getConfig());
    }
    assertNotEquals(new L1(0.2), new L1(0.3));
    assertNotEquals(
        new OrthogonalRegularizer(0.5, "rows"), new OrthogonalRegularizer(0.5, "columns"));
  }

  @Test
  void fromConfigAcceptsIntegersMissingKeysAndNulls() {
    assertEquals(new L2(1.0), Regularizers.fromConfig("L2", Map.of("l2", 1)));
    assertEquals(new L1(), Regularizers.fromConfig("L1", Map.of()));
    assertEquals(new L1(), Regularizers.fromConfig("l1", null));
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("l1", null);
    withNull.put("l2", 0.25f);
    assertEquals(new L1L2(0, 0.25), Regularizers.fromConfig("L1L2", withNull));
    assertEquals(
        new OrthogonalRegularizer(0.01, "columns"),
        Regularizers.fromConfig("OrthogonalRegularizer", Map.of("mode", "columns")));
  }

  @Test
  void fromConfigRejectsUnknownKeysAndWrongTypes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Regularizers.fromConfig("L1L2", Map.of("l3", 0.1)));
    assertTrue(e.getMessage().contains("[l3]"), e.getMessage());
    assertTrue(e.getMessage().contains("reads [l1, l2]"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Regularizers.fromConfig("L2", Map.of("l2", "big")));
    assertTrue(
        e.getMessage().contains("config.l2: expected a finite number, got \"big\" (a string)"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Regularizers.fromConfig("OrthogonalRegularizer", Map.of("mode", 3)));
    assertTrue(
        e.getMessage().contains("config.mode: expected a string, got 3 (a number)"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Regularizers.fromConfig("L1", Map.of("l1", -1)));
    assertTrue(e.getMessage().contains("l1=-1.0"), e.getMessage());
  }

  private static final List<String> EXPECTED_NAMES =
      List.of(
          "L1",
          "L1L2",
          "L2",
          "OrthogonalRegularizer",
          "l1",
          "l1_l2",
          "l1l2",
          "l2",
          "orthogonal_regularizer");

  @Test
  void getUsesKerasNamesAndDefaults() {
    assertEquals(EXPECTED_NAMES, Regularizers.names());
    assertEquals(new L1(0.01), Regularizers.get("l1"));
    assertEquals(new L1(0.01), Regularizers.get("L1"));
    assertEquals(new L2(0.01), Regularizers.get("l2"));
    assertEquals(new L2(0.01), Regularizers.get("L2"));
    assertEquals(new L1L2(0, 0), Regularizers.get("l1_l2"));
    assertEquals(new L1L2(0, 0), Regularizers.get("l1l2"));
    assertEquals(new L1L2(0, 0), Regularizers.get("L1L2"));
    assertEquals(
        new OrthogonalRegularizer(0.01, "rows"), Regularizers.get("orthogonal_regularizer"));
    assertEquals(
        new OrthogonalRegularizer(0.01, "rows"), Regularizers.get("OrthogonalRegularizer"));
    assertNull(Regularizers.get(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"L3", "l1-l2", "", "orthogonal"})
  void unknownNamesListValidNames(String name) {
    for (Runnable call :
        List.<Runnable>of(
            () -> Regularizers.get(name), () -> Regularizers.fromConfig(name, Map.of()))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
      assertTrue(e.getMessage().contains("\"" + name + "\""), e.getMessage());
      assertTrue(e.getMessage().endsWith(String.join(", ", EXPECTED_NAMES)), e.getMessage());
    }
  }

  @Test
  void factoriesBuildTheClasses() {
    assertEquals(new L1(0.3), Regularizers.l1(0.3));
    assertEquals(new L2(0.4), Regularizers.l2(0.4));
    assertEquals(new L1L2(0.3, 0.4), Regularizers.l1l2(0.3, 0.4));
    assertEquals(
        new OrthogonalRegularizer(0.2, "columns"), Regularizers.orthogonal(0.2, "columns"));
    assertEquals(0.3, Regularizers.l1l2(0.3, 0.4).l1());
    assertEquals(0.4, Regularizers.l1l2(0.3, 0.4).l2());
  }

  @Test
  void argumentsMustBeNonNegativeAndFinite() {
    double[] bad = {-0.1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (double v : bad) {
      assertInvalid("l1", v, () -> new L1(v));
      assertInvalid("l2", v, () -> new L2(v));
      assertInvalid("l1", v, () -> new L1L2(v, 0));
      assertInvalid("l2", v, () -> new L1L2(0, v));
      assertInvalid("factor", v, () -> new OrthogonalRegularizer(v, "rows"));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new OrthogonalRegularizer(0.1, "cols"));
    assertTrue(e.getMessage().contains("\"rows\", \"columns\""), e.getMessage());
    assertTrue(e.getMessage().contains("mode=cols"), e.getMessage());
  }

  private static void assertInvalid(String argument, double value, Runnable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
    String m = e.getMessage();
    assertTrue(m.contains("argument " + argument + ":"), m);
    assertTrue(m.contains("non-negative finite"), m);
    assertTrue(m.contains(argument + "=" + value), m);
  }
}
