package io.jkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RandomUniform, RandomNormal and TruncatedNormal, and seeding, which all random ones share. */
class RandomDistributionsTest {

  private static final long[] BIG = {400, 500}; // 200k values

  @Test
  void uniformCoversItsRangeWithTheRightMoments() {
    float[] v = new RandomUniform(-0.3, 0.5, 1L).generate(BIG, null);
    Stats s = Stats.of(v);
    assertTrue(s.min() >= -0.3f, "min " + s.min());
    assertTrue(s.max() < 0.5f, "max " + s.max());
    // Reaches close to both ends.
    assertTrue(s.min() < -0.299, "min " + s.min());
    assertTrue(s.max() > 0.499, "max " + s.max());
    double width = 0.8;
    assertEquals(0.1, s.mean(), 0.005 * width); // SE is 0.0006 of the width
    assertEquals(width * width / 12, s.variance(), 0.02 * width * width / 12);
  }

  @Test
  void uniformDefaultsAreKerasRange() {
    Stats s = Stats.of(new RandomUniform(7L).generate(BIG, null));
    assertTrue(s.min() >= -0.05f && s.min() < -0.0499, "min " + s.min());
    assertTrue(s.max() < 0.05f && s.max() > 0.0499, "max " + s.max());
    assertEquals(0.1 * 0.1 / 12, s.variance(), 0.02 * 0.1 * 0.1 / 12);
  }

  @Test
  void normalHasTheRequestedMeanAndStddev() {
    Stats s = Stats.of(new RandomNormal(1.5, 0.2, 3L).generate(BIG, null));
    assertEquals(1.5, s.mean(), 0.01 * 0.2);
    assertEquals(0.04, s.variance(), 0.02 * 0.04);
    // Not truncated: about 4.6% of a normal lies beyond two stddev.
    float[] v = new RandomNormal(0, 1, 4L).generate(BIG, null);
    long beyond = countBeyond(v, 2.0);
    assertEquals(0.0455, beyond / (double) v.length, 0.003);
  }

  @Test
  void truncatedNormalStaysWithinTwoStddevAndHasTheTruncatedVariance() {
    double mean = -0.4;
    double stddev = 0.3;
    float[] v = new TruncatedNormal(mean, stddev, 5L).generate(BIG, null);
    Stats s = Stats.of(v);
    assertTrue(s.min() >= (float) (mean - 2 * stddev), "min " + s.min());
    assertTrue(s.max() <= (float) (mean + 2 * stddev), "max " + s.max());
    // The tails are filled right up to the cut.
    assertTrue(s.min() < mean - 1.99 * stddev, "min " + s.min());
    assertTrue(s.max() > mean + 1.99 * stddev, "max " + s.max());
    assertEquals(mean, s.mean(), 0.01 * stddev);
    double expected = stddev * stddev * Stats.truncatedStandardNormalVariance();
    assertEquals(expected, s.variance(), 0.02 * expected);
  }

  @Test
  void truncatedVarianceConstantMatchesIntegration() {
    assertEquals(
        VarianceScaling.TRUNCATED_STDDEV, Math.sqrt(Stats.truncatedStandardNormalVariance()), 1e-9);
  }

  @Test
  void seededInitializerRepeatsAndIgnoresTheGivenGenerator() {
    for (Initializer init : seeded(11L)) {
      float[] a = init.generate(new long[] {20, 30}, new SplittableRandom(1));
      float[] b = init.generate(new long[] {20, 30}, new SplittableRandom(2));
      float[] c = init.generate(new long[] {20, 30}, null);
      assertArrayEquals(a, b, init.toString());
      assertArrayEquals(a, c, init.toString());
      float[] other = copyWithSeed(init, 12L).generate(new long[] {20, 30}, null);
      assertFalse(Arrays.equals(a, other), "seed 11 and 12 gave the same values: " + init);
    }
  }

  @Test
  void unseededInitializerDrawsFromTheGivenGenerator() {
    for (Initializer init : seeded(null)) {
      float[] a = init.generate(new long[] {20, 30}, new SplittableRandom(1));
      float[] b = init.generate(new long[] {20, 30}, new SplittableRandom(1));
      float[] c = init.generate(new long[] {20, 30}, new SplittableRandom(2));
      assertArrayEquals(a, b, init.toString());
      assertFalse(Arrays.equals(a, c), init.toString());
      SplittableRandom shared = new SplittableRandom(3);
      assertFalse(
          Arrays.equals(
              init.generate(new long[] {2, 5}, shared), init.generate(new long[] {2, 5}, shared)),
          "a shared generator should advance: " + init);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> init.generate(new long[] {2, 2}, null));
      assertTrue(e.getMessage().contains("seed"), e.getMessage());
    }
  }

  @Test
  void seedIsKept() {
    assertEquals(9L, new RandomNormal(9L).seed());
    assertNull(new RandomNormal().seed());
  }

  @Test
  void invalidArgumentsNameArgumentExpectationAndValue() {
    assertMessage(
        () -> new RandomNormal(0, -1.0, null), "RandomNormal", "'stddev'", ">= 0", "-1.0");
    assertMessage(
        () -> new TruncatedNormal(Double.NaN, 1), "TruncatedNormal", "'mean'", "finite", "NaN");
    assertMessage(() -> new TruncatedNormal(0, Double.POSITIVE_INFINITY), "'stddev'", "Infinity");
    assertMessage(
        () -> new RandomUniform(1, 0.5), "RandomUniform", "'maxval'", "minval=1.0", "0.5");
    assertMessage(() -> new RandomUniform(Double.NEGATIVE_INFINITY, 0), "'minval'", "-Infinity");
  }

  /**
   * Keras accepts {@code stddev=0} and {@code minval == maxval} and then fills the weight with the
   * mean (or minval), as {@code RandomNormal(0.5, 0.0)((2, 3))} gives six 0.5s in Keras 3.
   */
  @Test
  void zeroSpreadFillsWithTheCenter() {
    List<Initializer> degenerate =
        List.of(
            Initializers.fromConfig("RandomNormal", Map.of("mean", 0.5, "stddev", 0)),
            Initializers.fromConfig("TruncatedNormal", Map.of("mean", 0.5, "stddev", 0.0)),
            Initializers.fromConfig("RandomUniform", Map.of("minval", 0.5, "maxval", 0.5)));
    for (Initializer init : degenerate) {
      float[] v = init.generate(new long[] {2, 3}, new SplittableRandom(3));
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, v, init.toString());
    }
  }

  static void assertMessage(Runnable action, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' missing in: " + e.getMessage());
    }
  }

  /** One of every random initializer, with the given seed. */
  static List<Initializer> seeded(Long seed) {
    return List.of(
        new RandomUniform(seed),
        new RandomNormal(seed),
        new TruncatedNormal(seed),
        new VarianceScaling(1.0, "fan_in", "untruncated_normal", seed),
        new GlorotUniform(seed),
        new GlorotNormal(seed),
        new HeUniform(seed),
        new HeNormal(seed),
        new LecunUniform(seed),
        new LecunNormal(seed),
        new Orthogonal(1.0, seed));
  }

  private static Initializer copyWithSeed(Initializer init, long seed) {
    var config = new java.util.LinkedHashMap<>(init.getConfig());
    config.put("seed", seed);
    return Initializers.fromConfig(init.className(), config);
  }

  private static long countBeyond(float[] v, double k) {
    long n = 0;
    for (float x : v) {
      if (Math.abs(x) > k) {
        n++;
      }
    }
    return n;
  }
}
