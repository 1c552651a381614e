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
 * The optional arguments that Keras layers with a kernel and a bias share (Dense, Conv1D): name,
 * activation (none), use_bias (true), kernel initializer (glorot_uniform), bias initializer
 * (zeros), kernel/bias regularizers and constraints, activity regularizer (none).
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
  private B self() {
    return (B) this;
  }

  public B name(String name) {
    this.name = name;
    return self();
  }

  public B activation(String activation) {
    this.activation = Activations.get(activation);
    return self();
  }

  public B activation(Activation activation) {
    this.activation = activation;
    return self();
  }

  public B useBias(boolean useBias) {
    this.useBias = useBias;
    return self();
  }

  public B kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.get(initializer));
  }

  public B kernelInitializer(Initializer initializer) {
    this.kernelInitializer = initializer;
    return self();
  }

  public B biasInitializer(String initializer) {
    return biasInitializer(Initializers.get(initializer));
  }

  public B biasInitializer(Initializer initializer) {
    this.biasInitializer = initializer;
    return self();
  }

  public B kernelRegularizer(String regularizer) {
    return kernelRegularizer(Regularizers.get(regularizer));
  }

  public B kernelRegularizer(Regularizer regularizer) {
    this.kernelRegularizer = regularizer;
    return self();
  }

  public B biasRegularizer(String regularizer) {
    return biasRegularizer(Regularizers.get(regularizer));
  }

  public B biasRegularizer(Regularizer regularizer) {
    this.biasRegularizer = regularizer;
    return self();
  }

  public B activityRegularizer(String regularizer) {
    return activityRegularizer(Regularizers.get(regularizer));
  }

  public B activityRegularizer(Regularizer regularizer) {
    this.activityRegularizer = regularizer;
    return self();
  }

  public B kernelConstraint(String constraint) {
    return kernelConstraint(Constraints.get(constraint));
  }

  public B kernelConstraint(Constraint constraint) {
    this.kernelConstraint = constraint;
    return self();
  }

  public B biasConstraint(String constraint) {
    return biasConstraint(Constraints.get(constraint));
  }

  public B biasConstraint(Constraint constraint) {
    this.biasConstraint = constraint;
    return self();
  }
}
