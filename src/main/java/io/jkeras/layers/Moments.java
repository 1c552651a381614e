package io.jkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The mean and (biased, population) variance of a tensor over some axes, kept as axes of size 1,
 * and the normalization {@code (x - mean) / sqrt(variance + epsilon) * gamma + beta} that the
 * normalization layers share, written as Keras writes it: {@code x * inv + (beta - mean * inv)}
 * with {@code inv = gamma / sqrt(variance + epsilon)}.
 */
record Moments(Operand<TFloat32> mean, Operand<TFloat32> variance) {

  static Moments of(Ops tf, Operand<TFloat32> x, int[] axes) {
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(axes), Mean.keepDims(true));
    // x - mean, not E[x^2] - E[x]^2, for accuracy; mul(d, d) rather than square (see the TF Java
    // notes: square under gradients crashes the JVM).
    Operand<TFloat32> d = tf.math.sub(x, tf.stopGradient(mean));
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.mul(d, d), tf.constant(axes), Mean.keepDims(true));
    return new Moments(mean, variance);
  }

  /** Normalizes {@code x}; gamma and beta (either may be null) broadcast against it. */
  Operand<TFloat32> normalize(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta, double eps) {
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant((float) eps)));
    if (gamma != null) {
      inv = tf.math.mul(inv, gamma);
    }
    Operand<TFloat32> shift = tf.math.neg(tf.math.mul(mean, inv));
    if (beta != null) {
      shift = tf.math.add(shift, beta);
    }
    return tf.math.add(tf.math.mul(x, inv), shift);
  }

  /** The sum of squares over {@code axes}, kept as axes of size 1. */
  static Operand<TFloat32> sumOfSquares(Ops tf, Operand<TFloat32> x, int[] axes) {
    return tf.reduceSum(tf.math.mul(x, x), tf.constant(axes), ReduceSum.keepDims(true));
  }
}
