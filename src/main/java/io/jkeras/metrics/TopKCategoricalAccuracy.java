package io.jkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How often the true class (one-hot labels) is among the {@code k} highest predictions, as Keras's
 * {@code TopKCategoricalAccuracy} (k 5, name "top_k_categorical_accuracy"). Ties at the k-th value
 * count as in the top k, as TensorFlow's {@code in_top_k}.
 *
 * <pre>{@code
 * model.compile(new Adam(), "categorical_crossentropy", new TopKCategoricalAccuracy(3));
 * }</pre>
 */
public class TopKCategoricalAccuracy extends MeanMetric {

  private final int k;

  /** Top-5 accuracy, named {@code "top_k_categorical_accuracy"}. */
  public TopKCategoricalAccuracy() {
    this(5);
  }

  /**
   * The fraction of samples whose true class is among the {@code k} highest predictions, named
   * {@code "top_k_categorical_accuracy"}.
   */
  public TopKCategoricalAccuracy(int k) {
    this("top_k_categorical_accuracy", k);
  }

  /**
   * The fraction of samples whose true class is among the {@code k} highest predictions.
   *
   * @param name the name logged for the metric
   */
  public TopKCategoricalAccuracy(String name, int k) {
    super(name);
    this.k = k;
  }

  @Override
  protected Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return inTopK(
        tf, tf.dtypes.cast(tf.math.argMax(yTrue, tf.constant(-1)), TInt32.class), yPred, k);
  }

  /** 1 where the prediction of {@code label} is among the k highest of its row, else 0. */
  static Operand<TFloat32> inTopK(Ops tf, Operand<TInt32> labels, Operand<TFloat32> yPred, int k) {
    return tf.dtypes.cast(
        tf.nn.inTopK(yPred, tf.reshape(labels, tf.constant(new int[] {-1})), tf.constant(k)),
        TFloat32.class);
  }
}
