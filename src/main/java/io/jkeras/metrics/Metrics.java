package io.jkeras.metrics;

import io.jkeras.losses.BinaryCrossentropy;
import io.jkeras.losses.CategoricalCrossentropy;
import io.jkeras.losses.Loss;
import io.jkeras.losses.Losses;
import io.jkeras.losses.SparseCategoricalCrossentropy;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * Metrics by Keras name. {@code "accuracy"} (or {@code "acc"}) becomes binary, categorical or
 * sparse categorical accuracy as Keras chooses: from the loss when it says, else binary for a
 * single output unit, sparse when the labels have one value per sample, categorical otherwise.
 *
 * <pre>{@code
 * Metric m = Metrics.get("auc", loss, outputShape, labelShape);
 * }</pre>
 */
public final class Metrics {

  private static final List<String> NAMES =
      List.of(
          "accuracy",
          "acc",
          "auc",
          "binary_accuracy",
          "categorical_accuracy",
          "precision",
          "recall",
          "sparse_categorical_accuracy",
          "top_k_categorical_accuracy",
          "sparse_top_k_categorical_accuracy",
          "root_mean_squared_error",
          "mse",
          "mae",
          "mape",
          "msle",
          "log_cosh_error",
          "binary_crossentropy",
          "categorical_crossentropy",
          "sparse_categorical_crossentropy",
          "kl_divergence",
          "poisson",
          "hinge",
          "squared_hinge",
          "categorical_hinge");

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
      case "binary_accuracy":
        return new BinaryAccuracy();
      case "categorical_accuracy":
        return new CategoricalAccuracy();
      case "sparse_categorical_accuracy":
        return new SparseCategoricalAccuracy();
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
        return new LossMetric(name, Losses.get(name.equals("log_cosh_error") ? "log_cosh" : name));
      case "auc":
        return new AUC();
      case "precision":
        return new Precision();
      case "recall":
        return new Recall();
      default:
        throw new IllegalArgumentException(
            "Unknown metric \"" + name + "\"; valid names: " + NAMES);
    }
  }
}
