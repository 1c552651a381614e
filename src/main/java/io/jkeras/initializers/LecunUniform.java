package io.jkeras.initializers;

import java.util.List;
import java.util.Map;

/**
 * The LeCun uniform initializer: uniform on {@code [-limit, limit)} with {@code limit = sqrt(3 /
 * fan_in)}, as Keras's {@code LecunUniform} ({@code "lecun_uniform"}). It is {@link
 * VarianceScaling} with {@code scale=1.0, mode="fan_in", distribution="uniform"}; fans are computed
 * as there.
 *
 * <pre>{@code float[] kernel = new LecunUniform(42L).generate(new long[] {784, 128}, null);}</pre>
 */
public final class LecunUniform extends VarianceScaling {

  /** Without a seed: values come from the generator passed to {@code generate}. */
  public LecunUniform() {
    this(null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public LecunUniform(Long seed) {
    this(seed, null, null);
  }

  /**
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   * @param inputAxes with {@code outputAxes}, explicit fan axes (see {@link VarianceScaling})
   * @param outputAxes explicit fan-out axes, or null
   */
  public LecunUniform(Long seed, List<Integer> inputAxes, List<Integer> outputAxes) {
    super("LecunUniform", 1.0, "fan_in", "uniform", seed, inputAxes, outputAxes);
  }

  @Override
  public String className() {
    return "LecunUniform";
  }

  /** {@code {"seed", "input_axes", "output_axes"}}. */
  @Override
  public Map<String, Object> getConfig() {
    return presetConfig();
  }
}
