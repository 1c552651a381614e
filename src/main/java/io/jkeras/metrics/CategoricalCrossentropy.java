package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The (weighted) mean over samples of categorical cross-entropy on one-hot labels, as Keras's
 * {@code CategoricalCrossentropy} metric: {@code from_logits} (false), {@code label_smoothing} (0)
 * and {@code axis} (-1) as the loss.
 *
 * <pre>{@code
 * model.compile(new Adam(), "categorical_crossentropy", new CategoricalCrossentropy());
 * }</pre>
 */
public class CategoricalCrossentropy extends MeanMetricWrapper {

  private final boolean fromLogits;
  private final double labelSmoothing;
  private final int axis;

  /** The metric named "categorical_crossentropy", on probabilities. */
  public CategoricalCrossentropy() {
    this("categorical_crossentropy", false, 0, -1);
  }

  /**
   * Keras's {@code CategoricalCrossentropy(name, from_logits, label_smoothing, axis)}.
   *
   * <pre>{@code new CategoricalCrossentropy("cce", true, 0.1, -1);}</pre>
   *
   * @param name the name in logs
   * @param fromLogits whether predictions are logits
   * @param labelSmoothing in [0, 1]
   * @param axis the class axis
   */
  public CategoricalCrossentropy(String name, boolean fromLogits, double labelSmoothing, int axis) {
    super(name, new io.jkeras.losses.CategoricalCrossentropy(fromLogits, labelSmoothing, axis));
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = CategoricalCrossentropy.fromConfig(Map.of("from_logits", true));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static CategoricalCrossentropy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CategoricalCrossentropy", config);
    CategoricalCrossentropy metric =
        new CategoricalCrossentropy(
            readBaseConfig(c, "categorical_crossentropy"),
            c.bool("from_logits", false),
            c.numberOrDefault("label_smoothing", 0),
            c.integer("axis", -1));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = baseConfig();
    config.put("from_logits", fromLogits);
    config.put("label_smoothing", BinaryCrossentropy.smoothingValue(labelSmoothing));
    config.put("axis", axis);
    return config;
  }
}
