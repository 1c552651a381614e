package io.jkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The pairs {@code (i, j)}, {@code i < j}, of F fields in row-major order ({@code (0,1), (0,2),
 * ..., (0,F-1), (1,2), ...}), and the element-wise products of their embeddings: what the field
 * interaction layers ({@link FieldWeightedFM}, {@link AttentionalFM}, {@link InnerProduct}) share.
 */
final class FieldPairs {

  final int[] left;
  final int[] right;

  FieldPairs(int fields) {
    int n = fields * (fields - 1) / 2;
    left = new int[n];
    right = new int[n];
    int p = 0;
    for (int i = 0; i < fields; i++) {
      for (int j = i + 1; j < fields; j++) {
        left[p] = i;
        right[p] = j;
        p++;
      }
    }
  }

  int count() {
    return left.length;
  }

  /** {@code e_i ⊙ e_j} for every pair: {@code (batch, pairs, k)} from {@code (batch, F, k)}. */
  Operand<TFloat32> products(Ops tf, Operand<TFloat32> e) {
    Operand<TFloat32> a = tf.gather(e, tf.constant(left), tf.constant(1));
    Operand<TFloat32> b = tf.gather(e, tf.constant(right), tf.constant(1));
    return tf.math.mul(a, b);
  }

  /** {@code <e_i, e_j>} for every pair: {@code (batch, pairs)}. */
  Operand<TFloat32> dots(Ops tf, Operand<TFloat32> e) {
    return tf.reduceSum(products(tf, e), tf.constant(2));
  }

  /** Checks a field-embedding input shape {@code (batch, F, k)} with F >= 2 and k known. */
  static void checkFieldInput(String layer, String className, org.tensorflow.ndarray.Shape s) {
    if (s.numDimensions() != 3 || s.size(1) < 2 || s.size(2) < 1) {
      throw new IllegalArgumentException(
          "Layer \""
              + layer
              + "\" ("
              + className
              + "): expected field embeddings (batch, fields >= 2, k) with fields and k known, got "
              + KerasShape.format(s));
    }
  }
}
