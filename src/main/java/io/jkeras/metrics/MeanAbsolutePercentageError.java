package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The (weighted) mean over samples of the absolute percentage error {@code 100 * mean(|y - p| /
 * max(|y|, eps))}, as Keras's {@code MeanAbsolutePercentageError} metric (default name
 * "mean_absolute_percentage_error").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new MeanAbsolutePercentageError());
 * }</pre>
 */
@KerasClass(aliases = {"mape", "MAPE"})
public class MeanAbsolutePercentageError extends MeanMetricWrapper {

  /** The metric named "mean_absolute_percentage_error". */
  public MeanAbsolutePercentageError() {
    this("mean_absolute_percentage_error");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public MeanAbsolutePercentageError(String name) {
    super(name, new io.jkeras.losses.MeanAbsolutePercentageError());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>
   * {@code Metric m = MeanAbsolutePercentageError.fromConfig(Map.of("name", "mean_absolute_percentage_error"));}
   * </pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static MeanAbsolutePercentageError fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MeanAbsolutePercentageError", config);
    MeanAbsolutePercentageError metric =
        new MeanAbsolutePercentageError(readBaseConfig(c, "mean_absolute_percentage_error"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
