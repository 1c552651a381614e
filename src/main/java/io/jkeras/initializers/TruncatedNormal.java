package io.jkeras.initializers;

import java.util.random.RandomGenerator;

/**
 * Draws from the normal distribution, redrawing any value more than two standard deviations from
 * the mean, as Keras's {@code TruncatedNormal} ({@code "truncated_normal"}). The values therefore
 * lie in {@code [mean - 2 stddev, mean + 2 stddev]} and their standard deviation is about {@code
 * 0.88 stddev}.
 *
 * <pre>{@code float[] w = new TruncatedNormal(0, 0.02, 42L).generate(new long[] {3}, null);}</pre>
 */
public final class TruncatedNormal extends NormalInitializer {

  /** Keras's defaults: {@code mean=0.0, stddev=0.05}, no seed. */
  public TruncatedNormal() {
    this(0.0, 0.05, null);
  }

  /** Keras's default mean and stddev with a seed (null for none). */
  public TruncatedNormal(Long seed) {
    this(0.0, 0.05, seed);
  }

  /**
   * Draws from {@code N(mean, stddev^2)} truncated to two standard deviations around the mean,
   * without a seed.
   */
  public TruncatedNormal(double mean, double stddev) {
    this(mean, stddev, null);
  }

  /**
   * @param mean finite
   * @param stddev of the underlying normal distribution; finite and &gt;= 0 (0 gives the mean
   *     everywhere)
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public TruncatedNormal(double mean, double stddev, Long seed) {
    super(mean, stddev, seed);
  }

  @Override
  void draw(float[] out, RandomGenerator source, double mean, double stddev) {
    Sampling.truncatedNormal(out, source, mean, stddev);
  }

  @Override
  public String className() {
    return "TruncatedNormal";
  }
}
