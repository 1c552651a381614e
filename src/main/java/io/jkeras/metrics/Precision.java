package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * {@code tp / (tp + fp)} at threshold 0.5 over all samples seen, as Keras's {@code Precision}.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new Precision());
 * }</pre>
 */
public class Precision extends ThresholdCountMetric {

  /** Precision at threshold 0.5, named {@code "precision"}. */
  public Precision() {
    this("precision", 0.5);
  }

  /**
   * Precision with predictions above {@code threshold} counted as positive.
   *
   * @param name the name logged for the metric
   */
  public Precision(String name, double threshold) {
    super(name, threshold);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Precision.fromConfig(Map.of("name", "precision"));}</pre>
   */
  public static Precision fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Precision", config);
    String name = readBaseConfig(c, "precision");
    c.requireDefault("top_k", null, "top_k");
    c.requireDefault("class_id", null, "class_id");
    Precision metric = new Precision(name, c.numberOrDefault("thresholds", 0.5));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("thresholds", threshold() == 0.5f ? null : (double) threshold());
    config.put("top_k", null);
    config.put("class_id", null);
    return config;
  }

  @Override
  public double result() {
    return ratio(tp(), fp());
  }
}
