package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The (weighted) mean over samples of binary cross-entropy, as Keras's {@code BinaryCrossentropy}
 * metric: {@code from_logits} (false) and {@code label_smoothing} (0) as the loss.
 *
 * <pre>{@code
 * model.compile(new Adam(), new io.jkeras.losses.BinaryCrossentropy(), new AUC(),
 *     new BinaryCrossentropy());
 * }</pre>
 */
@KerasClass(aliases = {"bce", "BCE"})
public class BinaryCrossentropy extends MeanMetricWrapper {

  private final boolean fromLogits;
  private final double labelSmoothing;

  /** The metric named "binary_crossentropy", on probabilities, without label smoothing. */
  public BinaryCrossentropy() {
    this("binary_crossentropy", false, 0);
  }

  /**
   * Keras's {@code BinaryCrossentropy(name, from_logits, label_smoothing)}.
   *
   * <pre>{@code new BinaryCrossentropy("logloss", true, 0);}</pre>
   *
   * @param name the name in logs
   * @param fromLogits whether predictions are logits
   * @param labelSmoothing in [0, 1]: labels move towards 0.5 by this much
   */
  public BinaryCrossentropy(String name, boolean fromLogits, double labelSmoothing) {
    super(name, new io.jkeras.losses.BinaryCrossentropy(fromLogits, labelSmoothing));
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = BinaryCrossentropy.fromConfig(Map.of("from_logits", true));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static BinaryCrossentropy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("BinaryCrossentropy", config);
    BinaryCrossentropy metric =
        new BinaryCrossentropy(
            readBaseConfig(c, "binary_crossentropy"),
            c.bool("from_logits", false),
            c.numberOrDefault("label_smoothing", 0));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = baseConfig();
    config.put("from_logits", fromLogits);
    config.put("label_smoothing", smoothingValue(labelSmoothing));
    return config;
  }

  /** Label smoothing as Keras writes its default: the integer 0 when off. */
  static Object smoothingValue(double labelSmoothing) {
    return labelSmoothing == 0 ? (Object) 0 : (Object) labelSmoothing;
  }
}
