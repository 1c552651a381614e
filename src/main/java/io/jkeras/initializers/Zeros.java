package io.jkeras.initializers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fills a weight with 0, as Keras's {@code Zeros} ({@code "zeros"}, {@code "zero"}).
 *
 * <pre>{@code float[] bias = new Zeros().generate(new long[] {64}, null);}</pre>
 */
public final class Zeros extends AbstractInitializer {

  /** The initializer; it has no arguments. */
  public Zeros() {}

  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    return new float[Checks.size(shape)];
  }

  @Override
  public Values stream(long[] shape, RandomGenerator random) {
    Checks.dimensions(shape);
    return out -> Arrays.fill(out, 0f);
  }

  @Override
  public String className() {
    return "Zeros";
  }

  /** Always empty: Zeros has no arguments. */
  @Override
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }
}
