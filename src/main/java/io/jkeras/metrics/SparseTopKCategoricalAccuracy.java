package io.jkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How often the true class (integer labels) is among the {@code k} highest predictions, as Keras's
 * {@code SparseTopKCategoricalAccuracy} (k 5, name "sparse_top_k_categorical_accuracy").
 *
 * <pre>{@code
 * model.compile(new Adam(), "sparse_categorical_crossentropy", new SparseTopKCategoricalAccuracy(3));
 * }</pre>
 */
public class SparseTopKCategoricalAccuracy extends MeanMetric {

  private final int k;

  /** Top-5 accuracy for integer class labels, named {@code "sparse_top_k_categorical_accuracy"}. */
  public SparseTopKCategoricalAccuracy() {
    this(5);
  }

  /**
   * The fraction of samples whose integer class label is among the {@code k} highest predictions,
   * named {@code "sparse_top_k_categorical_accuracy"}.
   */
  public SparseTopKCategoricalAccuracy(int k) {
    this("sparse_top_k_categorical_accuracy", k);
  }

  /**
   * The fraction of samples whose integer class label is among the {@code k} highest predictions.
   *
   * @param name the name logged for the metric
   */
  public SparseTopKCategoricalAccuracy(String name, int k) {
    super(name);
    this.k = k;
  }

  @Override
  protected Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return TopKCategoricalAccuracy.inTopK(tf, tf.dtypes.cast(yTrue, TInt32.class), yPred, k);
  }
}
