package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * How often the arg-max of the prediction is the integer label, as Keras's {@code
 * SparseCategoricalAccuracy}.
 *
 * <pre>{@code
 * model.compile(new Adam(), "sparse_categorical_crossentropy", new SparseCategoricalAccuracy());
 * }</pre>
 */
public class SparseCategoricalAccuracy extends Mean {

  /** The metric named "sparse_categorical_accuracy". */
  public SparseCategoricalAccuracy() {
    this("sparse_categorical_accuracy");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public SparseCategoricalAccuracy(String name) {
    super(name);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = SparseCategoricalAccuracy.fromConfig(Map.of("name", "acc"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static SparseCategoricalAccuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SparseCategoricalAccuracy", config);
    SparseCategoricalAccuracy metric =
        new SparseCategoricalAccuracy(readBaseConfig(c, "sparse_categorical_accuracy"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> labels = MeanMetricWrapper.alignLabels(tf, yTrue, yPred, true);
    Operand<TFloat32> predicted =
        tf.dtypes.cast(tf.math.argMax(yPred, tf.constant(-1)), TFloat32.class);
    return tf.dtypes.cast(tf.math.equal(labels, predicted), TFloat32.class);
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
