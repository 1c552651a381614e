package io.jkeras.losses;

import io.jkeras.KerasObjectCatalog;
import java.util.Map;

/**
 * Losses by Keras name (the loss functions' names, their aliases such as {@code mse} or {@code
 * kld}, and the class names), and rebuilt from Keras configs.
 *
 * <pre>{@code
 * Loss bce = Losses.get("binary_crossentropy");
 * Loss huber = Losses.fromConfig("Huber", Map.of("reduction", "sum"));
 * }</pre>
 */
public final class Losses {

  private static final KerasObjectCatalog<Loss> CATALOG =
      new KerasObjectCatalog<Loss>("loss")
          .add(
              BinaryCrossentropy::new,
              BinaryCrossentropy::fromConfig,
              "BinaryCrossentropy",
              "binary_crossentropy",
              "bce",
              "BCE")
          .add(
              BinaryFocalCrossentropy::new,
              BinaryFocalCrossentropy::fromConfig,
              "BinaryFocalCrossentropy",
              "binary_focal_crossentropy")
          .add(
              CategoricalCrossentropy::new,
              CategoricalCrossentropy::fromConfig,
              "CategoricalCrossentropy",
              "categorical_crossentropy")
          .add(
              CategoricalFocalCrossentropy::new,
              CategoricalFocalCrossentropy::fromConfig,
              "CategoricalFocalCrossentropy",
              "categorical_focal_crossentropy")
          .add(
              SparseCategoricalCrossentropy::new,
              SparseCategoricalCrossentropy::fromConfig,
              "SparseCategoricalCrossentropy",
              "sparse_categorical_crossentropy")
          .add(
              MeanSquaredError::new,
              MeanSquaredError::fromConfig,
              "MeanSquaredError",
              "mean_squared_error",
              "mse",
              "MSE")
          .add(
              MeanAbsoluteError::new,
              MeanAbsoluteError::fromConfig,
              "MeanAbsoluteError",
              "mean_absolute_error",
              "mae",
              "MAE")
          .add(
              MeanAbsolutePercentageError::new,
              MeanAbsolutePercentageError::fromConfig,
              "MeanAbsolutePercentageError",
              "mean_absolute_percentage_error",
              "mape",
              "MAPE")
          .add(
              MeanSquaredLogarithmicError::new,
              MeanSquaredLogarithmicError::fromConfig,
              "MeanSquaredLogarithmicError",
              "mean_squared_logarithmic_error",
              "msle",
              "MSLE")
          .add(Huber::new, Huber::fromConfig, "Huber", "huber")
          .add(LogCosh::new, LogCosh::fromConfig, "LogCosh", "log_cosh")
          .add(
              KLDivergence::new,
              KLDivergence::fromConfig,
              "KLDivergence",
              "kl_divergence",
              "kld",
              "KLD")
          .add(Poisson::new, Poisson::fromConfig, "Poisson", "poisson")
          .add(
              CosineSimilarity::new,
              CosineSimilarity::fromConfig,
              "CosineSimilarity",
              "cosine_similarity")
          .add(Hinge::new, Hinge::fromConfig, "Hinge", "hinge")
          .add(SquaredHinge::new, SquaredHinge::fromConfig, "SquaredHinge", "squared_hinge")
          .add(
              CategoricalHinge::new,
              CategoricalHinge::fromConfig,
              "CategoricalHinge",
              "categorical_hinge");

  private Losses() {}

  /** The loss called {@code name}, with Keras's defaults. */
  public static Loss get(String name) {
    return CATALOG.get(name);
  }

  /** The loss of Keras class {@code className} rebuilt from its config. */
  public static Loss fromConfig(String className, Map<String, Object> config) {
    return CATALOG.fromConfig(className, config);
  }
}
