package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * Gated Recurrent Unit, as Keras 3's {@code keras.layers.GRU} (Cho et al., 2014): an {@link RNN}
 * over a {@link GRUCell} named {@code gru_cell}, whose weights are saved under {@code
 * layers/<name>/cell/vars/0..2}. The math, with {@code reset_after} true (Keras 3's default) or
 * false, is in {@link GRUCell}.
 *
 * <p>Arguments (see {@link RecurrentBuilder}): {@code units}; activation ("tanh"),
 * recurrent_activation ("sigmoid"), use_bias, reset_after (true), kernel/recurrent/bias
 * initializers, regularizers and constraints, activity regularizer, dropout, recurrent_dropout,
 * seed; return_sequences, return_state, go_backwards, stateful, unroll, zero_output_for_mask.
 * {@code use_cudnn} is accepted and ignored. Shapes, masks and the static unrolling are described
 * in {@link RNN}.
 *
 * <p>Weights: {@code kernel (features, 3 * units)}, {@code recurrent_kernel (units, 3 * units)},
 * {@code bias (2, 3 * units)} (reset_after) or {@code (3 * units,)}, gates in the order z, r, h.
 *
 * <pre>{@code
 * KerasTensor h = new GRU(32).apply(Input.of(12, 4));
 * GRU v1 = GRU.builder(32).resetAfter(false).returnSequences(true).build();
 * }</pre>
 */
public class GRU extends RNN {

  /** GRU of {@code units} with Keras's defaults. */
  public GRU(int units) {
    this(builder(units));
  }

  GRU(Builder b) {
    super(new GRUCell(b, "gru_cell"), b);
  }

  /** A builder for GRU of {@code units} (positive). */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  /** GRU from its Keras config (Keras 3's keys). */
  public static GRU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("GRU", config);
    Builder b = RecurrentCell.readCommon(c, builder(c.positiveInt("units")), true);
    b.resetAfter(c.bool("reset_after", true));
    readLayerOptions(c, b);
    return c.finish(b.build());
  }

  /** The built-in cell, named {@code gru_cell}. */
  @Override
  public GRUCell cell() {
    return (GRUCell) super.cell();
  }

  /** Keras's keys: the base and sequence options, then the cell's arguments (no {@code cell}). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("cell");
    cell().putOptions(config, true, activityRegularizer());
    return config;
  }

  /** Optional arguments of {@link GRU} and {@link GRUCell}, with Keras 3's defaults. */
  public static final class Builder extends RecurrentBuilder<Builder> {
    boolean resetAfter = true;

    private Builder(int units) {
      super(units);
    }

    /** The activation of the gates ("sigmoid" by default). */
    public Builder recurrentActivation(String activation) {
      this.recurrentActivation = io.jkeras.activations.Activations.get(activation);
      return this;
    }

    /** Whether the reset gate applies after the recurrent product (true by default). */
    public Builder resetAfter(boolean resetAfter) {
      this.resetAfter = resetAfter;
      return this;
    }

    /** The layer. */
    public GRU build() {
      return new GRU(this);
    }

    /** A stand-alone cell with these arguments (the sequence options do not apply). */
    public GRUCell buildCell() {
      return new GRUCell(this);
    }
  }
}
