package io.jkeras.initializers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fills a weight with 1, as Keras's {@code Ones} ({@code "ones"}, {@code "one"}).
 *
 * <pre>{@code float[] gamma = new Ones().generate(new long[] {64}, null);}</pre>
 */
public final class Ones extends AbstractInitializer {

  /** The initializer; it has no arguments. */
  public Ones() {}

  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    return generateFromStream(shape, random);
  }

  @Override
  public Values stream(long[] shape, RandomGenerator random) {
    Checks.dimensions(shape);
    float fill = 1f;
    return out -> Arrays.fill(out, fill);
  }

  @Override
  public String className() {
    return "Ones";
  }

  /** Always empty: Ones has no arguments. */
  @Override
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }
}
