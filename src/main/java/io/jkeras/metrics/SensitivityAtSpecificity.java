package io.jkeras.metrics;

import java.util.Map;

/**
 * The best sensitivity (recall) among the thresholds whose specificity is at least {@code
 * specificity}, as Keras's {@code SensitivityAtSpecificity}: over {@code num_thresholds} evenly
 * spaced thresholds (200 by default), optionally for class {@code class_id} only; 0 when no
 * threshold reaches the target.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new SensitivityAtSpecificity(0.8));
 * }</pre>
 */
public class SensitivityAtSpecificity extends SensitivitySpecificityBase {

  /**
   * The metric at target specificity {@code specificity}, named "sensitivity_at_specificity", with
   * 200 thresholds.
   *
   * @param specificity the target, in [0, 1]
   */
  public SensitivityAtSpecificity(double specificity) {
    this("sensitivity_at_specificity", specificity, 200, null);
  }

  /**
   * Keras's {@code SensitivityAtSpecificity(specificity, num_thresholds, class_id, name)}.
   *
   * <pre>{@code new SensitivityAtSpecificity("sensitivity_at_specificity", 0.8, 100, 2);}</pre>
   *
   * @param name the name in logs
   * @param specificity the target, in [0, 1]
   * @param numThresholds the number of thresholds (1 means 0.5 only)
   * @param classId the one class to consider, or null for every element
   */
  public SensitivityAtSpecificity(
      String name, double specificity, int numThresholds, Integer classId) {
    super(name, "specificity", specificity, numThresholds, classId);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = SensitivityAtSpecificity.fromConfig(Map.of("specificity", 0.8));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static SensitivityAtSpecificity fromConfig(Map<String, Object> config) {
    return fromConfig(
        "SensitivityAtSpecificity",
        "sensitivity_at_specificity",
        "specificity",
        config,
        SensitivityAtSpecificity::new);
  }

  @Override
  double[] constrained(double[] tp, double[] fp, double[] tn, double[] fn) {
    return ConfusionMetric.ratio(tn, fp);
  }

  @Override
  double[] dependent(double[] tp, double[] fp, double[] tn, double[] fn) {
    return ConfusionMetric.ratio(tp, fn);
  }
}
