package io.jkeras.constraints;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Axis handling, argument checks, axis config reading and the norm op shared by the constraints.
 */
final class Norms {

  /** Keras's {@code backend.epsilon()}, added to norms in denominators. */
  static final float EPSILON = 1e-7f;

  private Norms() {}

  /**
   * An unmodifiable copy of {@code axes}, checked to be distinct integers; null stays null, meaning
   * every axis (Keras's {@code axis=None}: one norm for the whole weight).
   */
  static List<Integer> axes(List<Integer> axes) {
    if (axes == null) {
      return null;
    }
    Set<Integer> seen = new HashSet<>();
    for (Integer a : axes) {
      if (a == null || !seen.add(a)) {
        throw new IllegalArgumentException(
            "Invalid value for argument axis: expected distinct integers. Received: axis=" + axes);
      }
    }
    return List.copyOf(axes);
  }

  /**
   * The config value for {@code axes}: null for every axis, an Integer if given as one int, else
   * the list.
   */
  static Object axisConfig(List<Integer> axes, boolean asList) {
    return axes == null || asList ? axes : axes.get(0);
  }

  /**
   * {@code sqrt(sum(w * w, axes, keepdims=True))}, with the product in place of {@code Square};
   * null {@code axes} reduce every axis.
   *
   * @throws IllegalArgumentException if an axis is out of range for {@code w}'s static rank
   */
  static Operand<TFloat32> norms(Ops tf, Operand<TFloat32> w, List<Integer> axes) {
    Operand<TFloat32> squares = tf.math.mul(w, w);
    if (axes == null) {
      return tf.math.sqrt(
          tf.reduceSum(
              squares,
              tf.range(tf.constant(0), tf.rank(w), tf.constant(1)),
              ReduceSum.keepDims(true)));
    }
    Shape shape = w.shape();
    if (!shape.isUnknown()) {
      int rank = shape.numDimensions();
      Set<Integer> normalized = new HashSet<>();
      for (int a : axes) {
        if (a < -rank || a >= rank || !normalized.add(a < 0 ? a + rank : a)) {
          throw new IllegalArgumentException(
              "Invalid axis "
                  + axes
                  + " for a weight of shape "
                  + shape
                  + ": expected distinct axes in ["
                  + -rank
                  + ", "
                  + rank
                  + ")");
        }
      }
    }
    int[] axisArray = axes.stream().mapToInt(Integer::intValue).toArray();
    return tf.math.sqrt(tf.reduceSum(squares, tf.constant(axisArray), ReduceSum.keepDims(true)));
  }

  /** Returns {@code value} if it is finite and non-negative. */
  static double nonNegative(String argument, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(
          "Invalid value for argument "
              + argument
              + ": expected a non-negative finite number. Received: "
              + argument
              + "="
              + value);
    }
    return value;
  }

  /** Returns {@code value} if it is finite. */
  static double finite(String argument, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "Invalid value for argument "
              + argument
              + ": expected a finite number. Received: "
              + argument
              + "="
              + value);
    }
    return value;
  }

  /**
   * The axis under {@code "axis"}: an integer, a list of integers, or Keras's tagged tuple {@code
   * {"class_name": "__tuple__", "config": {"value": [...]}}}; absent means Keras's default 0, null
   * means every axis (null axes), as Keras's {@code axis=None}. Returns the axes and whether the
   * config held a list.
   */
  static Axis axis(ConfigReader c) {
    Object whole = c.raw("axis");
    Object value = whole;
    if (value == null) {
      return c.has("axis") ? new Axis(null, false) : new Axis(List.of(0), false);
    }
    if (value instanceof Map<?, ?> map
        && "__tuple__".equals(map.get("class_name"))
        && map.get("config") instanceof Map<?, ?> inner) {
      value = inner.get("value");
    }
    if (value instanceof Number n) {
      return new Axis(List.of(integer(c, n, whole)), false);
    }
    if (value instanceof List<?> list) {
      List<Integer> axes = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof Number n)) {
          throw c.wrongValue("axis", "an integer or a list of integers", whole);
        }
        axes.add(integer(c, n, whole));
      }
      return new Axis(axes, true);
    }
    throw c.wrongValue("axis", "an integer or a list of integers", whole);
  }

  /** Axes read from a config (null for every axis), and whether they were written as a list. */
  record Axis(List<Integer> axes, boolean isList) {}

  private static int integer(ConfigReader c, Number n, Object whole) {
    double d = n.doubleValue();
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw c.wrongValue("axis", "an integer or a list of integers", whole);
    }
    return (int) d;
  }
}
