package io.jkeras.initializers;

import java.util.List;
import java.util.Map;

/**
 * The Glorot (Xavier) normal initializer: truncated normal with variance {@code 2 / (fan_in +
 * fan_out)} after truncation, as Keras's {@code GlorotNormal} ({@code "glorot_normal"}). It is
 * {@link VarianceScaling} with {@code scale=1.0, mode="fan_avg", distribution="truncated_normal"};
 * fans are computed as there.
 *
 * <pre>{@code float[] kernel = new GlorotNormal(42L).generate(new long[] {784, 128}, null);}</pre>
 */
public final class GlorotNormal extends VarianceScaling {

  /** Without a seed: values come from the generator passed to {@code generate}. */
  public GlorotNormal() {
    this(null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public GlorotNormal(Long seed) {
    this(seed, null, null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   * @param inputAxes with {@code outputAxes}, explicit fan axes (see {@link VarianceScaling})
   * @param outputAxes explicit fan-out axes, or null
   */
  public GlorotNormal(Long seed, List<Integer> inputAxes, List<Integer> outputAxes) {
    super("GlorotNormal", 1.0, "fan_avg", "truncated_normal", seed, inputAxes, outputAxes);
  }

  @Override
  public String className() {
    return "GlorotNormal";
  }

  /** {@code {"seed", "input_axes", "output_axes"}}. */
  @Override
  public Map<String, Object> getConfig() {
    return presetConfig();
  }
}
