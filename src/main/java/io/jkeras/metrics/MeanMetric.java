package io.jkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A metric that is the mean of one value per sample (the accuracies): the batch statistics are the
 * sum of those values and the number of samples.
 *
 * <pre>{@code
 * class AbsoluteError extends MeanMetric {
 *   AbsoluteError() {
 *     super("absolute_error");
 *   }
 *
 *   protected Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> y, Operand<TFloat32> p) {
 *     return tf.math.abs(tf.math.sub(y, p));
 *   }
 * }
 * }</pre>
 */
public abstract class MeanMetric extends Metric {

  private double total;
  private double count;

  /** For subclasses: a per-sample mean metric logged as {@code name}. */
  protected MeanMetric(String name) {
    super(name);
  }

  /** Emits one value per sample. */
  protected abstract Operand<TFloat32> perSample(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> values = tf.reshape(perSample(tf, yTrue, yPred), tf.constant(new int[] {-1}));
    Operand<TFloat32> n = tf.dtypes.cast(tf.size(values), TFloat32.class);
    return tf.stack(java.util.List.of(tf.sum(values, tf.constant(0)), n));
  }

  @Override
  public void reset() {
    total = 0;
    count = 0;
  }

  @Override
  public void update(float[] statistics) {
    total += statistics[0];
    count += statistics[1];
  }

  @Override
  public double result() {
    return count == 0 ? 0 : total / count;
  }
}
