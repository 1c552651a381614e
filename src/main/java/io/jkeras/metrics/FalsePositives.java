package io.jkeras.metrics;

import java.util.Map;

/**
 * The (weighted) number of false positives at {@code thresholds} (0.5 by default; one count per
 * threshold when several are given), as Keras's {@code FalsePositives}.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new FalsePositives());
 * }</pre>
 */
public class FalsePositives extends ConfusionMetric {

  /** The count at threshold 0.5, named "false_positives". */
  public FalsePositives() {
    this("false_positives");
  }

  /**
   * The count at one or several thresholds.
   *
   * <pre>{@code new FalsePositives("false_positives", 0.3, 0.7).results(); // two counts}</pre>
   *
   * @param name the name in logs
   * @param thresholds values in [0, 1]; none for 0.5
   */
  public FalsePositives(String name, double... thresholds) {
    this(name, thresholdsArgument(thresholds));
  }

  private FalsePositives(String name, Object thresholds) {
    super(name, thresholds, null, null, false);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = FalsePositives.fromConfig(Map.of("thresholds", 0.3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static FalsePositives fromConfig(Map<String, Object> config) {
    return read(
        "FalsePositives",
        "false_positives",
        config,
        false,
        (name, t, topK, classId) -> new FalsePositives(name, t));
  }

  @Override
  public double[] results() {
    return counts(FP);
  }
}
