package io.jkeras.metrics;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/** How Keras's metrics line up labels, predictions and sample weights before their math. */
final class BatchShapes {

  private BatchShapes() {}

  /**
   * Keras's {@code squeeze_or_expand_to_same_rank(a, b)}: when the ranks differ by one and the
   * longer one ends in an axis of size 1, a rank-1 shorter one gains that axis, otherwise the
   * longer one loses it.
   */
  static List<Operand<TFloat32>> sameRank(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    int ra = a.shape().numDimensions();
    int rb = b.shape().numDimensions();
    if (ra == rb + 1 && a.shape().size(ra - 1) == 1) {
      return rb == 1
          ? List.of(a, tf.expandDims(b, tf.constant(-1)))
          : List.of(squeezeLast(tf, a), b);
    }
    if (rb == ra + 1 && b.shape().size(rb - 1) == 1) {
      return ra == 1
          ? List.of(tf.expandDims(a, tf.constant(-1)), b)
          : List.of(a, squeezeLast(tf, b));
    }
    return List.of(a, b);
  }

  private static Operand<TFloat32> squeezeLast(Ops tf, Operand<TFloat32> x) {
    return tf.squeeze(x, Squeeze.axis(List.of((long) x.shape().numDimensions() - 1)));
  }

  /**
   * Weights broadcast to every element of {@code like} (whose first axis is the batch): per-sample
   * weights (shape {@code (batch,)}, {@code (batch, 1)} or a scalar) apply to all of a sample's
   * values; weights of rank 2 or more (an output's mask, {@code (batch, steps)}) to the values they
   * lead.
   */
  static Operand<TFloat32> perElement(
      Ops tf, Operand<TFloat32> sampleWeight, Operand<TFloat32> like) {
    Operand<TFloat32> w =
        perValue(sampleWeight)
            ? sampleWeight
            : tf.reshape(sampleWeight, tf.constant(new int[] {-1}));
    for (int i = w.shape().numDimensions(); i < like.shape().numDimensions(); i++) {
      w = tf.expandDims(w, tf.constant(-1));
    }
    return tf.broadcastTo(w, tf.shape(like));
  }

  /** True for weights of rank 2 or more that are not {@code (batch, 1)}: one per value. */
  static boolean perValue(Operand<TFloat32> weights) {
    int r = weights.shape().numDimensions();
    return r > 2 || (r == 2 && weights.shape().size(1) != 1);
  }

  /** {@code x} as a flat vector. */
  static Operand<TFloat32> flat(Ops tf, Operand<TFloat32> x) {
    return tf.reshape(x, tf.constant(new int[] {-1}));
  }
}
