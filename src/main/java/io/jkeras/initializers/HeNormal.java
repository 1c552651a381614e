package io.jkeras.initializers;

import java.util.List;
import java.util.Map;

/**
 * The He normal initializer: truncated normal with variance {@code 2 / fan_in} after truncation, as
 * Keras's {@code HeNormal} ({@code "he_normal"}). It is {@link VarianceScaling} with {@code
 * scale=2.0, mode="fan_in", distribution="truncated_normal"}; fans are computed as there.
 *
 * <pre>{@code float[] kernel = new HeNormal(42L).generate(new long[] {784, 128}, null);}</pre>
 */
public final class HeNormal extends VarianceScaling {

  /** Without a seed: values come from the generator passed to {@code generate}. */
  public HeNormal() {
    this(null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public HeNormal(Long seed) {
    this(seed, null, null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   * @param inputAxes with {@code outputAxes}, explicit fan axes (see {@link VarianceScaling})
   * @param outputAxes explicit fan-out axes, or null
   */
  public HeNormal(Long seed, List<Integer> inputAxes, List<Integer> outputAxes) {
    super("HeNormal", 2.0, "fan_in", "truncated_normal", seed, inputAxes, outputAxes);
  }

  @Override
  public String className() {
    return "HeNormal";
  }

  /** {@code {"seed", "input_axes", "output_axes"}}. */
  @Override
  public Map<String, Object> getConfig() {
    return presetConfig();
  }
}
