package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The (weighted) mean over samples of the squared logarithmic error {@code mean((log(p + 1) - log(y
 * + 1))^2)}, as Keras's {@code MeanSquaredLogarithmicError} metric (default name
 * "mean_squared_logarithmic_error").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new MeanSquaredLogarithmicError());
 * }</pre>
 */
@KerasClass(aliases = {"msle", "MSLE"})
public class MeanSquaredLogarithmicError extends MeanMetricWrapper {

  /** The metric named "mean_squared_logarithmic_error". */
  public MeanSquaredLogarithmicError() {
    this("mean_squared_logarithmic_error");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public MeanSquaredLogarithmicError(String name) {
    super(name, new io.jkeras.losses.MeanSquaredLogarithmicError());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>
   * {@code Metric m = MeanSquaredLogarithmicError.fromConfig(Map.of("name", "mean_squared_logarithmic_error"));}
   * </pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static MeanSquaredLogarithmicError fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MeanSquaredLogarithmicError", config);
    MeanSquaredLogarithmicError metric =
        new MeanSquaredLogarithmicError(readBaseConfig(c, "mean_squared_logarithmic_error"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
