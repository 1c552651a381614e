package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The (weighted) mean over samples of the squared hinge loss {@code mean(max(1 - y * p, 0)^2)}, as
 * Keras's {@code SquaredHinge} metric (default name "squared_hinge").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new SquaredHinge());
 * }</pre>
 */
public class SquaredHinge extends MeanMetricWrapper {

  /** The metric named "squared_hinge". */
  public SquaredHinge() {
    this("squared_hinge");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public SquaredHinge(String name) {
    super(name, new io.jkeras.losses.SquaredHinge());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = SquaredHinge.fromConfig(Map.of("name", "squared_hinge"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static SquaredHinge fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SquaredHinge", config);
    SquaredHinge metric = new SquaredHinge(readBaseConfig(c, "squared_hinge"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
