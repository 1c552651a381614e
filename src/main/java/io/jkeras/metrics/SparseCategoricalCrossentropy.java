package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The (weighted) mean over samples of categorical cross-entropy on integer class labels, as Keras's
 * {@code SparseCategoricalCrossentropy} metric ({@code from_logits} false by default; {@code
 * ignore_class} null and {@code axis} -1 only).
 *
 * <pre>{@code
 * model.compile(new Adam(), "sparse_categorical_crossentropy",
 *     new SparseCategoricalCrossentropy());
 * }</pre>
 */
public class SparseCategoricalCrossentropy extends MeanMetricWrapper {

  private final boolean fromLogits;

  /** The metric named "sparse_categorical_crossentropy", on probabilities. */
  public SparseCategoricalCrossentropy() {
    this("sparse_categorical_crossentropy", false);
  }

  /**
   * Keras's {@code SparseCategoricalCrossentropy(name, from_logits)}.
   *
   * <pre>{@code new SparseCategoricalCrossentropy("scce", true);}</pre>
   *
   * @param name the name in logs
   * @param fromLogits whether predictions are logits
   */
  public SparseCategoricalCrossentropy(String name, boolean fromLogits) {
    super(name, new io.jkeras.losses.SparseCategoricalCrossentropy(fromLogits));
    this.fromLogits = fromLogits;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = SparseCategoricalCrossentropy.fromConfig(Map.of("from_logits", true));}
   * </pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static SparseCategoricalCrossentropy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SparseCategoricalCrossentropy", config);
    String name = readBaseConfig(c, "sparse_categorical_crossentropy");
    boolean fromLogits = c.bool("from_logits", false);
    c.requireDefault("ignore_class", null, "ignore_class");
    c.requireDefault("axis", -1, "a class axis other than -1");
    SparseCategoricalCrossentropy metric = new SparseCategoricalCrossentropy(name, fromLogits);
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = baseConfig();
    config.put("from_logits", fromLogits);
    config.put("ignore_class", null);
    config.put("axis", -1);
    return config;
  }
}
