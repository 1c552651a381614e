package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * How often the arg-max of the prediction is the arg-max of the one-hot label, as Keras's {@code
 * categorical_accuracy}.
 *
 * <pre>{@code
 * model.compile("adam", "categorical_crossentropy", new CategoricalAccuracy());
 * }</pre>
 */
public class CategoricalAccuracy extends MeanMetric {

  /** Accuracy for one-hot labels, named {@code "categorical_accuracy"}. */
  public CategoricalAccuracy() {
    this("categorical_accuracy");
  }

  /** Accuracy for one-hot labels, logged as {@code name}. */
  public CategoricalAccuracy(String name) {
    super(name);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = CategoricalAccuracy.fromConfig(Map.of("name", "categorical_accuracy"));}
   * </pre>
   */
  public static CategoricalAccuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CategoricalAccuracy", config);
    String name = readBaseConfig(c, "categorical_accuracy");
    CategoricalAccuracy metric = new CategoricalAccuracy(name);
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
    return tf.dtypes.cast(
        tf.math.equal(
            tf.math.argMax(yTrue, tf.constant(-1)), tf.math.argMax(yPred, tf.constant(-1))),
        TFloat32.class);
  }
}
