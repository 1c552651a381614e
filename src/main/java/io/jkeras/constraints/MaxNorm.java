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
 * Caps the L2 norm of each weight vector at {@code max_value}, as Keras 3's {@code
 * keras.constraints.MaxNorm}. Norms are taken over {@code axis} (kept as size-1 dimensions), and
 * the weight becomes {@code w * clip(norm, 0, max_value) / (1e-7 + norm)}; vectors already within
 * the cap shrink only by the epsilon's share.
 *
 * <p>For a {@code Dense} kernel of shape {@code (input_dim, units)}, axis 0 (the default) caps each
 * unit's incoming weight vector; for a {@code Conv2D} kernel use axes {@code [0, 1, 2]}.
 *
 * <pre>{@code
 * Constraint c = new MaxNorm(3.0, 0);
 * Operand<TFloat32> projected = c.apply(tf, kernel);
 * c.getConfig(); // {"max_value": 3.0, "axis": 0}
 * }</pre>
 */
public final class MaxNorm implements Constraint {

  /** Keras's default cap. */
  public static final double DEFAULT_MAX_VALUE = 2.0;

  private final double maxValue;
  private final List<Integer> axes;
  private final boolean axisIsList;

  /** Cap 2 over axis 0. */
  public MaxNorm() {
    this(DEFAULT_MAX_VALUE, 0);
  }

  /** The given cap over axis 0. */
  public MaxNorm(double maxValue) {
    this(maxValue, 0);
  }

  /**
   * @param maxValue the largest allowed norm; non-negative and finite
   * @param axis the axis the norms are taken over (negative counts from the end)
   */
  public MaxNorm(double maxValue, int axis) {
    this(maxValue, List.of(axis), false);
  }

  /**
   * @param maxValue the largest allowed norm; non-negative and finite
   * @param axes the distinct axes the norms are taken over; null for one norm over the whole
   *     weight, as Keras's {@code axis=None}
   */
  public MaxNorm(double maxValue, List<Integer> axes) {
    this(maxValue, axes, true);
  }

  private MaxNorm(double maxValue, List<Integer> axes, boolean axisIsList) {
    this.maxValue = Norms.nonNegative("max_value", maxValue);
    this.axes = Norms.axes(axes);
    this.axisIsList = axes != null && axisIsList;
  }

  /** Reads a Keras config {@code {"max_value": ..., "axis": ...}}; missing keys take defaults. */
  public static MaxNorm fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MaxNorm", config);
    Norms.Axis axis = Norms.axis(c);
    MaxNorm m =
        new MaxNorm(c.numberOrDefault("max_value", DEFAULT_MAX_VALUE), axis.axes(), axis.isList());
    c.rejectUnknownKeys();
    return m;
  }

  /** The largest norm a weight vector may keep ({@code max_value}). */
  public double maxValue() {
    return maxValue;
  }

  /** The axes the norms are taken over; null for every axis. */
  public List<Integer> axes() {
    return axes;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> norms = Norms.norms(tf, w, axes);
    Operand<TFloat32> desired =
        tf.clipByValue(norms, tf.constant(0f), tf.constant((float) maxValue));
    return tf.math.mul(w, tf.math.div(desired, tf.math.add(tf.constant(Norms.EPSILON), norms)));
  }

  @Override
  public String className() {
    return "MaxNorm";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("max_value", maxValue);
    config.put("axis", Norms.axisConfig(axes, axisIsList));
    return config;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaxNorm m
        && Double.compare(m.maxValue, maxValue) == 0
        && Objects.equals(m.axes, axes)
        && m.axisIsList == axisIsList;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxValue, axes, axisIsList);
  }

  @Override
  public String toString() {
    return "MaxNorm(max_value=" + maxValue + ", axis=" + Norms.axisConfig(axes, axisIsList) + ")";
  }
}
