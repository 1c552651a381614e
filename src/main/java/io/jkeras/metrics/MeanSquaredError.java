package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The (weighted) mean over samples of the squared error {@code mean((y - p)^2)} over the last axis,
 * as Keras's {@code MeanSquaredError} metric (default name "mean_squared_error").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new MeanSquaredError());
 * }</pre>
 */
@KerasClass(aliases = {"mse", "MSE"})
public class MeanSquaredError extends MeanMetricWrapper {

  /** The metric named "mean_squared_error". */
  public MeanSquaredError() {
    this("mean_squared_error");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public MeanSquaredError(String name) {
    super(name, new io.jkeras.losses.MeanSquaredError());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = MeanSquaredError.fromConfig(Map.of("name", "mean_squared_error"));}
   * </pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static MeanSquaredError fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MeanSquaredError", config);
    MeanSquaredError metric = new MeanSquaredError(readBaseConfig(c, "mean_squared_error"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
