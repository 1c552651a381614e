package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The arguments the 1D/2D reshaping layers share (cropping and padding amounts as an integer, a
 * pair, or a pair of pairs; {@code data_format}), read and checked the way Keras 3 does, and the
 * nearest-neighbour repeat of UpSampling.
 */
final class SpatialArguments {

  private SpatialArguments() {}

  /** {@code "channels_last"} (the default, for null) or {@code "channels_first"}. */
  static String dataFormat(String layer, String value) {
    if (value == null) {
      return "channels_last";
    }
    String v = value.toLowerCase(Locale.ROOT);
    if (!v.equals("channels_last") && !v.equals("channels_first")) {
      throw new IllegalArgumentException(
          layer
              + ": data_format must be \"channels_last\" or \"channels_first\", got \""
              + value
              + "\"");
    }
    return v;
  }

  /** A non-negative (or, when {@code positive}, positive) amount named {@code what}. */
  static int amount(String layer, String what, long v, boolean positive) {
    if (v < (positive ? 1 : 0) || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          layer
              + ": "
              + what
              + " must be "
              + (positive ? "positive" : "non-negative")
              + " integers, got "
              + v);
    }
    return (int) v;
  }

  /**
   * Amounts for the spatial axes, {@code {{top, bottom}, {left, right}}} for two, each checked as a
   * non-negative {@code what}; a copy.
   */
  static int[][] pairsOfAmounts(String layer, String what, int[][] pairs) {
    for (int[] p : pairs) {
      for (int v : p) {
        amount(layer, what, v, false);
      }
    }
    return copy(pairs);
  }

  /** A copy of one pair per axis, {@code {{top, bottom}, {left, right}}} for two. */
  static int[][] copy(int[][] pairs) {
    int[][] out = new int[pairs.length][];
    for (int i = 0; i < pairs.length; i++) {
      out[i] = pairs[i].clone();
    }
    return out;
  }

  /** One pair per axis as Keras's config holds them, a list of lists. */
  static List<List<Integer>> pairsConfig(int[][] pairs) {
    List<List<Integer>> out = new java.util.ArrayList<>();
    for (int[] p : pairs) {
      out.add(List.of(p[0], p[1]));
    }
    return out;
  }

  /** An amount from config key {@code key}: an integer for both sides, or a list of two. */
  static int[] pair(ConfigReader c, String key) {
    Object v = c.raw(key);
    int[] p = pairOrNull(v);
    if (p == null) {
      throw c.wrongValue(key, "a non-negative integer or a list of two", v);
    }
    return p;
  }

  /**
   * Amounts for {@code axes} spatial axes from config key {@code key}: an integer for every side, a
   * list of one per axis (both sides), or a list of one pair per axis.
   */
  static int[][] pairsPerAxis(ConfigReader c, String key, int axes) {
    Object v = c.raw(key);
    int[] all = pairOrNull(v);
    if (all != null && !(v instanceof List<?>)) {
      int[][] out = new int[axes][];
      for (int i = 0; i < axes; i++) {
        out[i] = all.clone();
      }
      return out;
    }
    if (v instanceof List<?> l && l.size() == axes) {
      int[][] out = new int[axes][];
      for (int i = 0; i < axes; i++) {
        out[i] = pairOrNull(l.get(i));
        if (out[i] == null) {
          break;
        }
        if (i == axes - 1) {
          return out;
        }
      }
    }
    String count = axes == 2 ? "two" : axes == 3 ? "three" : String.valueOf(axes);
    throw c.wrongValue(
        key,
        "a non-negative integer, a list of " + count + ", or a list of " + count + " pairs of them",
        v);
  }

  /** An integer as (n, n), or a list of two integers; null for anything else or a negative. */
  private static int[] pairOrNull(Object v) {
    if (v instanceof Number n && isIntegral(n) && n.longValue() >= 0) {
      int a = (int) Math.min(n.longValue(), Integer.MAX_VALUE);
      return new int[] {a, a};
    }
    if (v instanceof List<?> l
        && l.size() == 2
        && l.get(0) instanceof Number a
        && l.get(1) instanceof Number b
        && isIntegral(a)
        && isIntegral(b)
        && a.longValue() >= 0
        && b.longValue() >= 0) {
      return new int[] {
        (int) Math.min(a.longValue(), Integer.MAX_VALUE),
        (int) Math.min(b.longValue(), Integer.MAX_VALUE)
      };
    }
    return null;
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }

  /** {@code x} with every entry along {@code axis} repeated {@code n} times in place. */
  static Operand<TFloat32> repeat(Ops tf, Operand<TFloat32> x, int axis, int n) {
    if (n == 1) {
      return tf.identity(x);
    }
    int rank = x.shape().numDimensions();
    int[] multiples = new int[rank + 1];
    Arrays.fill(multiples, 1);
    multiples[axis + 1] = n;
    Operand<TFloat32> tiled =
        tf.tile(tf.expandDims(x, tf.constant(axis + 1)), tf.constant(multiples));
    long[] target = x.shape().asArray();
    target[axis] = target[axis] < 0 ? -1 : target[axis] * n;
    int[] dims = new int[rank];
    boolean known = true;
    for (int i = 1; i < rank; i++) {
      known &= target[i] >= 0;
      dims[i] = (int) target[i];
    }
    if (known) {
      // A constant shape keeps the sample dimensions static in the graph.
      dims[0] = -1;
      return tf.reshape(tiled, tf.constant(dims));
    }
    int[] scale = new int[rank];
    Arrays.fill(scale, 1);
    scale[axis] = n;
    Operand<TInt32> shape = tf.shape(tf.stopGradient(x));
    return tf.reshape(tiled, tf.math.mul(shape, tf.constant(scale)));
  }

  /**
   * {@code x} without the first {@code start[i]} and last {@code end[i]} entries of each axis (a
   * strided slice, so known sizes stay static in the graph).
   */
  static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> x, int[] start, int[] end) {
    int rank = start.length;
    int[] stop = new int[rank];
    int[] ones = new int[rank];
    long endMask = 0;
    for (int i = 0; i < rank; i++) {
      ones[i] = 1;
      stop[i] = -end[i];
      if (end[i] == 0) {
        endMask |= 1L << i;
      }
    }
    return tf.stridedSlice(
        x, tf.constant(start), tf.constant(stop), tf.constant(ones), StridedSlice.endMask(endMask));
  }
}
