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
 * Keras 3's defaults: those of {@link KernelLayerBuilder} (name, activation: "tanh" here, use_bias,
 * kernel and bias initializers, regularizers and constraints, an activity regularizer for layers
 * only); the recurrent kernel's initializer ("orthogonal"), regularizer and constraint (none);
 * dropout and recurrent_dropout (0), seed (none); and the layer's sequence options:
 * return_sequences, return_state, go_backwards, stateful (false), unroll (false: accepted, jkeras
 * always unrolls) and zero_output_for_mask (false).
 *
 * <pre>{@code
 * LSTM lstm = LSTM.builder(32).returnSequences(true).dropout(0.2).recurrentDropout(0.1).build();
 * LSTMCell cell = LSTM.builder(32).recurrentActivation("hard_sigmoid").buildCell();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RecurrentBuilder<B extends RecurrentBuilder<B>>
    extends KernelLayerBuilder<B> {

  final int units;
  Activation recurrentActivation = Activations.get("sigmoid");
  Initializer recurrentInitializer = Initializers.get("orthogonal");
  Regularizer recurrentRegularizer;
  Constraint recurrentConstraint;
  double dropout;
  double recurrentDropout;
  Long seed;
  boolean returnSequences;
  boolean returnState;
  boolean goBackwards;
  boolean stateful;
  boolean unroll;
  boolean zeroOutputForMask;

  RecurrentBuilder(int units) {
    if (units <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for argument `units`, expected a positive integer, got "
              + units);
    }
    this.units = units;
    this.activation = Activations.get("tanh");
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

  /** A penalty on the recurrent kernel, by Keras name. */
  public B recurrentRegularizer(String regularizer) {
    return recurrentRegularizer(Regularizers.get(regularizer));
  }

  /** A penalty on the recurrent kernel. */
  public B recurrentRegularizer(Regularizer regularizer) {
    this.recurrentRegularizer = regularizer;
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

  /**
   * Whether each batch starts from the previous batch's final states (false by default; needs a
   * known batch size, see {@link RNN}).
   */
  public B stateful(boolean stateful) {
    this.stateful = stateful;
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
