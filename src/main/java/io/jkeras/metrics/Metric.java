package io.jkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A streaming metric: each batch, the graph computes a small vector of sums (correct predictions
 * and samples, true and false positives...), and the metric adds them up on the host, so the epoch
 * value is exact over all samples, as Keras's stateful metrics are.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new AUC(), new Precision());
 * }</pre>
 */
public abstract class Metric {

  private final String name;

  protected Metric(String name) {
    this.name = name;
  }

  /** The name in logs and histories: {@code "accuracy"}, {@code "auc"}... */
  public String name() {
    return name;
  }

  /** Emits this batch's statistics as a float32 vector. */
  public abstract Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  /** Forgets everything accumulated (at the start of each epoch and evaluation). */
  public abstract void reset();

  /** Adds one batch's statistics. */
  public abstract void update(float[] statistics);

  /** The value over everything accumulated since the last reset. */
  public abstract double result();
}
