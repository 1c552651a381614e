package io.jkeras.layers;

import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;

/**
 * The optional arguments that Keras layers with a kernel and a bias share (Dense, EinsumDense, the
 * convolutions, and through {@link RecurrentBuilder} SimpleRNN, LSTM, GRU and their cells): name,
 * activation (none; "tanh" for the recurrent layers), use_bias (true), kernel initializer
 * (glorot_uniform), bias initializer (zeros), kernel/bias regularizers and constraints, activity
 * regularizer (none; layers only, not cells).
 *
 * <pre>{@code
 * Dense.builder(10).activation("relu").kernelRegularizer("l2").build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class KernelLayerBuilder<B extends KernelLayerBuilder<B>> {

  String name;
  Activation activation = Activations.get("linear");
  boolean useBias = true;
  Initializer kernelInitializer = Initializers.get("glorot_uniform");
  Initializer biasInitializer = Initializers.get("zeros");
  Regularizer kernelRegularizer;
  Regularizer biasRegularizer;
  Regularizer activityRegularizer;
  Constraint kernelConstraint;
  Constraint biasConstraint;

  KernelLayerBuilder() {}

  @SuppressWarnings("unchecked")
  final B self() {
    return (B) this;
  }

  /**
   * The layer's name (the cell's, for a recurrent builder's {@code buildCell}); default: an
   * automatic unique name such as {@code "dense_1"}.
   */
  public B name(String name) {
    this.name = name;
    return self();
  }

  /**
   * The activation applied to the output, by Keras name such as {@code "relu"} (default: linear, or
   * "tanh" for the recurrent layers; null or "linear" for none).
   */
  public B activation(String activation) {
    this.activation = Activations.get(activation);
    return self();
  }

  /** The activation applied to the output (default: linear, or tanh for the recurrent layers). */
  public B activation(Activation activation) {
    this.activation = activation;
    return self();
  }

  /** Whether the layer adds a bias (default true). */
  public B useBias(boolean useBias) {
    this.useBias = useBias;
    return self();
  }

  /** The kernel's initializer, by Keras name (default {@code "glorot_uniform"}). */
  public B kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.get(initializer));
  }

  /** The kernel's initializer (default Glorot uniform). */
  public B kernelInitializer(Initializer initializer) {
    this.kernelInitializer = initializer;
    return self();
  }

  /** The bias's initializer, by Keras name (default {@code "zeros"}). */
  public B biasInitializer(String initializer) {
    return biasInitializer(Initializers.get(initializer));
  }

  /** The bias's initializer (default zeros). */
  public B biasInitializer(Initializer initializer) {
    this.biasInitializer = initializer;
    return self();
  }

  /** The kernel's regularizer, by Keras name such as {@code "l2"} (default none). */
  public B kernelRegularizer(String regularizer) {
    return kernelRegularizer(Regularizers.get(regularizer));
  }

  /** The kernel's regularizer, whose penalty is added to the training loss (default none). */
  public B kernelRegularizer(Regularizer regularizer) {
    this.kernelRegularizer = regularizer;
    return self();
  }

  /** The bias's regularizer, by Keras name (default none). */
  public B biasRegularizer(String regularizer) {
    return biasRegularizer(Regularizers.get(regularizer));
  }

  /** The bias's regularizer, whose penalty is added to the training loss (default none). */
  public B biasRegularizer(Regularizer regularizer) {
    this.biasRegularizer = regularizer;
    return self();
  }

  /** A regularizer of the layer's output, by Keras name (default none). */
  public B activityRegularizer(String regularizer) {
    return activityRegularizer(Regularizers.get(regularizer));
  }

  /**
   * A regularizer of the layer's output, whose penalty is added to the training loss (default
   * none).
   */
  public B activityRegularizer(Regularizer regularizer) {
    this.activityRegularizer = regularizer;
    return self();
  }

  /** The kernel's constraint, by Keras name such as {@code "max_norm"} (default none). */
  public B kernelConstraint(String constraint) {
    return kernelConstraint(Constraints.get(constraint));
  }

  /** The kernel's constraint, applied after each optimizer step (default none). */
  public B kernelConstraint(Constraint constraint) {
    this.kernelConstraint = constraint;
    return self();
  }

  /** The bias's constraint, by Keras name (default none). */
  public B biasConstraint(String constraint) {
    return biasConstraint(Constraints.get(constraint));
  }

  /** The bias's constraint, applied after each optimizer step (default none). */
  public B biasConstraint(Constraint constraint) {
    this.biasConstraint = constraint;
    return self();
  }
}
