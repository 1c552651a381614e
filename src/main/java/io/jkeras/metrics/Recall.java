package io.jkeras.metrics;

import java.util.Map;

/**
 * {@code tp / (tp + fn)} over every sample seen, as Keras's {@code Recall}: at {@code thresholds}
 * (0.5 by default; one value per threshold when several are given), among the {@code top_k} highest
 * predictions of each row when set (then the threshold defaults to {@code -1e10}), and for class
 * {@code class_id} only when set.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new Recall());
 * Metric atTop3 = new Recall("recall_at_3", null, 3, null);
 * }</pre>
 */
public class Recall extends ConfusionMetric {

  /** Recall at threshold 0.5, named "recall". */
  public Recall() {
    this("recall", null, null, null);
  }

  /**
   * Recall at one or several thresholds, named "recall".
   *
   * <pre>{@code new Recall(0.3, 0.5, 0.7).results(); // three values}</pre>
   *
   * @param thresholds values in [0, 1]
   */
  public Recall(double... thresholds) {
    this("recall", thresholds, null, null);
  }

  /**
   * Keras's {@code Recall(thresholds, top_k, class_id, name)}.
   *
   * <pre>{@code new Recall("recall_top_2", null, 2, null);}</pre>
   *
   * @param name the name in logs
   * @param thresholds values in [0, 1], or null for the default
   * @param topK the number of highest predictions per row to consider, or null for all
   * @param classId the one class to consider, or null for every element
   */
  public Recall(String name, double[] thresholds, Integer topK, Integer classId) {
    this(name, thresholdsArgument(thresholds), topK, classId);
  }

  private Recall(String name, Object thresholds, Integer topK, Integer classId) {
    super(name, thresholds, topK, classId, true);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Recall.fromConfig(Map.of("thresholds", List.of(0.3, 0.6)));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static Recall fromConfig(Map<String, Object> config) {
    return read("Recall", "recall", config, true, Recall::new);
  }

  @Override
  public double[] results() {
    return ratio(counts(TP), counts(FN));
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
