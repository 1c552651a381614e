package io.jkeras.regularizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Argument checks and shared ops for the regularizers. */
final class Penalties {

  private Penalties() {}

  /**
   * Returns {@code value} if it is finite and non-negative, as Keras's {@code validate_float_arg}.
   */
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

  /** {@code sum(|x|)} over every axis. */
  static Operand<TFloat32> sumAbs(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(tf.math.abs(x), allAxes(tf, x));
  }

  /** {@code sum(x * x)} over every axis; a product, not {@code Square} (see the TF Java notes). */
  static Operand<TFloat32> sumSquares(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(tf.math.mul(x, x), allAxes(tf, x));
  }

  private static Operand<TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    if (!x.shape().isUnknown()) {
      int[] axes = new int[x.shape().numDimensions()];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = i;
      }
      return tf.constant(axes);
    }
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }
}
