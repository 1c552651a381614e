package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How often the true class (one-hot labels) is among the {@code k} highest predictions, as Keras's
 * {@code TopKCategoricalAccuracy} (k 5). Ties at the k-th value count as in the top k, as
 * TensorFlow's {@code in_top_k}.
 *
 * <pre>{@code
 * model.compile(new Adam(), "categorical_crossentropy", new TopKCategoricalAccuracy(3));
 * }</pre>
 */
public class TopKCategoricalAccuracy extends Mean {

  private final int k;

  /** Top-5 accuracy, named "top_k_categorical_accuracy". */
  public TopKCategoricalAccuracy() {
    this(5);
  }

  /**
   * Top-k accuracy, named "top_k_categorical_accuracy".
   *
   * @param k the number of highest predictions
   */
  public TopKCategoricalAccuracy(int k) {
    this("top_k_categorical_accuracy", k);
  }

  /**
   * Keras's {@code TopKCategoricalAccuracy(k, name)}.
   *
   * @param name the name in logs
   * @param k the number of highest predictions
   */
  public TopKCategoricalAccuracy(String name, int k) {
    super(name);
    if (k < 1) {
      throw new IllegalArgumentException(className() + ": k must be >= 1, got " + k);
    }
    this.k = k;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = TopKCategoricalAccuracy.fromConfig(Map.of("k", 3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static TopKCategoricalAccuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("TopKCategoricalAccuracy", config);
    TopKCategoricalAccuracy metric =
        new TopKCategoricalAccuracy(
            readBaseConfig(c, "top_k_categorical_accuracy"), c.integer("k", 5));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = baseConfig();
    config.put("k", k);
    return config;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return inTopK(
        tf, tf.dtypes.cast(tf.math.argMax(yTrue, tf.constant(-1)), TInt32.class), yPred, k);
  }

  /**
   * 1 where the prediction of {@code label} is among the k highest of its row, else 0, shaped like
   * the labels (as Keras, so that a sample's weight covers all its steps).
   */
  static Operand<TFloat32> inTopK(Ops tf, Operand<TInt32> labels, Operand<TFloat32> yPred, int k) {
    int rank = yPred.shape().numDimensions();
    Operand<TFloat32> rows =
        rank > 2
            ? tf.reshape(yPred, tf.constant(new int[] {-1, (int) yPred.shape().size(rank - 1)}))
            : yPred;
    Operand<TFloat32> matches =
        tf.dtypes.cast(
            tf.nn.inTopK(rows, tf.reshape(labels, tf.constant(new int[] {-1})), tf.constant(k)),
            TFloat32.class);
    return labels.shape().numDimensions() > 1 ? tf.reshape(matches, tf.shape(labels)) : matches;
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
