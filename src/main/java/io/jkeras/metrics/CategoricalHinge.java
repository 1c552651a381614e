package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The (weighted) mean over samples of the categorical hinge loss {@code max(neg - pos + 1, 0)}, as
 * Keras's {@code CategoricalHinge} metric (default name "categorical_hinge").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new CategoricalHinge());
 * }</pre>
 */
public class CategoricalHinge extends MeanMetricWrapper {

  /** The metric named "categorical_hinge". */
  public CategoricalHinge() {
    this("categorical_hinge");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public CategoricalHinge(String name) {
    super(name, new io.jkeras.losses.CategoricalHinge());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = CategoricalHinge.fromConfig(Map.of("name", "categorical_hinge"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static CategoricalHinge fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CategoricalHinge", config);
    CategoricalHinge metric = new CategoricalHinge(readBaseConfig(c, "categorical_hinge"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
