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
 * Scales each weight vector to unit L2 norm, {@code w / (1e-7 + norm)} with norms over {@code
 * axis}, as Keras 3's {@code keras.constraints.UnitNorm}. (An all-zero vector stays zero.)
 *
 * <pre>{@code
 * Constraint c = new UnitNorm(0);
 * Operand<TFloat32> projected = c.apply(tf, kernel);
 * c.getConfig(); // {"axis": 0}
 * }</pre>
 */
public final class UnitNorm implements Constraint {

  private final List<Integer> axes;
  private final boolean axisIsList;

  /** Norms over axis 0. */
  public UnitNorm() {
    this(0);
  }

  /**
   * @param axis the axis the norms are taken over (negative counts from the end)
   */
  public UnitNorm(int axis) {
    this(List.of(axis), false);
  }

  /**
   * @param axes the distinct axes the norms are taken over; null for one norm over the whole
   *     weight, as Keras's {@code axis=None}
   */
  public UnitNorm(List<Integer> axes) {
    this(axes, true);
  }

  private UnitNorm(List<Integer> axes, boolean axisIsList) {
    this.axes = Norms.axes(axes);
    this.axisIsList = axes != null && axisIsList;
  }

  /** Reads a Keras config {@code {"axis": ...}}; a missing axis means 0. */
  public static UnitNorm fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("UnitNorm", config);
    Norms.Axis axis = Norms.axis(c);
    c.rejectUnknownKeys();
    return new UnitNorm(axis.axes(), axis.isList());
  }

  /** The axes the norms are taken over; null for every axis. */
  public List<Integer> axes() {
    return axes;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> norms = Norms.norms(tf, w, axes);
    return tf.math.div(w, tf.math.add(tf.constant(Norms.EPSILON), norms));
  }

  @Override
  public String className() {
    return "UnitNorm";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("axis", Norms.axisConfig(axes, axisIsList));
    return config;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnitNorm u && Objects.equals(u.axes, axes) && u.axisIsList == axisIsList;
  }

  @Override
  public int hashCode() {
    return Objects.hash(axes, axisIsList);
  }

  @Override
  public String toString() {
    return "UnitNorm(axis=" + Norms.axisConfig(axes, axisIsList) + ")";
  }
}
