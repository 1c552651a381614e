package io.jkeras.initializers;

import static io.jkeras.initializers.RandomDistributionsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VarianceScalingTest {

  @Test
  void fansFollowKerasRules() {
    assertFans(1, 1, new long[] {});
    assertFans(7, 7, new long[] {7});
    assertFans(250, 1, new long[] {250, 1});
    // Conv kernels (*spatial, in, out): receptive field multiplies both.
    assertFans(3 * 50, 3 * 250, new long[] {1, 3, 50, 250});
    assertFans(5 * 16, 5 * 32, new long[] {5, 16, 32});
    assertFans(2 * 3 * 4 * 6, 2 * 3 * 4 * 7, new long[] {2, 3, 4, 6, 7});
    assertFans(0, 0, new long[] {0, 3, 4});
  }

  @Test
  void explicitAxesOverrideTheRuleOnlyWhenBothAreGiven() {
    long[] shape = {2, 3, 5, 7};
    Fans f = Fans.of(shape, List.of(0, 1), List.of(-1));
    assertEquals(6, f.in());
    assertEquals(7, f.out());
    assertEquals(Fans.of(shape, null, null), Fans.of(shape, List.of(0), null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Fans.of(shape, List.of(4), List.of(0)));
    assertTrue(e.getMessage().contains("input_axes"), e.getMessage());
  }

  @Test
  void glorotUniformLimitForADenseColumn() {
    double limit = Math.sqrt(6.0 / 251);
    float[] v = new GlorotUniform(1L).generate(new long[] {250, 1}, null);
    assertEquals(250, v.length);
    Stats s = Stats.of(v);
    assertTrue(s.min() >= -limit && s.max() < limit, s.toString());
    assertTrue(s.min() < -0.9 * limit && s.max() > 0.9 * limit, s.toString());
    assertTrue(s.negatives() > 75 && s.negatives() < 175, s.toString());
  }

  @Test
  void glorotUniformOnAConvKernelUsesReceptiveField() {
    double limit = Math.sqrt(6.0 / (150 + 750));
    assertEquals(0.0816, limit, 1e-4);
    float[] v = new GlorotUniform(2L).generate(new long[] {1, 3, 50, 250}, null);
    Stats s = Stats.of(v);
    assertTrue(s.min() >= -limit && s.max() < limit, s.toString());
    assertTrue(s.min() < -0.99 * limit && s.max() > 0.99 * limit, s.toString());
    assertEquals(0.5, s.negatives() / (double) v.length, 0.02);
    assertEquals(0, s.mean(), 0.02 * limit);
    assertEquals(limit * limit / 3, s.variance(), 0.03 * limit * limit / 3);
  }

  /** Each preset against its Keras definition, for a 400 x 600 kernel. */
  static Stream<Arguments> presets() {
    double in = 400;
    double avg = (400 + 600) / 2.0;
    return Stream.of(
        preset("glorot_uniform", GlorotUniform::new, 1.0, "fan_avg", avg, true),
        preset("glorot_normal", GlorotNormal::new, 1.0, "fan_avg", avg, false),
        preset("he_uniform", HeUniform::new, 2.0, "fan_in", in, true),
        preset("he_normal", HeNormal::new, 2.0, "fan_in", in, false),
        preset("lecun_uniform", LecunUniform::new, 1.0, "fan_in", in, true),
        preset("lecun_normal", LecunNormal::new, 1.0, "fan_in", in, false));
  }

  private static Arguments preset(
      String name,
      Function<Long, Initializer> make,
      double scale,
      String mode,
      double n,
      boolean uniform) {
    return Arguments.of(name, make, scale, mode, n, uniform);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void presetHasKerasVarianceAndSupport(
      String name,
      Function<Long, Initializer> make,
      double scale,
      String mode,
      double n,
      boolean uniform) {
    float[] v = make.apply(21L).generate(new long[] {400, 600}, null);
    Stats s = Stats.of(v);
    double variance = scale / n;
    assertEquals(0, s.mean(), 0.01 * Math.sqrt(variance), name);
    assertEquals(variance, s.variance(), 0.02 * variance, name);
    // Support: [-limit, limit) for uniform, [-2 sd, 2 sd] of the pre-truncation normal otherwise.
    double bound =
        uniform
            ? Math.sqrt(3 * variance)
            : 2 * Math.sqrt(variance / Stats.truncatedStandardNormalVariance());
    assertTrue(s.min() >= -bound && s.max() <= bound, name + " " + s);
    assertTrue(s.min() < -0.99 * bound && s.max() > 0.99 * bound, name + " " + s);
    // The preset is the same draw as the equivalent VarianceScaling.
    VarianceScaling same =
        new VarianceScaling(scale, mode, uniform ? "uniform" : "truncated_normal", 21L);
    assertEquals(List.of(), diff(v, same.generate(new long[] {400, 600}, null)), name);
  }

  private static List<Integer> diff(float[] a, float[] b) {
    java.util.ArrayList<Integer> d = new java.util.ArrayList<>();
    for (int i = 0; i < a.length && d.size() < 5; i++) {
      if (a[i] != b[i]) {
        d.add(i);
      }
    }
    return a.length == b.length ? d : List.of(-1);
  }

  @Test
  void modesPickTheirFan() {
    long[] shape = {300, 700};
    assertEquals(
        2.0 / 700,
        variance(new VarianceScaling(2.0, "fan_out", "untruncated_normal", 1L), shape),
        0.02 * 2.0 / 700);
    assertEquals(
        2.0 / 300,
        variance(new VarianceScaling(2.0, "fan_in", "untruncated_normal", 1L), shape),
        0.02 * 2.0 / 300);
    assertEquals(
        2.0 / 500,
        variance(new VarianceScaling(2.0, "fan_avg", "untruncated_normal", 1L), shape),
        0.02 * 2.0 / 500);
    assertEquals(
        0.5 / 700,
        variance(new VarianceScaling(0.5, "fan_out", "uniform", 1L), shape),
        0.02 * 0.5 / 700);
    assertEquals(
        3.0 / 300,
        variance(new VarianceScaling(3.0, "fan_in", "truncated_normal", 1L), shape),
        0.02 * 3.0 / 300);
  }

  @Test
  void untruncatedNormalHasTails() {
    float[] v =
        new VarianceScaling(1.0, "fan_in", "untruncated_normal", 3L)
            .generate(new long[] {100, 2000}, null);
    double sd = Math.sqrt(1.0 / 100);
    int beyond = 0;
    for (float x : v) {
      beyond += Math.abs(x) > 2 * sd ? 1 : 0;
    }
    assertEquals(0.0455, beyond / (double) v.length, 0.003);
  }

  @Test
  void fanBelowOneCountsAsOne() {
    // A zero fan would divide by zero; Keras uses max(1, n).
    float[] v = new VarianceScaling(1.0, "fan_in", "uniform", 4L).generate(new long[] {}, null);
    assertEquals(1, v.length);
    assertTrue(Math.abs(v[0]) < Math.sqrt(3.0));
    assertEquals(0, new GlorotUniform(1L).generate(new long[] {0, 5}, null).length);
  }

  @Test
  void explicitAxesChangeTheDraw() {
    // By default the fan-in of (20, 30, 400) is 30 * 20; with input_axes [2] it is 400.
    long[] shape = {20, 30, 400};
    double var =
        variance(new VarianceScaling(1.0, "fan_in", "uniform", 1L, List.of(2), List.of(0)), shape);
    assertEquals(1.0 / 400, var, 0.02 / 400);
    double dflt = variance(new VarianceScaling(1.0, "fan_in", "uniform", 1L), shape);
    assertEquals(1.0 / (20 * 30), dflt, 0.02 / 600);
  }

  @Test
  void distributionIsNormalizedAsKerasDoes() {
    assertEquals("truncated_normal", new VarianceScaling(1, "fan_in", "normal").distribution());
    assertEquals("uniform", new VarianceScaling(1, "fan_in", "UNIFORM").distribution());
    assertEquals(
        "untruncated_normal",
        new VarianceScaling(1, "fan_in", "Untruncated_Normal").distribution());
  }

  @Test
  void invalidArgumentsAreReported() {
    assertMessage(
        () -> new VarianceScaling(0, "fan_in", "uniform"),
        "VarianceScaling",
        "'scale'",
        "> 0",
        "0.0");
    assertMessage(() -> new VarianceScaling(-2, "fan_in", "uniform"), "'scale'", "-2.0");
    assertMessage(
        () -> new VarianceScaling(1, "fan_sum", "uniform"),
        "'mode'",
        "fan_in",
        "fan_out",
        "fan_avg",
        "'fan_sum'");
    // Mode is case-sensitive in Keras.
    assertMessage(() -> new VarianceScaling(1, "FAN_IN", "uniform"), "'mode'", "'FAN_IN'");
    assertMessage(() -> new VarianceScaling(1, null, "uniform"), "'mode'", "null");
    assertMessage(
        () -> new VarianceScaling(1, "fan_in", "gaussian"),
        "'distribution'",
        "truncated_normal",
        "untruncated_normal",
        "uniform",
        "'gaussian'");
    assertMessage(
        () -> new GlorotUniform(1L, java.util.Arrays.asList(0, null), List.of(1)),
        "GlorotUniform",
        "'input_axes'",
        "[0, null]");
  }

  private static double variance(Initializer init, long[] shape) {
    return Stats.of(init.generate(shape, null)).variance();
  }

  private static void assertFans(double in, double out, long[] shape) {
    Fans f = Fans.of(shape, null, null);
    assertEquals(in, f.in(), java.util.Arrays.toString(shape));
    assertEquals(out, f.out(), java.util.Arrays.toString(shape));
  }
}
