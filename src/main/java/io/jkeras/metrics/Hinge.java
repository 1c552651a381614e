package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The (weighted) mean over samples of the hinge loss {@code mean(max(1 - y * p, 0))} (labels 0/1
 * become -1/1), as Keras's {@code Hinge} metric (default name "hinge").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new Hinge());
 * }</pre>
 */
public class Hinge extends MeanMetricWrapper {

  /** The metric named "hinge". */
  public Hinge() {
    this("hinge");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public Hinge(String name) {
    super(name, new io.jkeras.losses.Hinge());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Hinge.fromConfig(Map.of("name", "hinge"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static Hinge fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Hinge", config);
    Hinge metric = new Hinge(readBaseConfig(c, "hinge"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
