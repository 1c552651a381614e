package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * How often predictions equal labels exactly, as Keras's {@code Accuracy} class (not the {@code
 * "accuracy"} name, which {@link Metrics#get} turns into binary, categorical or sparse accuracy).
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new Accuracy());
 * }</pre>
 */
public class Accuracy extends Mean {

  /** The metric named "accuracy". */
  public Accuracy() {
    this("accuracy");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public Accuracy(String name) {
    super(name);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Accuracy.fromConfig(Map.of("name", "accuracy"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static Accuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Accuracy", config);
    Accuracy metric = new Accuracy(readBaseConfig(c, "accuracy"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    List<Operand<TFloat32>> yp = BatchShapes.sameRank(tf, yTrue, yPred);
    return tf.dtypes.cast(tf.math.equal(yp.get(0), yp.get(1)), TFloat32.class);
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
