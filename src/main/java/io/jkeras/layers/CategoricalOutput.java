package io.jkeras.layers;

import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Keras's {@code encode_categorical_inputs}, shared by the preprocessing layers that turn integer
 * indices into outputs ({@link CategoryEncoding}, {@link Discretization}): "one_hot" (a last axis
 * of size 1 is replaced by the depth, else one is added), "multi_hot" (1 where an index occurs in
 * the sample, over axis 1) and "count" (how often it occurs). Indices of depth or more add nothing,
 * as in Keras; negative indices add nothing to one_hot and fail the run for multi_hot and count
 * (Keras's bincount refuses them).
 */
final class CategoricalOutput {

  static final List<String> MODES = List.of("one_hot", "multi_hot", "count");

  private CategoricalOutput() {}

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /** The mode lower-cased, if it is one of {@code allowed}; Keras's alias "binary" is multi_hot. */
  static String mode(String className, String mode, List<String> allowed) {
    String m = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
    if (m.equals("binary")) {
      m = "multi_hot";
    }
    if (!allowed.contains(m)) {
      throw new IllegalArgumentException(
          className + ": output_mode must be one of " + allowed + ", got \"" + mode + "\"");
    }
    return m;
  }

  /** The output shape for indices of shape {@code in}. */
  static Shape shape(Shape in, String mode, long depth) {
    int n = in.numDimensions();
    if (n == 0) {
      return Shape.of(depth);
    }
    if (mode.equals("one_hot")) {
      return in.size(-1) == 1 && n > 1 ? in.take(n - 1).append(depth) : in.append(depth);
    }
    if (n == 1) {
      return Shape.of(depth);
    }
    // multi_hot and count reduce axis 1.
    long[] dims = in.asArray();
    long[] out = new long[n];
    out[0] = dims[0];
    System.arraycopy(dims, 2, out, 1, n - 2);
    out[n - 1] = depth;
    return Shape.of(out);
  }

  /** Encodes integer {@code indices} as float32 for the layer {@code layer} (named in errors). */
  static Operand<TFloat32> encode(
      Ops tf, Operand<? extends TNumber> indices, String mode, long depth, Layer layer) {
    return encode(tf, indices, mode, depth, null, layer);
  }

  /**
   * As {@link #encode(Ops, Operand, String, long, Layer)}, where for "count" each index adds its
   * entry of {@code countWeights} (the indices' shape) instead of 1, as Keras's weighted bincount;
   * null weights count 1.
   */
  static Operand<TFloat32> encode(
      Ops tf,
      Operand<? extends TNumber> indices,
      String mode,
      long depth,
      Operand<TFloat32> countWeights,
      Layer layer) {
    Operand<? extends TNumber> x = indices;
    Operand<TFloat32> weights = countWeights;
    int n = x.shape().numDimensions();
    if (n == 0) {
      x = tf.expandDims(x, tf.constant(-1));
      weights = weights == null ? null : tf.expandDims(weights, tf.constant(-1));
      n = 1;
    }
    if (mode.equals("one_hot") && n > 1 && x.shape().size(-1) == 1) {
      x = tf.squeeze(x, Squeeze.axis(List.of((long) n - 1)));
    }
    Operand<TFloat32> hot =
        tf.oneHot(x, tf.constant(Math.toIntExact(depth)), tf.constant(1f), tf.constant(0f));
    if (mode.equals("one_hot")) {
      return hot;
    }
    int axis = n > 1 ? 1 : 0;
    Operand<TBool> nonNegative =
        tf.all(
            tf.math.greaterEqual(tf.dtypes.cast(x, TInt64.class), tf.constant(0L)),
            tf.constant(range(n)));
    AssertThat check =
        tf.assertThat(
            nonNegative,
            List.of(
                tf.constant(
                    "Layer "
                        + layer.name()
                        + " ("
                        + layer.className()
                        + "): output_mode "
                        + mode
                        + " needs non-negative indices; got a minimum of"),
                tf.min(tf.dtypes.cast(x, TInt64.class), tf.constant(range(n)))),
            AssertThat.summarize(3L));
    hot = tf.withControlDependencies(List.of(check)).identity(hot);
    if (weights != null) {
      hot = tf.math.mul(hot, tf.expandDims(weights, tf.constant(-1)));
    }
    return mode.equals("multi_hot")
        ? tf.reduceMax(hot, tf.constant(axis), ReduceMax.keepDims(false))
        : tf.reduceSum(hot, tf.constant(axis), ReduceSum.keepDims(false));
  }
}
