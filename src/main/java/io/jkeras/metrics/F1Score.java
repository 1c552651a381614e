package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The F1 score {@code 2 p r / (p + r)} of predictions of shape {@code (samples, classes)}, as
 * Keras's {@code F1Score}: {@link FBetaScore} with beta 1 ({@code average} and {@code threshold} as
 * there).
 *
 * <pre>{@code
 * model.compile(new Adam(), "binary_crossentropy", new F1Score("micro", 0.5));
 * }</pre>
 */
public class F1Score extends FBetaScore {

  /** Per-class F1 with the highest prediction of each row positive, named "f1_score". */
  public F1Score() {
    this("f1_score", null, null);
  }

  /**
   * Keras's {@code F1Score(average, threshold)}, named "f1_score".
   *
   * @param average null, "micro", "macro" or "weighted"
   * @param threshold in (0, 1], or null for the highest prediction of each row
   */
  public F1Score(String average, Double threshold) {
    this("f1_score", average, threshold);
  }

  /**
   * Keras's {@code F1Score(average, threshold, name)}.
   *
   * @param name the name in logs
   * @param average null, "micro", "macro" or "weighted"
   * @param threshold in (0, 1], or null for the highest prediction of each row
   */
  public F1Score(String name, String average, Double threshold) {
    super(name, average, 1.0, threshold);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = F1Score.fromConfig(Map.of("average", "macro"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static F1Score fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("F1Score", config);
    String name = readBaseConfig(c, "f1_score");
    F1Score metric = new F1Score(name, c.string("average", null), readThreshold(c));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("beta");
    return config;
  }
}
