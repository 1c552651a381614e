package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import java.util.Map;

/**
 * The optional arguments the normalization layers share, with Keras 3's defaults: {@code epsilon}
 * (1e-3), {@code center} and {@code scale} (true: learn {@code beta} and {@code gamma}), and the
 * initializers ({@code "zeros"}, {@code "ones"}), regularizers and constraints of beta and gamma.
 *
 * <pre>{@code
 * LayerNormalization ln = LayerNormalization.builder().epsilon(1e-6).center(false).build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class NormalizationBuilder<B extends NormalizationBuilder<B>> {

  String name;
  double epsilon = 1e-3;
  boolean center = true;
  boolean scale = true;
  Initializer betaInitializer = Initializers.get("zeros");
  Initializer gammaInitializer = Initializers.get("ones");
  Regularizer betaRegularizer;
  Regularizer gammaRegularizer;
  Constraint betaConstraint;
  Constraint gammaConstraint;

  NormalizationBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The layer's name (default: an automatic unique name). */
  public B name(String name) {
    this.name = name;
    return self();
  }

  /** Added to the variance before the square root (1e-3). */
  public B epsilon(double epsilon) {
    this.epsilon = epsilon;
    return self();
  }

  /** Whether to learn an offset {@code beta} (true). */
  public B center(boolean center) {
    this.center = center;
    return self();
  }

  /** Whether to learn a factor {@code gamma} (true). */
  public B scale(boolean scale) {
    this.scale = scale;
    return self();
  }

  /** The initializer of the offset {@code beta}, by Keras name (default {@code "zeros"}). */
  public B betaInitializer(String initializer) {
    return betaInitializer(Initializers.get(initializer));
  }

  /** The initializer of the offset {@code beta} (default zeros). */
  public B betaInitializer(Initializer initializer) {
    this.betaInitializer = initializer;
    return self();
  }

  /** The initializer of the scale {@code gamma}, by Keras name (default {@code "ones"}). */
  public B gammaInitializer(String initializer) {
    return gammaInitializer(Initializers.get(initializer));
  }

  /** The initializer of the scale {@code gamma} (default ones). */
  public B gammaInitializer(Initializer initializer) {
    this.gammaInitializer = initializer;
    return self();
  }

  /** The regularizer of {@code beta}, by Keras name (default none). */
  public B betaRegularizer(String regularizer) {
    return betaRegularizer(Regularizers.get(regularizer));
  }

  /**
   * The regularizer of {@code beta}, whose penalty is added to the training loss (default none).
   */
  public B betaRegularizer(Regularizer regularizer) {
    this.betaRegularizer = regularizer;
    return self();
  }

  /** The regularizer of {@code gamma}, by Keras name (default none). */
  public B gammaRegularizer(String regularizer) {
    return gammaRegularizer(Regularizers.get(regularizer));
  }

  /**
   * The regularizer of {@code gamma}, whose penalty is added to the training loss (default none).
   */
  public B gammaRegularizer(Regularizer regularizer) {
    this.gammaRegularizer = regularizer;
    return self();
  }

  /** The constraint on {@code beta}, by Keras name (default none). */
  public B betaConstraint(String constraint) {
    return betaConstraint(Constraints.get(constraint));
  }

  /** The constraint on {@code beta}, applied after each optimizer step (default none). */
  public B betaConstraint(Constraint constraint) {
    this.betaConstraint = constraint;
    return self();
  }

  /** The constraint on {@code gamma}, by Keras name (default none). */
  public B gammaConstraint(String constraint) {
    return gammaConstraint(Constraints.get(constraint));
  }

  /** The constraint on {@code gamma}, applied after each optimizer step (default none). */
  public B gammaConstraint(Constraint constraint) {
    this.gammaConstraint = constraint;
    return self();
  }

  /** Reads the shared keys from {@code c} (epsilon's default is {@code defaultEpsilon}). */
  B readShared(ConfigReader c, double defaultEpsilon) {
    epsilon(c.number("epsilon", defaultEpsilon));
    center(c.bool("center", true));
    scale(c.bool("scale", true));
    betaInitializer(c.initializer("beta_initializer", "zeros"));
    gammaInitializer(c.initializer("gamma_initializer", "ones"));
    betaRegularizer(c.regularizer("beta_regularizer"));
    gammaRegularizer(c.regularizer("gamma_regularizer"));
    betaConstraint(c.constraint("beta_constraint"));
    gammaConstraint(c.constraint("gamma_constraint"));
    return self();
  }

  /** The options as built, checked; errors name {@code layer}. */
  Options options(String layer) {
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException(layer + ": epsilon must be positive, got " + epsilon);
    }
    return new Options(
        epsilon,
        center,
        scale,
        betaInitializer,
        gammaInitializer,
        betaRegularizer,
        gammaRegularizer,
        betaConstraint,
        gammaConstraint);
  }

  /** The shared options of one normalization layer. */
  record Options(
      double epsilon,
      boolean center,
      boolean scale,
      Initializer betaInitializer,
      Initializer gammaInitializer,
      Regularizer betaRegularizer,
      Regularizer gammaRegularizer,
      Constraint betaConstraint,
      Constraint gammaConstraint) {

    /** Adds {@code gamma} of {@code shape} to {@code layer} when scaling, else returns null. */
    Weight addGamma(Layer layer, org.tensorflow.ndarray.Shape shape) {
      return scale
          ? layer.addWeight(
              "gamma", shape, gammaInitializer, gammaRegularizer, gammaConstraint, true)
          : null;
    }

    /** Adds {@code beta} of {@code shape} to {@code layer} when centering, else returns null. */
    Weight addBeta(Layer layer, org.tensorflow.ndarray.Shape shape) {
      return center
          ? layer.addWeight("beta", shape, betaInitializer, betaRegularizer, betaConstraint, true)
          : null;
    }

    /** The beta and gamma initializers, in Keras's config order and form. */
    void putInitializers(Map<String, Object> config) {
      config.put("beta_initializer", KerasObjects.serialize("keras.initializers", betaInitializer));
      config.put(
          "gamma_initializer", KerasObjects.serialize("keras.initializers", gammaInitializer));
    }

    /** The beta and gamma regularizers and constraints, in Keras's config order and form. */
    void putRegularizersAndConstraints(Map<String, Object> config) {
      config.put("beta_regularizer", KerasObjects.serialize("keras.regularizers", betaRegularizer));
      config.put(
          "gamma_regularizer", KerasObjects.serialize("keras.regularizers", gammaRegularizer));
      config.put("beta_constraint", KerasObjects.serialize("keras.constraints", betaConstraint));
      config.put("gamma_constraint", KerasObjects.serialize("keras.constraints", gammaConstraint));
    }
  }
}
