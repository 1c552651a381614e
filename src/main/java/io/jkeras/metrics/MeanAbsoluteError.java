package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The (weighted) mean over samples of the absolute error {@code mean(|y - p|)} over the last axis,
 * as Keras's {@code MeanAbsoluteError} metric (default name "mean_absolute_error").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new MeanAbsoluteError());
 * }</pre>
 */
@KerasClass(aliases = {"mae", "MAE"})
public class MeanAbsoluteError extends MeanMetricWrapper {

  /** The metric named "mean_absolute_error". */
  public MeanAbsoluteError() {
    this("mean_absolute_error");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public MeanAbsoluteError(String name) {
    super(name, new io.jkeras.losses.MeanAbsoluteError());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = MeanAbsoluteError.fromConfig(Map.of("name", "mean_absolute_error"));}
   * </pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static MeanAbsoluteError fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MeanAbsoluteError", config);
    MeanAbsoluteError metric = new MeanAbsoluteError(readBaseConfig(c, "mean_absolute_error"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
