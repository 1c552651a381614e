package io.jkeras.metrics;

import java.util.Map;

/**
 * The best recall among the thresholds whose precision is at least {@code precision}, as Keras's
 * {@code RecallAtPrecision}: over {@code num_thresholds} evenly spaced thresholds (200 by default),
 * optionally for class {@code class_id} only; 0 when no threshold reaches the target.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new RecallAtPrecision(0.8));
 * }</pre>
 */
public class RecallAtPrecision extends SensitivitySpecificityBase {

  /**
   * The metric at target precision {@code precision}, named "recall_at_precision", with 200
   * thresholds.
   *
   * @param precision the target, in [0, 1]
   */
  public RecallAtPrecision(double precision) {
    this("recall_at_precision", precision, 200, null);
  }

  /**
   * Keras's {@code RecallAtPrecision(precision, num_thresholds, class_id, name)}.
   *
   * <pre>{@code new RecallAtPrecision("recall_at_precision", 0.8, 100, 2);}</pre>
   *
   * @param name the name in logs
   * @param precision the target, in [0, 1]
   * @param numThresholds the number of thresholds (1 means 0.5 only)
   * @param classId the one class to consider, or null for every element
   */
  public RecallAtPrecision(String name, double precision, int numThresholds, Integer classId) {
    super(name, "precision", precision, numThresholds, classId);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = RecallAtPrecision.fromConfig(Map.of("precision", 0.8));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static RecallAtPrecision fromConfig(Map<String, Object> config) {
    return fromConfig(
        "RecallAtPrecision", "recall_at_precision", "precision", config, RecallAtPrecision::new);
  }

  @Override
  double[] constrained(double[] tp, double[] fp, double[] tn, double[] fn) {
    return ConfusionMetric.ratio(tp, fp);
  }

  @Override
  double[] dependent(double[] tp, double[] fp, double[] tn, double[] fn) {
    return ConfusionMetric.ratio(tp, fn);
  }
}
