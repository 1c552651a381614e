package io.jkeras.metrics;

import io.jkeras.config.ClassCatalog;
import io.jkeras.losses.BinaryCrossentropy;
import io.jkeras.losses.CategoricalCrossentropy;
import io.jkeras.losses.Loss;
import io.jkeras.losses.Losses;
import io.jkeras.losses.SparseCategoricalCrossentropy;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * Metrics by Keras name (class name or snake_case: {@code "AUC"}, {@code "auc"}), or rebuilt from a
 * Keras config; every public metric class of this package with a {@code public static
 * fromConfig(Map)} is found by itself (see {@link ClassCatalog}). {@code "accuracy"} (or {@code
 * "acc"}) becomes binary, categorical or sparse categorical accuracy as Keras chooses: from the
 * loss when it says, else binary for a single output unit, sparse when the labels have one value
 * per sample, categorical otherwise.
 *
 * <pre>{@code
 * Metric m = Metrics.get("auc", loss, outputShape, labelShape);
 * }</pre>
 */
public final class Metrics {

  private static final ClassCatalog<Metric> CATALOG =
      new ClassCatalog<>("metric", Metric.class, "io.jkeras.metrics", "keras.metrics", true, false);

  private Metrics() {}

  /**
   * The metric called {@code name} for a model output of shape {@code outputShape} trained with
   * {@code loss} on labels of shape {@code labelShape}.
   */
  public static Metric get(String name, Loss loss, Shape outputShape, Shape labelShape) {
    switch (name == null ? "" : name) {
      case "accuracy":
      case "acc":
        if (loss instanceof BinaryCrossentropy) {
          return new BinaryAccuracy(name, 0.5);
        }
        if (loss instanceof SparseCategoricalCrossentropy) {
          return new SparseCategoricalAccuracy(name);
        }
        if (loss instanceof CategoricalCrossentropy) {
          return new CategoricalAccuracy(name);
        }
        if (outputShape.size(outputShape.numDimensions() - 1) == 1) {
          return new BinaryAccuracy(name, 0.5);
        }
        if (labelShape.numDimensions() < outputShape.numDimensions()
            || labelShape.size(labelShape.numDimensions() - 1) == 1) {
          return new SparseCategoricalAccuracy(name);
        }
        return new CategoricalAccuracy(name);
      case "top_k_categorical_accuracy":
        return new TopKCategoricalAccuracy();
      case "sparse_top_k_categorical_accuracy":
        return new SparseTopKCategoricalAccuracy();
      case "root_mean_squared_error":
        return new RootMeanSquaredError();
      case "mse",
          "mean_squared_error",
          "mae",
          "mean_absolute_error",
          "mape",
          "mean_absolute_percentage_error",
          "msle",
          "mean_squared_logarithmic_error",
          "log_cosh_error",
          "binary_crossentropy",
          "categorical_crossentropy",
          "sparse_categorical_crossentropy",
          "kl_divergence",
          "poisson",
          "hinge",
          "squared_hinge",
          "categorical_hinge":
        // Keras's metrics built on loss functions, by the names Keras 3 resolves.
        return new LossMetric(name, Losses.get(name.equals("log_cosh_error") ? "log_cosh" : name));
      default:
        return CATALOG.get(name);
    }
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
   * Registers a user's metric class, rebuilt by its {@code public static fromConfig(Map)}.
   *
   * <pre>{@code Metrics.register(MyMetric.class);}</pre>
   */
  public static void register(Class<? extends Metric> type) {
    CATALOG.register(type);
  }

  /**
   * Every accepted name but {@code accuracy}/{@code acc}, sorted.
   *
   * <pre>{@code Metrics.names(); // [AUC, BinaryAccuracy, ..., auc, binary_accuracy, ...]}</pre>
   */
  public static List<String> names() {
    return CATALOG.names();
  }
}
