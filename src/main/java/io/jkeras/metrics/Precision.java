package io.jkeras.metrics;

import java.util.Map;

/**
 * {@code tp / (tp + fp)} over every sample seen, as Keras's {@code Precision}: at {@code
 * thresholds} (0.5 by default; one value per threshold when several are given), among the {@code
 * top_k} highest predictions of each row when set (then the threshold defaults to {@code -1e10}),
 * and for class {@code class_id} only when set.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new Precision());
 * Metric atTop3 = new Precision("precision_at_3", null, 3, null);
 * }</pre>
 */
public class Precision extends ConfusionMetric {

  /** Precision at threshold 0.5, named "precision". */
  public Precision() {
    this("precision", null, null, null);
  }

  /**
   * Precision at one or several thresholds, named "precision".
   *
   * <pre>{@code new Precision(0.3, 0.5, 0.7).results(); // three values}</pre>
   *
   * @param thresholds values in [0, 1]
   */
  public Precision(double... thresholds) {
    this("precision", thresholds, null, null);
  }

  /**
   * Keras's {@code Precision(thresholds, top_k, class_id, name)}.
   *
   * <pre>{@code new Precision("precision_top_2", null, 2, null);}</pre>
   *
   * @param name the name in logs
   * @param thresholds values in [0, 1], or null for the default
   * @param topK the number of highest predictions per row to consider, or null for all
   * @param classId the one class to consider, or null for every element
   */
  public Precision(String name, double[] thresholds, Integer topK, Integer classId) {
    this(name, thresholdsArgument(thresholds), topK, classId);
  }

  private Precision(String name, Object thresholds, Integer topK, Integer classId) {
    super(name, thresholds, topK, classId, true);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Precision.fromConfig(Map.of("thresholds", List.of(0.3, 0.6)));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static Precision fromConfig(Map<String, Object> config) {
    return read("Precision", "precision", config, true, Precision::new);
  }

  @Override
  public double[] results() {
    return ratio(counts(TP), counts(FP));
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
