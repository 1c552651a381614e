package io.jkeras.metrics;

import java.util.Map;

/**
 * The (weighted) number of true positives at {@code thresholds} (0.5 by default; one count per
 * threshold when several are given), as Keras's {@code TruePositives}.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new TruePositives());
 * }</pre>
 */
public class TruePositives extends ConfusionMetric {

  /** The count at threshold 0.5, named "true_positives". */
  public TruePositives() {
    this("true_positives");
  }

  /**
   * The count at one or several thresholds.
   *
   * <pre>{@code new TruePositives("true_positives", 0.3, 0.7).results(); // two counts}</pre>
   *
   * @param name the name in logs
   * @param thresholds values in [0, 1]; none for 0.5
   */
  public TruePositives(String name, double... thresholds) {
    this(name, thresholdsArgument(thresholds));
  }

  private TruePositives(String name, Object thresholds) {
    super(name, thresholds, null, null, false);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = TruePositives.fromConfig(Map.of("thresholds", 0.3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static TruePositives fromConfig(Map<String, Object> config) {
    return read(
        "TruePositives",
        "true_positives",
        config,
        false,
        (name, t, topK, classId) -> new TruePositives(name, t));
  }

  @Override
  public double[] results() {
    return counts(TP);
  }
}
