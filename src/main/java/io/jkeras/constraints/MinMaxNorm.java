package io.jkeras.constraints;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Moves the L2 norm of each weight vector into {@code [min_value, max_value]}, as Keras 3's {@code
 * keras.constraints.MinMaxNorm}. With norms over {@code axis}, the target norm is {@code rate *
 * clip(norm, min_value, max_value) + (1 - rate) * norm} and the weight becomes {@code w * target /
 * (1e-7 + norm)}: rate 1 enforces the bounds at once, a smaller rate moves towards them gradually.
 *
 * <pre>{@code
 * Constraint c = new MinMaxNorm(0.5, 2.0, 1.0, 0);
 * Operand<TFloat32> projected = c.apply(tf, kernel);
 * c.getConfig(); // {"min_value": 0.5, "max_value": 2.0, "rate": 1.0, "axis": 0}
 * }</pre>
 */
public final class MinMaxNorm implements Constraint {

  private final double minValue;
  private final double maxValue;
  private final double rate;
  private final List<Integer> axes;
  private final boolean axisIsList;

  /** Bounds [0, 1], rate 1, axis 0 (Keras's defaults). */
  public MinMaxNorm() {
    this(0.0, 1.0);
  }

  /** The given bounds, rate 1, axis 0. */
  public MinMaxNorm(double minValue, double maxValue) {
    this(minValue, maxValue, 1.0, 0);
  }

  /**
   * @param minValue the smallest norm; non-negative, finite, at most {@code maxValue}
   * @param maxValue the largest norm; finite
   * @param rate how far to move towards the bounds per application; finite (1 = all the way)
   * @param axis the axis the norms are taken over (negative counts from the end)
   */
  public MinMaxNorm(double minValue, double maxValue, double rate, int axis) {
    this(minValue, maxValue, rate, List.of(axis), false);
  }

  /**
   * @param minValue the smallest norm; non-negative, finite, at most {@code maxValue}
   * @param maxValue the largest norm; finite
   * @param rate how far to move towards the bounds per application; finite (1 = all the way)
   * @param axes the distinct axes the norms are taken over; null for one norm over the whole
   *     weight, as Keras's {@code axis=None}
   */
  public MinMaxNorm(double minValue, double maxValue, double rate, List<Integer> axes) {
    this(minValue, maxValue, rate, axes, true);
  }

  private MinMaxNorm(
      double minValue, double maxValue, double rate, List<Integer> axes, boolean axisIsList) {
    this.minValue = Norms.nonNegative("min_value", minValue);
    this.maxValue = Norms.nonNegative("max_value", maxValue);
    if (minValue > maxValue) {
      throw new IllegalArgumentException(
          "Invalid values for arguments min_value and max_value: expected min_value <= max_value."
              + " Received: min_value="
              + minValue
              + ", max_value="
              + maxValue);
    }
    this.rate = Norms.finite("rate", rate);
    this.axes = Norms.axes(axes);
    this.axisIsList = axes != null && axisIsList;
  }

  /**
   * Reads a Keras config {@code {"min_value", "max_value", "rate", "axis"}}; missing keys take
   * Keras's defaults.
   */
  public static MinMaxNorm fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MinMaxNorm", config);
    Norms.Axis axis = Norms.axis(c);
    MinMaxNorm m =
        new MinMaxNorm(
            c.numberOrDefault("min_value", 0.0),
            c.numberOrDefault("max_value", 1.0),
            c.numberOrDefault("rate", 1.0),
            axis.axes(),
            axis.isList());
    c.rejectUnknownKeys();
    return m;
  }

  /** The smallest norm a weight vector is moved towards ({@code min_value}). */
  public double minValue() {
    return minValue;
  }

  /** The largest norm a weight vector is moved towards ({@code max_value}). */
  public double maxValue() {
    return maxValue;
  }

  /**
   * How far each application moves a norm towards the bounds, 1 meaning all the way ({@code rate}).
   */
  public double rate() {
    return rate;
  }

  /** The axes the norms are taken over; null for every axis. */
  public List<Integer> axes() {
    return axes;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> norms = Norms.norms(tf, w, axes);
    Operand<TFloat32> clipped =
        tf.clipByValue(norms, tf.constant((float) minValue), tf.constant((float) maxValue));
    Operand<TFloat32> desired =
        tf.math.add(
            tf.math.mul(tf.constant((float) rate), clipped),
            tf.math.mul(tf.constant((float) (1 - rate)), norms));
    return tf.math.mul(w, tf.math.div(desired, tf.math.add(tf.constant(Norms.EPSILON), norms)));
  }

  @Override
  public String className() {
    return "MinMaxNorm";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("min_value", minValue);
    config.put("max_value", maxValue);
    config.put("rate", rate);
    config.put("axis", Norms.axisConfig(axes, axisIsList));
    return config;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MinMaxNorm m
        && Double.compare(m.minValue, minValue) == 0
        && Double.compare(m.maxValue, maxValue) == 0
        && Double.compare(m.rate, rate) == 0
        && Objects.equals(m.axes, axes)
        && m.axisIsList == axisIsList;
  }

  @Override
  public int hashCode() {
    return Objects.hash(minValue, maxValue, rate, axes, axisIsList);
  }

  @Override
  public String toString() {
    return "MinMaxNorm(min_value="
        + minValue
        + ", max_value="
        + maxValue
        + ", rate="
        + rate
        + ", axis="
        + Norms.axisConfig(axes, axisIsList)
        + ")";
  }
}
