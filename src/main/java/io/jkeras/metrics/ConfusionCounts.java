package io.jkeras.metrics;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * True/false positive/negative counts of binary predictions at given thresholds (a prediction is
 * positive when it is above the threshold), over every element of the batch. Returned as one vector
 * {@code [tp(t0..tn), fp(...), tn(...), fn(...)]}.
 */
final class ConfusionCounts {

  private ConfusionCounts() {}

  static Operand<TFloat32> at(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, float[] thresholds) {
    Operand<TFloat32> y = tf.reshape(yTrue, tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> p = tf.reshape(yPred, tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> t = tf.constant(new float[][] {thresholds});
    Operand<TFloat32> positive = tf.dtypes.cast(tf.math.greater(p, t), TFloat32.class);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> negative = tf.math.sub(one, positive);
    Operand<TFloat32> notY = tf.math.sub(one, y);
    return tf.concat(
        List.of(
            tf.sum(tf.math.mul(y, positive), tf.constant(0)),
            tf.sum(tf.math.mul(notY, positive), tf.constant(0)),
            tf.sum(tf.math.mul(notY, negative), tf.constant(0)),
            tf.sum(tf.math.mul(y, negative), tf.constant(0))),
        tf.constant(0));
  }
}
