package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * How often the arg-max of the prediction is the integer label, as Keras's {@code
 * sparse_categorical_accuracy}.
 *
 * <pre>{@code
 * model.compile("adam", "sparse_categorical_crossentropy", new SparseCategoricalAccuracy());
 * }</pre>
 */
public class SparseCategoricalAccuracy extends MeanMetric {

  /** Accuracy for integer class labels, named {@code "sparse_categorical_accuracy"}. */
  public SparseCategoricalAccuracy() {
    this("sparse_categorical_accuracy");
  }

  /** Accuracy for integer class labels, logged as {@code name}. */
  public SparseCategoricalAccuracy(String name) {
    super(name);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>
   * {@code Metric m = SparseCategoricalAccuracy.fromConfig(Map.of("name", "sparse_categorical_accuracy"));}
   * </pre>
   */
  public static SparseCategoricalAccuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SparseCategoricalAccuracy", config);
    String name = readBaseConfig(c, "sparse_categorical_accuracy");
    SparseCategoricalAccuracy metric = new SparseCategoricalAccuracy(name);
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    return config;
  }

  @Override
  protected Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TInt64> labels =
        tf.reshape(tf.dtypes.cast(yTrue, TInt64.class), tf.constant(new int[] {-1}));
    Operand<TInt64> predicted =
        tf.reshape(tf.math.argMax(yPred, tf.constant(-1)), tf.constant(new int[] {-1}));
    return tf.dtypes.cast(tf.math.equal(labels, predicted), TFloat32.class);
  }
}
