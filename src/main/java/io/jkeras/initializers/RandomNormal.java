package io.jkeras.initializers;

import java.util.random.RandomGenerator;

/**
 * Draws from the normal distribution, as Keras's {@code RandomNormal} ({@code "random_normal"},
 * {@code "normal"}).
 *
 * <pre>{@code float[] w = new RandomNormal(0.0, 0.02, 42L).generate(new long[] {3}, null);}</pre>
 */
public final class RandomNormal extends NormalInitializer {

  /** Keras's defaults: {@code mean=0.0, stddev=0.05}, no seed. */
  public RandomNormal() {
    this(0.0, 0.05, null);
  }

  /** Keras's default mean and stddev with a seed (null for none). */
  public RandomNormal(Long seed) {
    this(0.0, 0.05, seed);
  }

  /**
   * Draws from {@code N(mean, stddev^2)} without a seed: each call uses the generator it is given.
   */
  public RandomNormal(double mean, double stddev) {
    this(mean, stddev, null);
  }

  /**
   * @param mean finite
   * @param stddev of the underlying normal distribution; finite and &gt;= 0 (0 gives the mean
   *     everywhere)
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public RandomNormal(double mean, double stddev, Long seed) {
    super(mean, stddev, seed);
  }

  @Override
  void draw(float[] out, RandomGenerator source, double mean, double stddev) {
    Sampling.normal(out, source, mean, stddev);
  }

  @Override
  public String className() {
    return "RandomNormal";
  }
}
