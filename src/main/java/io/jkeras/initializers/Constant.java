package io.jkeras.initializers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fills a weight with one scalar value, as Keras's {@code Constant} ({@code "constant"}).
 *
 * <pre>{@code float[] bias = new Constant(0.1).generate(new long[] {64}, null);}</pre>
 */
public final class Constant extends AbstractInitializer {

  private final double value;

  /** Keras's default, {@code value=0.0}. */
  public Constant() {
    this(0.0);
  }

  /**
   * @param value the fill value; must be finite
   */
  public Constant(double value) {
    this.value = Checks.finite("Constant", "value", value);
  }

  /** The fill value. */
  public double value() {
    return value;
  }

  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    return generateFromStream(shape, random);
  }

  @Override
  public Values stream(long[] shape, RandomGenerator random) {
    Checks.dimensions(shape);
    float fill = (float) value;
    return out -> Arrays.fill(out, fill);
  }

  @Override
  public String className() {
    return "Constant";
  }

  /** {@code {"value"}}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("value", value);
    return config;
  }
}
