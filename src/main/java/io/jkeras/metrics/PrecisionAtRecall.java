package io.jkeras.metrics;

import java.util.Map;

/**
 * The best precision among the thresholds whose recall is at least {@code recall}, as Keras's
 * {@code PrecisionAtRecall}: over {@code num_thresholds} evenly spaced thresholds (200 by default),
 * optionally for class {@code class_id} only; 0 when no threshold reaches the target.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new PrecisionAtRecall(0.8));
 * }</pre>
 */
public class PrecisionAtRecall extends SensitivitySpecificityBase {

  /**
   * The metric at target recall {@code recall}, named "precision_at_recall", with 200 thresholds.
   *
   * @param recall the target, in [0, 1]
   */
  public PrecisionAtRecall(double recall) {
    this("precision_at_recall", recall, 200, null);
  }

  /**
   * Keras's {@code PrecisionAtRecall(recall, num_thresholds, class_id, name)}.
   *
   * <pre>{@code new PrecisionAtRecall("precision_at_recall", 0.8, 100, 2);}</pre>
   *
   * @param name the name in logs
   * @param recall the target, in [0, 1]
   * @param numThresholds the number of thresholds (1 means 0.5 only)
   * @param classId the one class to consider, or null for every element
   */
  public PrecisionAtRecall(String name, double recall, int numThresholds, Integer classId) {
    super(name, "recall", recall, numThresholds, classId);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = PrecisionAtRecall.fromConfig(Map.of("recall", 0.8));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static PrecisionAtRecall fromConfig(Map<String, Object> config) {
    return fromConfig(
        "PrecisionAtRecall", "precision_at_recall", "recall", config, PrecisionAtRecall::new);
  }

  @Override
  double[] constrained(double[] tp, double[] fp, double[] tn, double[] fn) {
    return ConfusionMetric.ratio(tp, fn);
  }

  @Override
  double[] dependent(double[] tp, double[] fp, double[] tn, double[] fn) {
    return ConfusionMetric.ratio(tp, fp);
  }
}
