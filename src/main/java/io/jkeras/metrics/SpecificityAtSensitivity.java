package io.jkeras.metrics;

import java.util.Map;

/**
 * The best specificity among the thresholds whose sensitivity (recall) is at least {@code
 * sensitivity}, as Keras's {@code SpecificityAtSensitivity}: over {@code num_thresholds} evenly
 * spaced thresholds (200 by default), optionally for class {@code class_id} only; 0 when no
 * threshold reaches the target.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new SpecificityAtSensitivity(0.8));
 * }</pre>
 */
public class SpecificityAtSensitivity extends SensitivitySpecificityBase {

  /**
   * The metric at target sensitivity {@code sensitivity}, named "specificity_at_sensitivity", with
   * 200 thresholds.
   *
   * @param sensitivity the target, in [0, 1]
   */
  public SpecificityAtSensitivity(double sensitivity) {
    this("specificity_at_sensitivity", sensitivity, 200, null);
  }

  /**
   * Keras's {@code SpecificityAtSensitivity(sensitivity, num_thresholds, class_id, name)}.
   *
   * <pre>{@code new SpecificityAtSensitivity("specificity_at_sensitivity", 0.8, 100, 2);}</pre>
   *
   * @param name the name in logs
   * @param sensitivity the target, in [0, 1]
   * @param numThresholds the number of thresholds (1 means 0.5 only)
   * @param classId the one class to consider, or null for every element
   */
  public SpecificityAtSensitivity(
      String name, double sensitivity, int numThresholds, Integer classId) {
    super(name, "sensitivity", sensitivity, numThresholds, classId);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = SpecificityAtSensitivity.fromConfig(Map.of("sensitivity", 0.8));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static SpecificityAtSensitivity fromConfig(Map<String, Object> config) {
    return fromConfig(
        "SpecificityAtSensitivity",
        "specificity_at_sensitivity",
        "sensitivity",
        config,
        SpecificityAtSensitivity::new);
  }

  @Override
  double[] constrained(double[] tp, double[] fp, double[] tn, double[] fn) {
    return ConfusionMetric.ratio(tp, fn);
  }

  @Override
  double[] dependent(double[] tp, double[] fp, double[] tn, double[] fn) {
    return ConfusionMetric.ratio(tn, fp);
  }
}
