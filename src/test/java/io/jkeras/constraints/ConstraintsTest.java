package io.jkeras.constraints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class ConstraintsTest {

  private static final double EPS = 1e-7;

  /**
   * A rows x cols matrix whose columns have very different norms: column 0 is all zeros, column 1
   * tiny, column 2 moderate, the rest scaled up to ~1000 in magnitude, with mixed signs.
   */
  private static float[] matrix(long seed, int rows, int cols) {
    Random random = new Random(seed);
    double[] scales = {0, 1e-3, 0.3, 1, 5, 50, 1000};
    float[] w = new float[rows * cols];
    for (int c = 0; c < cols; c++) {
      double scale = scales[c % scales.length];
      for (int r = 0; r < rows; r++) {
        w[r * cols + c] = (float) (scale * random.nextGaussian());
      }
    }
    return w;
  }

  private static float[] apply(Constraint c, float[] w, long... shape) {
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> out = c.apply(t.tf, t.constant(w, shape));
      assertArrayEquals(shape, out.shape().asArray(), "projection must keep the weight's shape");
      List<String> types = new ArrayList<>();
      t.graph.operations().forEachRemaining(op -> types.add(op.type()));
      assertFalse(types.contains("Square"), c + " uses Square: " + types);
      return t.run1(out);
    }
  }

  /**
   * Row-major index groups of a tensor of {@code shape}: one group per position of the axes that
   * are not reduced, holding every index that shares it.
   */
  private static List<int[]> groups(long[] shape, List<Integer> axes) {
    int rank = shape.length;
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      reduced[a < 0 ? a + rank : a] = true;
    }
    int size = 1;
    for (long d : shape) {
      size *= (int) d;
    }
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    for (int flat = 0; flat < size; flat++) {
      int rest = flat;
      StringBuilder key = new StringBuilder();
      for (int d = rank - 1; d >= 0; d--) {
        int idx = (int) (rest % shape[d]);
        rest /= (int) shape[d];
        if (!reduced[d]) {
          key.append(d).append(':').append(idx).append(',');
        }
      }
      byKey.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(flat);
    }
    List<int[]> out = new ArrayList<>();
    for (List<Integer> g : byKey.values()) {
      out.add(g.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  private static double norm(float[] w, int[] group) {
    double ss = 0;
    for (int i : group) {
      ss += (double) w[i] * w[i];
    }
    return Math.sqrt(ss);
  }

  /** Keras's rescaling in double: each group becomes {@code w * target(norm) / (eps + norm)}. */
  private static double[] rescaled(
      float[] w, long[] shape, List<Integer> axes, DoubleUnaryOperator target) {
    double[] out = new double[w.length];
    for (int[] g : groups(shape, axes)) {
      double n = norm(w, g);
      double factor = target.applyAsDouble(n) / (EPS + n);
      for (int i : g) {
        out[i] = w[i] * factor;
      }
    }
    return out;
  }

  private static void assertMatches(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      if (!TfEval.close(actual[i], expected[i], 1e-5, 1e-6)) {
        fail(what + "[" + i + "]: got " + actual[i] + ", expected " + expected[i]);
      }
    }
  }

  @Test
  void maxNormCapsColumnNorms() {
    long[] shape = {6, 7};
    float[] w = matrix(1, 6, 7);
    float[] out = apply(new MaxNorm(), w, shape);
    assertMatches(rescaled(w, shape, List.of(0), n -> Math.min(n, 2.0)), out, "MaxNorm()");
    for (int[] g : groups(shape, List.of(0))) {
      double before = norm(w, g);
      double after = norm(out, g);
      assertTrue(after <= 2.0 * (1 + 1e-6), "column norm " + after + " > 2");
      if (before > 2.0) {
        assertEquals(2.0, after, 1e-5, "large column not scaled to the cap");
      } else {
        assertEquals(before, after, 1e-5 * before + 1e-6, "small column changed");
      }
    }
  }

  @Test
  void maxNormOverRowsNegativeAxesAndSeveralAxes() {
    long[] shape = {6, 7};
    float[] w = matrix(2, 6, 7);
    assertMatches(
        rescaled(w, shape, List.of(1), n -> Math.min(n, 0.5)),
        apply(new MaxNorm(0.5, 1), w, shape),
        "MaxNorm(0.5, axis=1)");
    assertMatches(
        rescaled(w, shape, List.of(1), n -> Math.min(n, 0.5)),
        apply(new MaxNorm(0.5, -1), w, shape),
        "MaxNorm(0.5, axis=-1)");
    long[] conv = {3, 2, 3, 4}; // (rows, cols, in, out): one norm per output filter
    float[] k = matrix(3, 18, 4);
    List<Integer> axes = List.of(0, 1, 2);
    float[] out = apply(new MaxNorm(1.5, axes), k, conv);
    assertMatches(rescaled(k, conv, axes, n -> Math.min(n, 1.5)), out, "MaxNorm(1.5, [0,1,2])");
    for (int[] g : groups(conv, axes)) {
      assertEquals(18, g.length);
      assertTrue(norm(out, g) <= 1.5 * (1 + 1e-6));
    }
  }

  /**
   * Keras's {@code axis=None} (written as {@code "axis": null}) takes one norm over the whole
   * weight; an absent axis is the default 0.
   */
  @Test
  void axisNoneTakesOneNormOverTheWholeWeight() {
    long[] shape = {3, 2, 4};
    float[] w = matrix(5, 6, 4);
    List<Integer> all = List.of(0, 1, 2);
    Map<String, Object> none = new HashMap<>();
    none.put("axis", null);
    none.put("max_value", 1.5);
    Constraint maxNorm = Constraints.fromConfig("MaxNorm", none);
    assertMatches(
        rescaled(w, shape, all, n -> Math.min(n, 1.5)),
        apply(maxNorm, w, shape),
        "MaxNorm(axis=None)");
    none.remove("max_value");
    assertMatches(
        rescaled(w, shape, all, n -> 1.0),
        apply(Constraints.fromConfig("UnitNorm", none), w, shape),
        "UnitNorm(axis=None)");
    none.put("min_value", 2.0);
    none.put("max_value", 3.0);
    none.put("rate", 0.5);
    assertMatches(
        rescaled(w, shape, all, n -> 0.5 * Math.min(Math.max(n, 2.0), 3.0) + 0.5 * n),
        apply(Constraints.fromConfig("MinMaxNorm", none), w, shape),
        "MinMaxNorm(axis=None)");
    assertNull(((MaxNorm) maxNorm).axes());
    Map<String, Object> config = maxNorm.getConfig();
    assertTrue(config.containsKey("axis") && config.get("axis") == null, config.toString());
    assertEquals(maxNorm, new MaxNorm(1.5, (List<Integer>) null));
    assertEquals(new UnitNorm(0), Constraints.fromConfig("UnitNorm", Map.of()));
  }

  @Test
  void nonNegZeroesNegatives() {
    float[] w = {-3f, -0f, 0f, 1e-30f, -1e-30f, 2.5f, -1000f, 1000f};
    float[] out = apply(new NonNeg(), w, w.length);
    float[] expected = {0f, 0f, 0f, 1e-30f, 0f, 2.5f, 0f, 1000f};
    for (int i = 0; i < w.length; i++) {
      assertEquals(expected[i], out[i], 0f, "NonNeg(" + w[i] + ")");
      assertTrue(out[i] >= 0f);
    }
  }

  @Test
  void unitNormGivesUnitColumns() {
    long[] shape = {6, 7};
    float[] w = matrix(4, 6, 7);
    float[] out = apply(new UnitNorm(), w, shape);
    assertMatches(rescaled(w, shape, List.of(0), n -> 1.0), out, "UnitNorm()");
    for (int[] g : groups(shape, List.of(0))) {
      double before = norm(w, g);
      double after = norm(out, g);
      if (before == 0) {
        assertEquals(0.0, after, "zero column must stay zero");
      } else if (before > 0.1) {
        assertEquals(1.0, after, 1e-5, "column norm");
      } else {
        // eps is not negligible next to tiny norms: norm / (eps + norm).
        assertEquals(before / (EPS + before), after, 1e-5);
      }
    }
    float[] rowsOut = apply(new UnitNorm(1), w, shape);
    for (int[] g : groups(shape, List.of(1))) {
      assertEquals(1.0, norm(rowsOut, g), 1e-5, "row norm");
    }
  }

  @Test
  void minMaxNormMovesNormsIntoTheInterval() {
    long[] shape = {6, 7};
    float[] w = matrix(5, 6, 7);
    float[] strict = apply(new MinMaxNorm(0.5, 1.5), w, shape);
    assertMatches(
        rescaled(w, shape, List.of(0), n -> Math.min(Math.max(n, 0.5), 1.5)),
        strict,
        "MinMaxNorm(0.5, 1.5)");
    for (int[] g : groups(shape, List.of(0))) {
      double after = norm(strict, g);
      if (norm(w, g) > 0.01) {
        assertTrue(after >= 0.5 - 1e-5 && after <= 1.5 + 1e-5, "norm " + after);
      }
    }
    float[] partial = apply(new MinMaxNorm(0.5, 1.5, 0.25, 1), w, shape);
    assertMatches(
        rescaled(w, shape, List.of(1), n -> 0.25 * Math.min(Math.max(n, 0.5), 1.5) + 0.75 * n),
        partial,
        "MinMaxNorm(0.5, 1.5, rate=0.25, axis=1)");
    assertMatches(
        rescaled(w, shape, List.of(0), n -> Math.min(Math.max(n, 0.0), 1.0)),
        apply(new MinMaxNorm(), w, shape),
        "MinMaxNorm()");
  }

  @Test
  void axesOutOfRangeAreRejectedWhenApplied() {
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> w = t.constant(new float[6], 2, 3);
      for (Constraint c :
          List.<Constraint>of(
              new MaxNorm(1, 2), new UnitNorm(-3), new MinMaxNorm(0, 1, 1, List.of(0, -2)))) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> c.apply(t.tf, w));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("[-2, 2)"), e.getMessage());
      }
    }
  }

  @Test
  void argumentsAreValidated() {
    assertInvalid("max_value=-1.0", () -> new MaxNorm(-1));
    assertInvalid("max_value=NaN", () -> new MaxNorm(Double.NaN));
    assertInvalid("min_value=-0.5", () -> new MinMaxNorm(-0.5, 1));
    assertInvalid("max_value=Infinity", () -> new MinMaxNorm(0, Double.POSITIVE_INFINITY));
    assertInvalid("rate=NaN", () -> new MinMaxNorm(0, 1, Double.NaN, 0));
    assertInvalid("min_value=2.0, max_value=1.0", () -> new MinMaxNorm(2, 1));
    assertInvalid("axis=[0, 0]", () -> new UnitNorm(List.of(0, 0)));
  }

  private static void assertInvalid(String fragment, Runnable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
  }

  @Test
  void classNamesAndConfigsAreKeras() {
    assertEquals("MaxNorm", new MaxNorm().className());
    assertEquals(List.of("max_value", "axis"), new ArrayList<>(new MaxNorm().getConfig().keySet()));
    assertEquals(Map.of("max_value", 2.0, "axis", 0), new MaxNorm().getConfig());
    assertEquals(
        Map.of("max_value", 3.0, "axis", List.of(0, 1, 2)),
        new MaxNorm(3, List.of(0, 1, 2)).getConfig());
    assertEquals("NonNeg", new NonNeg().className());
    assertEquals(Map.of(), new NonNeg().getConfig());
    assertEquals("UnitNorm", new UnitNorm().className());
    assertEquals(Map.of("axis", -1), new UnitNorm(-1).getConfig());
    assertEquals("MinMaxNorm", new MinMaxNorm().className());
    assertEquals(
        List.of("min_value", "max_value", "rate", "axis"),
        new ArrayList<>(new MinMaxNorm().getConfig().keySet()));
    assertEquals(
        Map.of("min_value", 0.0, "max_value", 1.0, "rate", 1.0, "axis", 0),
        new MinMaxNorm().getConfig());
    assertInstanceOf(Double.class, new MaxNorm(4).getConfig().get("max_value"));
    assertInstanceOf(Integer.class, new MaxNorm(4).getConfig().get("axis"));
  }

  @Test
  void configsRoundTripThroughTheRegistry() {
    List<Constraint> all =
        List.of(
            new MaxNorm(3, 1),
            new MaxNorm(2, List.of(0, 1)),
            new NonNeg(),
            new UnitNorm(-1),
            new UnitNorm(List.of(1)),
            new MinMaxNorm(0.1, 2, 0.5, List.of(0, 2)));
    for (Constraint c : all) {
      Constraint back = Constraints.fromConfig(c.className(), c.getConfig());
      assertEquals(c, back);
      assertEquals(c.getConfig(), back.getConfig());
    }
    assertNotEquals(new UnitNorm(1), new UnitNorm(List.of(1)));
    assertNotEquals(new MaxNorm(2, 0), new MaxNorm(3, 0));
  }

  @Test
  void fromConfigReadsKerasValueForms() {
    // Keras writes MaxNorm's default max_value as the int 2.
    assertEquals(
        new MaxNorm(2, 0), Constraints.fromConfig("MaxNorm", Map.of("max_value", 2, "axis", 0)));
    assertEquals(new MaxNorm(), Constraints.fromConfig("max_norm", Map.of()));
    assertEquals(new MaxNorm(), Constraints.fromConfig("MaxNorm", null));
    assertEquals(
        new UnitNorm(List.of(0, 1, 2)),
        Constraints.fromConfig("UnitNorm", Map.of("axis", List.of(0, 1, 2.0))));
    Map<String, Object> tuple =
        Map.of("class_name", "__tuple__", "config", Map.of("value", List.of(0, 1)));
    assertEquals(
        new UnitNorm(List.of(0, 1)), Constraints.fromConfig("UnitNorm", Map.of("axis", tuple)));
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("rate", null);
    nulls.put("min_value", 0.25f);
    assertEquals(new MinMaxNorm(0.25, 1, 1, 0), Constraints.fromConfig("MinMaxNorm", nulls));
    assertEquals(new NonNeg(), Constraints.fromConfig("NonNeg", Map.of()));
  }

  @Test
  void fromConfigRejectsBadKeysAndValues() {
    assertBadConfig("NonNeg", Map.of("axis", 0), "[axis]");
    assertBadConfig("MaxNorm", Map.of("maxvalue", 2), "[axis, max_value]");
    assertBadConfig(
        "MaxNorm",
        Map.of("max_value", "two"),
        "config.max_value: expected a finite number, got \"two\"");
    assertBadConfig("UnitNorm", Map.of("axis", 0.5), "got 0.5 (a number)");
    assertBadConfig("UnitNorm", Map.of("axis", "0"), "got \"0\" (a string)");
    assertBadConfig(
        "UnitNorm", Map.of("axis", List.of(0, "1")), "config.axis: expected an integer");
    assertBadConfig("MinMaxNorm", Map.of("min_value", 3, "max_value", 1), "min_value <= max_value");
  }

  private static void assertBadConfig(
      String className, Map<String, Object> config, String fragment) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Constraints.fromConfig(className, config));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private static final List<String> EXPECTED_NAMES =
      List.of(
          "MaxNorm",
          "MinMaxNorm",
          "NonNeg",
          "UnitNorm",
          "max_norm",
          "min_max_norm",
          "non_neg",
          "unit_norm");

  @Test
  void getUsesKerasNamesAndDefaults() {
    assertEquals(EXPECTED_NAMES, Constraints.names());
    assertEquals(new MaxNorm(2, 0), Constraints.get("max_norm"));
    assertEquals(new MaxNorm(2, 0), Constraints.get("MaxNorm"));
    assertEquals(new NonNeg(), Constraints.get("non_neg"));
    assertEquals(new NonNeg(), Constraints.get("NonNeg"));
    assertEquals(new UnitNorm(0), Constraints.get("unit_norm"));
    assertEquals(new UnitNorm(0), Constraints.get("UnitNorm"));
    assertEquals(new MinMaxNorm(0, 1, 1, 0), Constraints.get("min_max_norm"));
    assertEquals(new MinMaxNorm(0, 1, 1, 0), Constraints.get("MinMaxNorm"));
    assertNull(Constraints.get(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"maxnorm", "NonNegative", "", "unit-norm"})
  void unknownNamesListValidNames(String name) {
    for (Runnable call :
        List.<Runnable>of(
            () -> Constraints.get(name), () -> Constraints.fromConfig(name, Map.of()))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
      assertTrue(e.getMessage().contains("\"" + name + "\""), e.getMessage());
      assertTrue(e.getMessage().endsWith(String.join(", ", EXPECTED_NAMES)), e.getMessage());
    }
  }

  @Test
  void factoriesBuildTheClasses() {
    assertEquals(new MaxNorm(3, 0), Constraints.maxNorm(3));
    assertEquals(new MaxNorm(3, 1), Constraints.maxNorm(3, 1));
    assertEquals(new NonNeg(), Constraints.nonNeg());
    assertEquals(new UnitNorm(0), Constraints.unitNorm());
    assertEquals(new UnitNorm(2), Constraints.unitNorm(2));
    assertEquals(new MinMaxNorm(0.5, 2, 1, 0), Constraints.minMaxNorm(0.5, 2));
    assertEquals(new MinMaxNorm(0.5, 2, 0.1, 1), Constraints.minMaxNorm(0.5, 2, 0.1, 1));
    assertEquals(List.of(0, 1), new MaxNorm(1, List.of(0, 1)).axes());
    assertEquals(0.1, Constraints.minMaxNorm(0.5, 2, 0.1, 1).rate());
  }
}
