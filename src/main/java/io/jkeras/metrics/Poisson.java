package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The (weighted) mean over samples of the Poisson loss {@code mean(p - y * log(p + eps))}, as
 * Keras's {@code Poisson} metric (default name "poisson").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new Poisson());
 * }</pre>
 */
public class Poisson extends MeanMetricWrapper {

  /** The metric named "poisson". */
  public Poisson() {
    this("poisson");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public Poisson(String name) {
    super(name, new io.jkeras.losses.Poisson());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Poisson.fromConfig(Map.of("name", "poisson"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static Poisson fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Poisson", config);
    Poisson metric = new Poisson(readBaseConfig(c, "poisson"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
