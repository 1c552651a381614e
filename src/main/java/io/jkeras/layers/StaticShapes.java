package io.jkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/** Reshape targets for ops that work on the last axis of inputs of any rank. */
final class StaticShapes {

  private StaticShapes() {}

  /**
   * The shape {@code x} has with its last dimension replaced by {@code lastDim}: a constant when at
   * most one dimension of {@code x} is unknown (the usual batch), otherwise read at run time.
   */
  static Operand<TInt32> withLastDim(Ops tf, Operand<?> x, long lastDim) {
    Shape s = x.shape();
    int rank = s.numDimensions();
    int unknown = 0;
    int[] dims = new int[rank];
    for (int i = 0; i < rank - 1; i++) {
      dims[i] = (int) s.size(i);
      if (s.size(i) < 0) {
        unknown++;
      }
    }
    dims[rank - 1] = (int) lastDim;
    if (unknown <= 1) {
      return tf.constant(dims);
    }
    Operand<TInt32> dynamic = tf.shape(x);
    Operand<TInt32> leading =
        tf.slice(dynamic, tf.constant(new int[] {0}), tf.constant(new int[] {rank - 1}));
    return tf.concat(
        java.util.List.of(leading, tf.constant(new int[] {(int) lastDim})), tf.constant(0));
  }
}
