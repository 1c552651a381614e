package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The (weighted) mean over samples of {@code mean(log(cosh(p - y)))} over the last axis, as Keras's
 * {@code LogCoshError} metric (default name "logcosh").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new LogCoshError());
 * }</pre>
 */
public class LogCoshError extends MeanMetricWrapper {

  /** The metric named "logcosh". */
  public LogCoshError() {
    this("logcosh");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public LogCoshError(String name) {
    super(name, new io.jkeras.losses.LogCosh());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = LogCoshError.fromConfig(Map.of("name", "logcosh"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static LogCoshError fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("LogCoshError", config);
    LogCoshError metric = new LogCoshError(readBaseConfig(c, "logcosh"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
