package io.jkeras.initializers;

import java.util.List;
import java.util.Map;

/**
 * The Glorot (Xavier) uniform initializer: uniform on {@code [-limit, limit)} with {@code limit =
 * sqrt(6 / (fan_in + fan_out))}, as Keras's {@code GlorotUniform} ({@code "glorot_uniform"}). It is
 * {@link VarianceScaling} with {@code scale=1.0, mode="fan_avg", distribution="uniform"}; fans are
 * computed as there.
 *
 * <pre>{@code float[] kernel = new GlorotUniform(42L).generate(new long[] {784, 128}, null);}</pre>
 */
public final class GlorotUniform extends VarianceScaling {

  /** Without a seed: values come from the generator passed to {@code generate}. */
  public GlorotUniform() {
    this(null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public GlorotUniform(Long seed) {
    this(seed, null, null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   * @param inputAxes with {@code outputAxes}, explicit fan axes (see {@link VarianceScaling})
   * @param outputAxes explicit fan-out axes, or null
   */
  public GlorotUniform(Long seed, List<Integer> inputAxes, List<Integer> outputAxes) {
    super("GlorotUniform", 1.0, "fan_avg", "uniform", seed, inputAxes, outputAxes);
  }

  @Override
  public String className() {
    return "GlorotUniform";
  }

  /** {@code {"seed", "input_axes", "output_axes"}}. */
  @Override
  public Map<String, Object> getConfig() {
    return presetConfig();
  }
}
