package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Draws values whose variance is {@code scale / n}, where {@code n} is the weight's fan-in, fan-out
 * or their average, as Keras's {@code VarianceScaling} ({@code "variance_scaling"}).
 *
 * <p>Fans follow Keras: for rank 1 both are {@code shape[0]}; for rank 2 they are {@code shape[0]}
 * and {@code shape[1]}; for a convolution kernel {@code (*spatial, in, out)} they are {@code in}
 * and {@code out} times the product of the spatial dims; for a scalar both are 1. {@code n} is at
 * least 1. The distributions are
 *
 * <ul>
 *   <li>{@code "truncated_normal"}: normal with stddev {@code sqrt(scale / n) / 0.8796...}, redrawn
 *       beyond two stddev, so that after truncation the variance is {@code scale / n};
 *   <li>{@code "untruncated_normal"}: normal with stddev {@code sqrt(scale / n)};
 *   <li>{@code "uniform"}: uniform on {@code [-limit, limit)} with {@code limit = sqrt(3 scale /
 *       n)}.
 * </ul>
 *
 * <pre>{@code Initializer init = new VarianceScaling(2.0, "fan_in", "uniform", 42L);}</pre>
 */
public class VarianceScaling extends RandomInitializer {

  /** Standard deviation of a standard normal truncated to [-2, 2]. */
  static final double TRUNCATED_STDDEV = 0.87962566103423978;

  static final List<String> MODES = List.of("fan_in", "fan_out", "fan_avg");
  static final List<String> DISTRIBUTIONS =
      List.of("truncated_normal", "untruncated_normal", "uniform");

  private final double scale;
  private final String mode;
  private final String distribution;
  private final List<Integer> inputAxes;
  private final List<Integer> outputAxes;

  /**
   * Keras's defaults: {@code scale=1.0, mode="fan_in", distribution="truncated_normal"}, no seed.
   */
  public VarianceScaling() {
    this(1.0, "fan_in", "truncated_normal", null);
  }

  /**
   * Variance {@code scale / n} with the given fan mode and distribution, without a seed.
   *
   * @param scale finite and &gt; 0
   * @param mode {@code "fan_in"}, {@code "fan_out"} or {@code "fan_avg"}
   * @param distribution {@code "truncated_normal"} (or {@code "normal"}), {@code
   *     "untruncated_normal"} or {@code "uniform"}, in any case
   * @throws IllegalArgumentException on any other value
   */
  public VarianceScaling(double scale, String mode, String distribution) {
    this(scale, mode, distribution, null);
  }

  /**
   * Variance {@code scale / n} with the given fan mode and distribution, and a seed that makes the
   * draws repeatable.
   *
   * @param seed null to use the generator passed to {@code generate}
   * @throws IllegalArgumentException on an invalid scale, mode or distribution
   */
  public VarianceScaling(double scale, String mode, String distribution, Long seed) {
    this(scale, mode, distribution, seed, null, null);
  }

  /**
   * @param scale finite and &gt; 0
   * @param mode {@code "fan_in"}, {@code "fan_out"} or {@code "fan_avg"}
   * @param distribution {@code "truncated_normal"}, {@code "untruncated_normal"} or {@code
   *     "uniform"}, in any case; {@code "normal"} means {@code "truncated_normal"}, as in Keras
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   * @param inputAxes with {@code outputAxes}, the axes whose dims multiply to the fan-in; null for
   *     Keras's default rule. Ignored unless both are given, as in Keras.
   * @param outputAxes the axes whose dims multiply to the fan-out; null for the default rule
   */
  public VarianceScaling(
      double scale,
      String mode,
      String distribution,
      Long seed,
      List<Integer> inputAxes,
      List<Integer> outputAxes) {
    this("VarianceScaling", scale, mode, distribution, seed, inputAxes, outputAxes);
  }

  /** For the presets, so that their argument errors name the preset. */
  VarianceScaling(
      String owner,
      double scale,
      String mode,
      String distribution,
      Long seed,
      List<Integer> inputAxes,
      List<Integer> outputAxes) {
    super(seed);
    this.scale = Checks.positive(owner, "scale", scale);
    this.mode = Checks.oneOf(owner, "mode", mode, MODES);
    String d = distribution == null ? null : distribution.toLowerCase(Locale.ROOT);
    if ("normal".equals(d)) {
      d = "truncated_normal";
    }
    if (d == null || !DISTRIBUTIONS.contains(d)) {
      throw Checks.bad(
          owner, "distribution", "one of " + DISTRIBUTIONS + " or normal", distribution);
    }
    this.distribution = d;
    this.inputAxes = axes(owner, "input_axes", inputAxes);
    this.outputAxes = axes(owner, "output_axes", outputAxes);
  }

  private static List<Integer> axes(String owner, String arg, List<Integer> axes) {
    if (axes == null) {
      return null;
    }
    if (axes.stream().anyMatch(Objects::isNull)) {
      throw Checks.bad(owner, arg, "a list of integers", axes);
    }
    return List.copyOf(axes);
  }

  /** The variance numerator: values have variance {@code scale / n}. */
  public double scale() {
    return scale;
  }

  /** Which fan {@code n} is: {@code "fan_in"}, {@code "fan_out"} or {@code "fan_avg"}. */
  public String mode() {
    return mode;
  }

  /** {@code "truncated_normal"}, {@code "untruncated_normal"} or {@code "uniform"}. */
  public String distribution() {
    return distribution;
  }

  /** The explicit fan-in axes, or null. */
  public List<Integer> inputAxes() {
    return inputAxes;
  }

  /** The explicit fan-out axes, or null. */
  public List<Integer> outputAxes() {
    return outputAxes;
  }

  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    return generateFromStream(shape, random);
  }

  @Override
  public Values stream(long[] shape, RandomGenerator random) {
    Checks.dimensions(shape);
    Fans fans = Fans.of(shape, inputAxes, outputAxes);
    double n =
        switch (mode) {
          case "fan_in" -> fans.in();
          case "fan_out" -> fans.out();
          default -> (fans.in() + fans.out()) / 2.0;
        };
    double variance = scale / Math.max(1.0, n);
    RandomGenerator source = source(random);
    return switch (distribution) {
      case "truncated_normal" -> {
        double stddev = Math.sqrt(variance) / TRUNCATED_STDDEV;
        yield out -> Sampling.truncatedNormal(out, source, 0.0, stddev);
      }
      case "untruncated_normal" -> {
        double stddev = Math.sqrt(variance);
        yield out -> Sampling.normal(out, source, 0.0, stddev);
      }
      default -> {
        // Uniform on [-l, l) has variance l^2 / 3.
        double limit = Math.sqrt(3.0 * variance);
        yield out -> Sampling.uniform(out, source, -limit, limit);
      }
    };
  }

  @Override
  public String className() {
    return "VarianceScaling";
  }

  /** {@code {"seed", "scale", "mode", "distribution", "input_axes", "output_axes"}}. */
  @Override
  public Map<String, Object> getConfig() {
    LinkedHashMap<String, Object> config = seedConfig();
    config.put("scale", scale);
    config.put("mode", mode);
    config.put("distribution", distribution);
    config.put("input_axes", inputAxes);
    config.put("output_axes", outputAxes);
    return config;
  }

  /** The config of a preset, whose scale, mode and distribution are fixed. */
  final Map<String, Object> presetConfig() {
    LinkedHashMap<String, Object> config = seedConfig();
    config.put("input_axes", inputAxes);
    config.put("output_axes", outputAxes);
    return config;
  }
}
