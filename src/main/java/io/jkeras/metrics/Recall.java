package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * {@code tp / (tp + fn)} at threshold 0.5 over all samples seen, as Keras's {@code Recall}.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new Recall());
 * }</pre>
 */
public class Recall extends ThresholdCountMetric {

  /** Recall at threshold 0.5, named {@code "recall"}. */
  public Recall() {
    this("recall", 0.5);
  }

  /**
   * Recall with predictions above {@code threshold} counted as positive.
   *
   * @param name the name logged for the metric
   */
  public Recall(String name, double threshold) {
    super(name, threshold);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Recall.fromConfig(Map.of("name", "recall"));}</pre>
   */
  public static Recall fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Recall", config);
    String name = readBaseConfig(c, "recall");
    c.requireDefault("top_k", null, "top_k");
    c.requireDefault("class_id", null, "class_id");
    Recall metric = new Recall(name, c.numberOrDefault("thresholds", 0.5));
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
    return ratio(tp(), fn());
  }
}
