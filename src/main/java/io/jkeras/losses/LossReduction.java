package io.jkeras.losses;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras 3's loss reductions, applied to a loss's per-sample values and (for losses that mask
 * samples out, such as {@code ignore_class}) its mask:
 *
 * <ul>
 *   <li>{@code "sum_over_batch_size"} (the default) and {@code "mean"}: the sum divided by the
 *       number of values; masked-out values weigh 0 and the others {@code total/valid}, so the
 *       result is the mean over the valid ones.
 *   <li>{@code "mean_with_sample_weight"}: the sum divided by the sum of the weights (here the
 *       mask), without a mask the same as the mean.
 *   <li>{@code "sum"}: the sum of the valid values.
 *   <li>{@code "none"} (Keras also writes {@code None}): the per-sample values, masked-out ones 0.
 * </ul>
 *
 * <pre>{@code
 * Operand<TFloat32> loss = LossReduction.reduce(tf, perSample, null, "sum");
 * }</pre>
 */
public final class LossReduction {

  /** Every reduction Keras 3 accepts by name. */
  public static final List<String> NAMES =
      List.of("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none");

  private LossReduction() {}

  /**
   * Checks that {@code reduction} is one of {@link #NAMES}.
   *
   * <pre>{@code LossReduction.check("Huber", "sum");}</pre>
   *
   * @param owner the loss's class, for the message
   * @throws IllegalArgumentException naming the loss, the valid reductions and the value
   */
  public static String check(String owner, String reduction) {
    if (!NAMES.contains(reduction)) {
      throw new IllegalArgumentException(
          owner + ": reduction must be one of " + NAMES + ", got \"" + reduction + "\"");
    }
    return reduction;
  }

  /**
   * Reduces {@code values} as Keras's {@code reduce_weighted_values} does, with {@code mask} (1 for
   * a value that counts, 0 for one masked out; same shape as {@code values}) or null.
   *
   * <pre>{@code
   * Operand<TFloat32> mean = LossReduction.reduce(tf, perSample, validMask, "sum_over_batch_size");
   * }</pre>
   */
  public static Operand<TFloat32> reduce(
      Ops tf, Operand<TFloat32> values, Operand<TFloat32> mask, String reduction) {
    if (reduction.equals("none")) {
      return mask == null ? values : tf.math.mul(values, mask);
    }
    Operand<TFloat32> total = tf.dtypes.cast(tf.size(values), TFloat32.class);
    Operand<TFloat32> weighted = values;
    Operand<TFloat32> divisor = total;
    if (mask != null) {
      boolean rescaled = reduction.equals("sum_over_batch_size") || reduction.equals("mean");
      // As Keras: valid values weigh total/valid, so that dividing by total averages the valid.
      Operand<TFloat32> weights =
          rescaled ? tf.math.mul(mask, tf.math.divNoNan(total, sum(tf, mask))) : mask;
      weighted = tf.math.mul(values, weights);
      if (reduction.equals("mean_with_sample_weight")) {
        divisor = sum(tf, weights);
      }
    }
    Operand<TFloat32> loss = sum(tf, weighted);
    return reduction.equals("sum") ? loss : tf.math.divNoNan(loss, divisor);
  }

  private static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> x) {
    Operand<TInt32> all = tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
    return tf.sum(x, all);
  }
}
