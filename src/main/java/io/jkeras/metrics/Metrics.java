package io.jkeras.metrics;

import io.jkeras.config.ClassCatalog;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * Metrics by Keras name (class name or snake_case: {@code "AUC"}, {@code "auc"}), or rebuilt from a
 * Keras config; every public metric class of this package with a {@code public static
 * fromConfig(Map)} is found by itself (see {@link ClassCatalog}). {@code "accuracy"} (or {@code
 * "acc"}) becomes binary, categorical or sparse categorical accuracy as Keras 3 chooses, from the
 * shapes alone (not the loss): binary for a single output unit, sparse when the labels have one
 * value per sample, categorical otherwise.
 *
 * <pre>{@code
 * Metric m = Metrics.get("auc", outputShape, labelShape);
 * }</pre>
 */
public final class Metrics {

  private static final ClassCatalog<Metric> CATALOG =
      new ClassCatalog<>("metric", Metric.class, "io.jkeras.metrics", "keras.metrics", true, false);

  private Metrics() {}

  /**
   * The metric called {@code name} for a model output of shape {@code outputShape} trained on
   * labels of shape {@code labelShape}, named {@code name} in logs, as Keras's {@code compile}
   * resolves a metric string: {@code "accuracy"}/{@code "acc"} as described above, anything else by
   * class name, snake_case name or alias ({@code "auc"}, {@code "AUC"}, {@code "mse"}, {@code
   * "binary_crossentropy"}), with the class's defaults.
   *
   * <pre>{@code Metric m = Metrics.get("auc", outputShape, labelShape);}</pre>
   *
   * @param name the metric's name
   * @param outputShape the shape of the model output the metric reads
   * @param labelShape the shape of its labels
   * @return a new metric
   * @throws IllegalArgumentException for an unknown name (listing the known ones)
   */
  public static Metric get(String name, Shape outputShape, Shape labelShape) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (lower.equals("accuracy") || lower.equals("acc")) {
      return accuracy(name, outputShape, labelShape);
    }
    if (CATALOG.factory(name) == null) {
      // The unknown-name error, listing the known names.
      return CATALOG.get(name);
    }
    return CATALOG.fromConfig(name, Map.of("name", name));
  }

  private static Metric accuracy(String name, Shape outputShape, Shape labelShape) {
    if (outputShape.size(outputShape.numDimensions() - 1) == 1) {
      return new BinaryAccuracy(name, 0.5);
    }
    if (labelShape.numDimensions() < outputShape.numDimensions()
        || labelShape.size(labelShape.numDimensions() - 1) == 1) {
      return new SparseCategoricalAccuracy(name);
    }
    return new CategoricalAccuracy(name);
  }

  /**
   * The metric of Keras class {@code className} rebuilt from its {@code config}.
   *
   * <pre>{@code Metric auc = Metrics.fromConfig("AUC", Map.of("num_thresholds", 100));}</pre>
   *
   * @throws IllegalArgumentException for an unknown class or a config jkeras cannot honour
   */
  public static Metric fromConfig(String className, Map<String, Object> config) {
    return CATALOG.fromConfig(className, config);
  }

  /**
   * The Keras module and registered name written for {@code metric} in a model file: {@code
   * keras.metrics} and null for jkeras's built-ins, the registered name (and the module its {@code
   * KerasClass} annotation gives, else null) for a user's registered class.
   *
   * <pre>{@code Metrics.serialize(new AUC()); // {module=keras.metrics, class_name=AUC, ...}}</pre>
   *
   * @param metric the metric
   * @return Keras's serialized form {@code {module, class_name, config, registered_name}}
   * @throws IllegalArgumentException for a metric class neither built in nor registered
   */
  public static Map<String, Object> serialize(Metric metric) {
    Class<?> type = metric.getClass();
    String registered = CATALOG.registeredName(type);
    if (!CATALOG.isBuiltIn(type) && registered == null) {
      throw new IllegalArgumentException(
          "metric \""
              + metric.name()
              + "\" of class "
              + type.getName()
              + " cannot be saved: register it with Metrics.register("
              + type.getSimpleName()
              + ".class) (it needs a public static fromConfig(Map))");
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("module", CATALOG.module(type));
    out.put("class_name", metric.className());
    out.put("config", metric.getConfig());
    out.put("registered_name", registered);
    return out;
  }

  /**
   * Registers a user's metric class, rebuilt by its {@code public static fromConfig(Map)}.
   *
   * <pre>{@code Metrics.register(MyMetric.class);}</pre>
   */
  public static void register(Class<? extends Metric> type) {
    CATALOG.register(type);
  }

  /**
   * Every class name, snake_case name and alias the catalog knows, sorted ({@code "accuracy"} and
   * {@code "acc"} are also accepted by {@link #get}, which resolves them from the loss and shapes).
   *
   * <pre>{@code Metrics.names(); // [AUC, BinaryAccuracy, ..., auc, binary_accuracy, ...]}</pre>
   */
  public static List<String> names() {
    return CATALOG.names();
  }
}
