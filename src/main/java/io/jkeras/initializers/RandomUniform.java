package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Draws from the uniform distribution on {@code [minval, maxval)}, as Keras's {@code RandomUniform}
 * ({@code "random_uniform"}, {@code "uniform"}).
 *
 * <pre>{@code float[] w = new RandomUniform(-0.1, 0.1, 42L).generate(new long[] {3}, null);}</pre>
 */
public final class RandomUniform extends RandomInitializer {

  private final double minval;
  private final double maxval;

  /** Keras's defaults: {@code minval=-0.05, maxval=0.05}, no seed. */
  public RandomUniform() {
    this(-0.05, 0.05, null);
  }

  /** Keras's default range with a seed (null for none). */
  public RandomUniform(Long seed) {
    this(-0.05, 0.05, seed);
  }

  /**
   * Draws uniformly from {@code [minval, maxval)} without a seed: each call uses the generator it
   * is given.
   */
  public RandomUniform(double minval, double maxval) {
    this(minval, maxval, null);
  }

  /**
   * @param minval lower bound (inclusive); finite
   * @param maxval upper bound (exclusive); finite and at least {@code minval} (equal bounds give
   *     {@code minval} everywhere)
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public RandomUniform(double minval, double maxval, Long seed) {
    super(seed);
    this.minval = Checks.finite("RandomUniform", "minval", minval);
    this.maxval = Checks.finite("RandomUniform", "maxval", maxval);
    // Equal bounds are allowed, as in Keras: every value is then minval.
    if (!(maxval >= minval)) {
      throw Checks.bad("RandomUniform", "maxval", "at least minval=" + minval, maxval);
    }
  }

  /** The lower bound (inclusive) of the draws. */
  public double minval() {
    return minval;
  }

  /** The upper bound (exclusive) of the draws. */
  public double maxval() {
    return maxval;
  }

  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    return generateFromStream(shape, random);
  }

  @Override
  public Values stream(long[] shape, RandomGenerator random) {
    Checks.dimensions(shape);
    RandomGenerator source = source(random);
    return out -> Sampling.uniform(out, source, minval, maxval);
  }

  @Override
  public String className() {
    return "RandomUniform";
  }

  /** {@code {"seed", "minval", "maxval"}}. */
  @Override
  public Map<String, Object> getConfig() {
    LinkedHashMap<String, Object> config = seedConfig();
    config.put("minval", minval);
    config.put("maxval", maxval);
    return config;
  }
}
