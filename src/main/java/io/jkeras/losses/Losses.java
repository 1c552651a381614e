package io.jkeras.losses;

import java.util.List;

/**
 * Losses by Keras name: {@code binary_crossentropy}, {@code categorical_crossentropy}, {@code
 * sparse_categorical_crossentropy}, {@code mse}/{@code mean_squared_error}, {@code mae}/{@code
 * mean_absolute_error}.
 *
 * <pre>{@code
 * Loss bce = Losses.get("binary_crossentropy");
 * }</pre>
 */
public final class Losses {

  private static final List<String> NAMES =
      List.of(
          "binary_crossentropy",
          "categorical_crossentropy",
          "mae",
          "mean_absolute_error",
          "mean_squared_error",
          "mse",
          "sparse_categorical_crossentropy");

  private Losses() {}

  public static Loss get(String name) {
    switch (name == null ? "" : name) {
      case "binary_crossentropy":
      case "BinaryCrossentropy":
        return new BinaryCrossentropy();
      case "categorical_crossentropy":
      case "CategoricalCrossentropy":
        return new CategoricalCrossentropy();
      case "sparse_categorical_crossentropy":
      case "SparseCategoricalCrossentropy":
        return new SparseCategoricalCrossentropy();
      case "mse":
      case "mean_squared_error":
      case "MeanSquaredError":
        return new MeanSquaredError();
      case "mae":
      case "mean_absolute_error":
      case "MeanAbsoluteError":
        return new MeanAbsoluteError();
      default:
        throw new IllegalArgumentException("Unknown loss \"" + name + "\"; valid names: " + NAMES);
    }
  }
}
