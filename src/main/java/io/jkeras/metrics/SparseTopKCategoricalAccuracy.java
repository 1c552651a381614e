package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How often the true class (integer labels) is among the {@code k} highest predictions, as Keras's
 * {@code SparseTopKCategoricalAccuracy} (k 5; {@code from_sorted_ids} false only).
 *
 * <pre>{@code
 * model.compile(new Adam(), "sparse_categorical_crossentropy", new SparseTopKCategoricalAccuracy(3));
 * }</pre>
 */
public class SparseTopKCategoricalAccuracy extends Mean {

  private final int k;

  /** Top-5 accuracy, named "sparse_top_k_categorical_accuracy". */
  public SparseTopKCategoricalAccuracy() {
    this(5);
  }

  /**
   * Top-k accuracy, named "sparse_top_k_categorical_accuracy".
   *
   * @param k the number of highest predictions
   */
  public SparseTopKCategoricalAccuracy(int k) {
    this("sparse_top_k_categorical_accuracy", k);
  }

  /**
   * Keras's {@code SparseTopKCategoricalAccuracy(k, name)}.
   *
   * @param name the name in logs
   * @param k the number of highest predictions
   */
  public SparseTopKCategoricalAccuracy(String name, int k) {
    super(name);
    if (k < 1) {
      throw new IllegalArgumentException(className() + ": k must be >= 1, got " + k);
    }
    this.k = k;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = SparseTopKCategoricalAccuracy.fromConfig(Map.of("k", 3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static SparseTopKCategoricalAccuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SparseTopKCategoricalAccuracy", config);
    String name = readBaseConfig(c, "sparse_top_k_categorical_accuracy");
    int k = c.integer("k", 5);
    c.requireDefault("from_sorted_ids", false, "from_sorted_ids");
    SparseTopKCategoricalAccuracy metric = new SparseTopKCategoricalAccuracy(name, k);
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
    return TopKCategoricalAccuracy.inTopK(tf, tf.dtypes.cast(yTrue, TInt32.class), yPred, k);
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
