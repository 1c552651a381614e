package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Draws from the normal distribution, redrawing any value more than two standard deviations from
 * the mean, as Keras's {@code TruncatedNormal} ({@code "truncated_normal"}). The values therefore
 * lie in {@code [mean - 2 stddev, mean + 2 stddev]} and their standard deviation is about {@code
 * 0.88 stddev}.
 *
 * <pre>{@code float[] w = new TruncatedNormal(0, 0.02, 42L).generate(new long[] {3}, null);}</pre>
 */
public final class TruncatedNormal extends RandomInitializer {

  private final double mean;
  private final double stddev;

  /** Keras's defaults: {@code mean=0.0, stddev=0.05}, no seed. */
  public TruncatedNormal() {
    this(0.0, 0.05, null);
  }

  /** Keras's default mean and stddev with a seed (null for none). */
  public TruncatedNormal(Long seed) {
    this(0.0, 0.05, seed);
  }

  public TruncatedNormal(double mean, double stddev) {
    this(mean, stddev, null);
  }

  /**
   * @param mean finite
   * @param stddev of the underlying normal distribution; finite and &gt; 0
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public TruncatedNormal(double mean, double stddev, Long seed) {
    super(seed);
    this.mean = Checks.finite("TruncatedNormal", "mean", mean);
    this.stddev = Checks.positive("TruncatedNormal", "stddev", stddev);
  }

  public double mean() {
    return mean;
  }

  public double stddev() {
    return stddev;
  }

  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    float[] out = new float[Checks.size(shape)];
    Sampling.truncatedNormal(out, source(random), mean, stddev);
    return out;
  }

  @Override
  public String className() {
    return "TruncatedNormal";
  }

  /** {@code {"seed", "mean", "stddev"}}. */
  @Override
  public Map<String, Object> getConfig() {
    LinkedHashMap<String, Object> config = seedConfig();
    config.put("mean", mean);
    config.put("stddev", stddev);
    return config;
  }
}
