package io.jkeras.metrics;

import java.util.Map;

/**
 * The (weighted) number of true negatives at {@code thresholds} (0.5 by default; one count per
 * threshold when several are given), as Keras's {@code TrueNegatives}.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new TrueNegatives());
 * }</pre>
 */
public class TrueNegatives extends ConfusionMetric {

  /** The count at threshold 0.5, named "true_negatives". */
  public TrueNegatives() {
    this("true_negatives");
  }

  /**
   * The count at one or several thresholds.
   *
   * <pre>{@code new TrueNegatives("true_negatives", 0.3, 0.7).results(); // two counts}</pre>
   *
   * @param name the name in logs
   * @param thresholds values in [0, 1]; none for 0.5
   */
  public TrueNegatives(String name, double... thresholds) {
    this(name, thresholdsArgument(thresholds));
  }

  private TrueNegatives(String name, Object thresholds) {
    super(name, thresholds, null, null, false);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = TrueNegatives.fromConfig(Map.of("thresholds", 0.3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static TrueNegatives fromConfig(Map<String, Object> config) {
    return read(
        "TrueNegatives",
        "true_negatives",
        config,
        false,
        (name, t, topK, classId) -> new TrueNegatives(name, t));
  }

  @Override
  public double[] results() {
    return counts(TN);
  }
}
