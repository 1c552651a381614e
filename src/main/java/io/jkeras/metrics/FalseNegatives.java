package io.jkeras.metrics;

import java.util.Map;

/**
 * The (weighted) number of false negatives at {@code thresholds} (0.5 by default; one count per
 * threshold when several are given), as Keras's {@code FalseNegatives}.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new FalseNegatives());
 * }</pre>
 */
public class FalseNegatives extends ConfusionMetric {

  /** The count at threshold 0.5, named "false_negatives". */
  public FalseNegatives() {
    this("false_negatives");
  }

  /**
   * The count at one or several thresholds.
   *
   * <pre>{@code new FalseNegatives("false_negatives", 0.3, 0.7).results(); // two counts}</pre>
   *
   * @param name the name in logs
   * @param thresholds values in [0, 1]; none for 0.5
   */
  public FalseNegatives(String name, double... thresholds) {
    this(name, thresholdsArgument(thresholds));
  }

  private FalseNegatives(String name, Object thresholds) {
    super(name, thresholds, null, null, false);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = FalseNegatives.fromConfig(Map.of("thresholds", 0.3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static FalseNegatives fromConfig(Map<String, Object> config) {
    return read(
        "FalseNegatives",
        "false_negatives",
        config,
        false,
        (name, t, topK, classId) -> new FalseNegatives(name, t));
  }

  @Override
  public double[] results() {
    return counts(FN);
  }
}
