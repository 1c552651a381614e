package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * How often the arg-max of the prediction is the arg-max of the one-hot label, as Keras's {@code
 * CategoricalAccuracy}.
 *
 * <pre>{@code
 * model.compile(new Adam(), "categorical_crossentropy", new CategoricalAccuracy());
 * }</pre>
 */
public class CategoricalAccuracy extends Mean {

  /** The metric named "categorical_accuracy". */
  public CategoricalAccuracy() {
    this("categorical_accuracy");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public CategoricalAccuracy(String name) {
    super(name);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = CategoricalAccuracy.fromConfig(Map.of("name", "acc"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static CategoricalAccuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CategoricalAccuracy", config);
    CategoricalAccuracy metric = new CategoricalAccuracy(readBaseConfig(c, "categorical_accuracy"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return tf.dtypes.cast(
        tf.math.equal(
            tf.math.argMax(yTrue, tf.constant(-1)), tf.math.argMax(yPred, tf.constant(-1))),
        TFloat32.class);
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
