package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * Long Short-Term Memory, as Keras 3's {@code keras.layers.LSTM} (Hochreiter and Schmidhuber,
 * 1997): an {@link RNN} over an {@link LSTMCell} named {@code lstm_cell}, whose weights are saved
 * under {@code layers/<name>/cell/vars/0..2}. The math is in {@link LSTMCell}.
 *
 * <p>Arguments (see {@link RecurrentBuilder}): {@code units}; activation ("tanh"),
 * recurrent_activation ("sigmoid"), use_bias, unit_forget_bias (true), kernel/recurrent/bias
 * initializers, regularizers and constraints, activity regularizer, dropout, recurrent_dropout,
 * seed; return_sequences, return_state (outputs {@code [output, h, c]}), go_backwards, stateful,
 * unroll, zero_output_for_mask. {@code use_cudnn} is accepted and ignored (no cuDNN kernel is used;
 * the results are the same). Shapes, masks and the static unrolling are described in {@link RNN}.
 *
 * <p>Weights: {@code kernel (features, 4 * units)}, {@code recurrent_kernel (units, 4 * units)},
 * {@code bias (4 * units,)}, gates in the order i, f, c, o.
 *
 * <pre>{@code
 * KerasTensor ids = Input.of("int32", 40);
 * KerasTensor e = Embedding.builder(10000, 32).maskZero(true).build().apply(ids);
 * KerasTensor h = new LSTM(64).apply(e);
 * LSTM seq = LSTM.builder(64).returnSequences(true).dropout(0.2).build();
 * }</pre>
 */
public class LSTM extends RNN {

  /** LSTM of {@code units} with Keras's defaults. */
  public LSTM(int units) {
    this(builder(units));
  }

  LSTM(Builder b) {
    super(new LSTMCell(b, "lstm_cell"), b);
  }

  /** A builder for LSTM of {@code units} (positive). */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  /** LSTM from its Keras config (Keras 3's keys). */
  public static LSTM fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("LSTM", config);
    Builder b = RecurrentCell.readCommon(c, builder(c.positiveInt("units")), true);
    b.unitForgetBias(c.bool("unit_forget_bias", true));
    readLayerOptions(c, b);
    return c.finish(b.build());
  }

  /** The built-in cell, named {@code lstm_cell}. */
  @Override
  public LSTMCell cell() {
    return (LSTMCell) super.cell();
  }

  /** Keras's keys: the base and sequence options, then the cell's arguments (no {@code cell}). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("cell");
    cell().putOptions(config, true, activityRegularizer());
    return config;
  }

  /** Optional arguments of {@link LSTM} and {@link LSTMCell}, with Keras 3's defaults. */
  public static final class Builder extends RecurrentBuilder<Builder> {
    boolean unitForgetBias = true;

    private Builder(int units) {
      super(units);
    }

    /** The activation of the gates ("sigmoid" by default). */
    public Builder recurrentActivation(String activation) {
      this.recurrentActivation = io.jkeras.activations.Activations.get(activation);
      return this;
    }

    /** Whether the forget gate's bias starts at 1 (true by default). */
    public Builder unitForgetBias(boolean unitForgetBias) {
      this.unitForgetBias = unitForgetBias;
      return this;
    }

    /** The layer. */
    public LSTM build() {
      return new LSTM(this);
    }

    /** A stand-alone cell with these arguments (the sequence options do not apply). */
    public LSTMCell buildCell() {
      return new LSTMCell(this);
    }
  }
}
