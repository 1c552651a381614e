package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The (weighted) mean over samples of the Kullback-Leibler divergence {@code sum(y * log(y / p))}
 * (clipped), as Keras's {@code KLDivergence} metric (default name "kl_divergence").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new KLDivergence());
 * }</pre>
 */
public class KLDivergence extends MeanMetricWrapper {

  /** The metric named "kl_divergence". */
  public KLDivergence() {
    this("kl_divergence");
  }

  /**
   * The metric logged as {@code name}.
   *
   * @param name the name in logs
   */
  public KLDivergence(String name) {
    super(name, new io.jkeras.losses.KLDivergence());
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = KLDivergence.fromConfig(Map.of("name", "kl_divergence"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static KLDivergence fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("KLDivergence", config);
    KLDivergence metric = new KLDivergence(readBaseConfig(c, "kl_divergence"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }
}
