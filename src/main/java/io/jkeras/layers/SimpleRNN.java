package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * A fully-connected RNN whose output is fed back as its input, as Keras 3's {@code
 * keras.layers.SimpleRNN}: an {@link RNN} over a {@link SimpleRNNCell} named {@code
 * simple_rnn_cell}, whose weights are saved under {@code layers/<name>/cell/vars}.
 *
 * <p>Arguments (see {@link RecurrentBuilder}): {@code units}; activation ("tanh"), use_bias,
 * kernel/recurrent/bias initializers, regularizers and constraints, activity regularizer, dropout,
 * recurrent_dropout, seed; return_sequences, return_state, go_backwards, stateful, unroll,
 * zero_output_for_mask. Shapes, masks and the static unrolling are described in {@link RNN}.
 *
 * <p>Weights: {@code kernel (features, units)}, {@code recurrent_kernel (units, units)}, {@code
 * bias (units,)}.
 *
 * <pre>{@code
 * KerasTensor h = new SimpleRNN(16).apply(Input.of(10, 8));
 * SimpleRNN seq = SimpleRNN.builder(16).returnSequences(true).activation("relu").build();
 * }</pre>
 */
public class SimpleRNN extends RNN {

  /** SimpleRNN of {@code units} with Keras's defaults. */
  public SimpleRNN(int units) {
    this(builder(units));
  }

  SimpleRNN(Builder b) {
    super(new SimpleRNNCell(b, "simple_rnn_cell"), b);
  }

  /** A builder for SimpleRNN of {@code units} (positive). */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  /** SimpleRNN from its Keras config (Keras 3's keys). */
  public static SimpleRNN fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SimpleRNN", config);
    Builder b = RecurrentCell.readCommon(c, builder(c.positiveInt("units")), false);
    readLayerOptions(c, b);
    return c.finish(b.build());
  }

  /** The built-in cell, named {@code simple_rnn_cell}. */
  @Override
  public SimpleRNNCell cell() {
    return (SimpleRNNCell) super.cell();
  }

  /** Keras's keys: the base and sequence options, then the cell's arguments (no {@code cell}). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("cell");
    cell().putOptions(config, true, activityRegularizer());
    // Keras's SimpleRNN does not write its seed.
    config.remove("seed");
    return config;
  }

  /** Optional arguments of {@link SimpleRNN} and {@link SimpleRNNCell}, with Keras 3's defaults. */
  public static final class Builder extends RecurrentBuilder<Builder> {

    private Builder(int units) {
      super(units);
    }

    /** The layer. */
    public SimpleRNN build() {
      return new SimpleRNN(this);
    }

    /** A stand-alone cell with these arguments (the sequence options do not apply). */
    public SimpleRNNCell buildCell() {
      return new SimpleRNNCell(this);
    }
  }
}
