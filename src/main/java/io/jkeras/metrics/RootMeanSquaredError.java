package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The square root of the (weighted) mean squared error over everything seen, as Keras's {@code
 * RootMeanSquaredError}: squared errors averaged per sample, then over samples, then the root.
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new RootMeanSquaredError());
 * }</pre>
 */
public class RootMeanSquaredError extends Mean {

  /** The metric named "root_mean_squared_error". */
  public RootMeanSquaredError() {
    this("root_mean_squared_error");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public RootMeanSquaredError(String name) {
    super(name);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = RootMeanSquaredError.fromConfig(Map.of("name", "rmse"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static RootMeanSquaredError fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("RootMeanSquaredError", config);
    RootMeanSquaredError metric =
        new RootMeanSquaredError(readBaseConfig(c, "root_mean_squared_error"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    List<Operand<TFloat32>> yp = BatchShapes.sameRank(tf, yTrue, yPred);
    Operand<TFloat32> d = tf.math.sub(yp.get(1), yp.get(0));
    return tf.math.mul(d, d);
  }

  @Override
  public double[] results() {
    return new double[] {Math.sqrt(super.results()[0])};
  }

  /** Lower is better: {@code "down"}. */
  @Override
  public String direction() {
    return "down";
  }
}
