package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The shared part of {@link RandomNormal} and {@link TruncatedNormal}: a mean and a standard
 * deviation (Keras's defaults 0.0 and 0.05), an optional seed, and the config {@code {"seed",
 * "mean", "stddev"}}. Subclasses only choose how to draw.
 */
abstract class NormalInitializer extends RandomInitializer {

  private final double mean;
  private final double stddev;

  NormalInitializer(double mean, double stddev, Long seed) {
    super(seed);
    this.mean = Checks.finite(className(), "mean", mean);
    // 0 is allowed, as in Keras: every value is then the mean.
    this.stddev = Checks.nonNegative(className(), "stddev", stddev);
  }

  public double mean() {
    return mean;
  }

  public double stddev() {
    return stddev;
  }

  /** Fills {@code out} with draws from {@code source}. */
  abstract void draw(float[] out, RandomGenerator source, double mean, double stddev);

  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    return generateFromStream(shape, random);
  }

  @Override
  public Values stream(long[] shape, RandomGenerator random) {
    Checks.dimensions(shape);
    RandomGenerator source = source(random);
    return out -> draw(out, source, mean, stddev);
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
