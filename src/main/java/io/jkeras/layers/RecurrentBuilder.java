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
 * The optional arguments that Keras's SimpleRNN, LSTM and GRU layers and their cells share, with
 * Keras 3's defaults: activation ("tanh"), use_bias (true), kernel ("glorot_uniform"), recurrent
 * ("orthogonal") and bias ("zeros") initializers, their regularizers and constraints (none), an
 * activity regularizer (layers only), dropout and recurrent_dropout (0), seed (none), and the
 * layer's sequence options: return_sequences, return_state, go_backwards (false), unroll (false:
 * accepted, jkeras always unrolls) and zero_output_for_mask (false).
 *
 * <pre>{@code
 * LSTM lstm = LSTM.builder(32).returnSequences(true).dropout(0.2).recurrentDropout(0.1).build();
 * LSTMCell cell = LSTM.builder(32).recurrentActivation("hard_sigmoid").buildCell();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RecurrentBuilder<B extends RecurrentBuilder<B>> {

  final int units;
  String name;
  Activation activation = Activations.get("tanh");
  Activation recurrentActivation = Activations.get("sigmoid");
  boolean useBias = true;
  Initializer kernelInitializer = Initializers.get("glorot_uniform");
  Initializer recurrentInitializer = Initializers.get("orthogonal");
  Initializer biasInitializer = Initializers.get("zeros");
  Regularizer kernelRegularizer;
  Regularizer recurrentRegularizer;
  Regularizer biasRegularizer;
  Regularizer activityRegularizer;
  Constraint kernelConstraint;
  Constraint recurrentConstraint;
  Constraint biasConstraint;
  double dropout;
  double recurrentDropout;
  Long seed;
  boolean returnSequences;
  boolean returnState;
  boolean goBackwards;
  boolean unroll;
  boolean zeroOutputForMask;

  RecurrentBuilder(int units) {
    if (units <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for argument `units`, expected a positive integer, got "
              + units);
    }
    this.units = units;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The layer's name (the cell's, for {@code buildCell}); automatic when not set. */
  public B name(String name) {
    this.name = name;
    return self();
  }

  /** The output activation, a Keras name ("tanh" by default; null or "linear" for none). */
  public B activation(String activation) {
    return activation(Activations.get(activation));
  }

  /** The output activation. */
  public B activation(Activation activation) {
    this.activation = activation;
    return self();
  }

  /** Whether the cell adds a bias (true by default). */
  public B useBias(boolean useBias) {
    this.useBias = useBias;
    return self();
  }

  /** The input kernel's initializer by Keras name ("glorot_uniform" by default). */
  public B kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.get(initializer));
  }

  /** The input kernel's initializer. */
  public B kernelInitializer(Initializer initializer) {
    this.kernelInitializer = initializer;
    return self();
  }

  /** The recurrent kernel's initializer by Keras name ("orthogonal" by default). */
  public B recurrentInitializer(String initializer) {
    return recurrentInitializer(Initializers.get(initializer));
  }

  /** The recurrent kernel's initializer. */
  public B recurrentInitializer(Initializer initializer) {
    this.recurrentInitializer = initializer;
    return self();
  }

  /** The bias initializer by Keras name ("zeros" by default). */
  public B biasInitializer(String initializer) {
    return biasInitializer(Initializers.get(initializer));
  }

  /** The bias initializer. */
  public B biasInitializer(Initializer initializer) {
    this.biasInitializer = initializer;
    return self();
  }

  /** A penalty on the input kernel, by Keras name ("l2"...). */
  public B kernelRegularizer(String regularizer) {
    return kernelRegularizer(Regularizers.get(regularizer));
  }

  /** A penalty on the input kernel. */
  public B kernelRegularizer(Regularizer regularizer) {
    this.kernelRegularizer = regularizer;
    return self();
  }

  /** A penalty on the recurrent kernel, by Keras name. */
  public B recurrentRegularizer(String regularizer) {
    return recurrentRegularizer(Regularizers.get(regularizer));
  }

  /** A penalty on the recurrent kernel. */
  public B recurrentRegularizer(Regularizer regularizer) {
    this.recurrentRegularizer = regularizer;
    return self();
  }

  /** A penalty on the bias, by Keras name. */
  public B biasRegularizer(String regularizer) {
    return biasRegularizer(Regularizers.get(regularizer));
  }

  /** A penalty on the bias. */
  public B biasRegularizer(Regularizer regularizer) {
    this.biasRegularizer = regularizer;
    return self();
  }

  /** A penalty on the layer's output, by Keras name (layers only, not cells). */
  public B activityRegularizer(String regularizer) {
    return activityRegularizer(Regularizers.get(regularizer));
  }

  /** A penalty on the layer's output (layers only, not cells). */
  public B activityRegularizer(Regularizer regularizer) {
    this.activityRegularizer = regularizer;
    return self();
  }

  /** A constraint on the input kernel, by Keras name ("non_neg"...). */
  public B kernelConstraint(String constraint) {
    return kernelConstraint(Constraints.get(constraint));
  }

  /** A constraint on the input kernel. */
  public B kernelConstraint(Constraint constraint) {
    this.kernelConstraint = constraint;
    return self();
  }

  /** A constraint on the recurrent kernel, by Keras name. */
  public B recurrentConstraint(String constraint) {
    return recurrentConstraint(Constraints.get(constraint));
  }

  /** A constraint on the recurrent kernel. */
  public B recurrentConstraint(Constraint constraint) {
    this.recurrentConstraint = constraint;
    return self();
  }

  /** A constraint on the bias, by Keras name. */
  public B biasConstraint(String constraint) {
    return biasConstraint(Constraints.get(constraint));
  }

  /** A constraint on the bias. */
  public B biasConstraint(Constraint constraint) {
    this.biasConstraint = constraint;
    return self();
  }

  /**
   * The fraction of the inputs dropped in training, one mask per sequence (clipped to [0, 1] as
   * Keras does).
   */
  public B dropout(double rate) {
    this.dropout = Math.min(1.0, Math.max(0.0, rate));
    return self();
  }

  /**
   * The fraction of the recurrent state dropped in training, one mask per sequence (clipped to [0,
   * 1]).
   */
  public B recurrentDropout(double rate) {
    this.recurrentDropout = Math.min(1.0, Math.max(0.0, rate));
    return self();
  }

  /** The seed of the dropout masks (null: drawn from {@link io.jkeras.GlobalSeed}). */
  public B seed(Long seed) {
    this.seed = seed;
    return self();
  }

  /** Whether the layer returns every step's output (true) or the last one (false, default). */
  public B returnSequences(boolean returnSequences) {
    this.returnSequences = returnSequences;
    return self();
  }

  /** Whether the layer also returns its final states, as extra outputs. */
  public B returnState(boolean returnState) {
    this.returnState = returnState;
    return self();
  }

  /** Whether the layer reads the sequence backwards (and returns the reversed sequence). */
  public B goBackwards(boolean goBackwards) {
    this.goBackwards = goBackwards;
    return self();
  }

  /** Keras's {@code unroll}, kept in the config; jkeras always unrolls (see {@link RNN}). */
  public B unroll(boolean unroll) {
    this.unroll = unroll;
    return self();
  }

  /** Whether masked steps output zeros (true) instead of the last unmasked output (false). */
  public B zeroOutputForMask(boolean zeroOutputForMask) {
    this.zeroOutputForMask = zeroOutputForMask;
    return self();
  }
}
