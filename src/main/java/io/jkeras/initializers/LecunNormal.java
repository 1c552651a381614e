package io.jkeras.initializers;

import java.util.List;
import java.util.Map;

/**
 * The LeCun normal initializer: truncated normal with variance {@code 1 / fan_in} after truncation,
 * as Keras's {@code LecunNormal} ({@code "lecun_normal"}). It is {@link VarianceScaling} with
 * {@code scale=1.0, mode="fan_in", distribution="truncated_normal"}; fans are computed as there.
 *
 * <pre>{@code float[] kernel = new LecunNormal(42L).generate(new long[] {784, 128}, null);}</pre>
 */
public final class LecunNormal extends VarianceScaling {

  /** Without a seed: values come from the generator passed to {@code generate}. */
  public LecunNormal() {
    this(null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public LecunNormal(Long seed) {
    this(seed, null, null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   * @param inputAxes with {@code outputAxes}, explicit fan axes (see {@link VarianceScaling})
   * @param outputAxes explicit fan-out axes, or null
   */
  public LecunNormal(Long seed, List<Integer> inputAxes, List<Integer> outputAxes) {
    super("LecunNormal", 1.0, "fan_in", "truncated_normal", seed, inputAxes, outputAxes);
  }

  @Override
  public String className() {
    return "LecunNormal";
  }

  /** {@code {"seed", "input_axes", "output_axes"}}. */
  @Override
  public Map<String, Object> getConfig() {
    return presetConfig();
  }
}
