package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One step of a fully-connected RNN, as Keras 3's {@code keras.layers.SimpleRNNCell}: {@code output
 * = activation(x · kernel + bias + h · recurrent_kernel)}, and the output is the new state.
 *
 * <p>Arguments: {@code units}; activation ("tanh"), use_bias, the kernel, recurrent and bias
 * initializers ("glorot_uniform", "orthogonal", "zeros"), regularizers and constraints, dropout and
 * recurrent_dropout (one mask each per sequence, training only), seed; see {@link
 * RecurrentBuilder}.
 *
 * <p>Weights: {@code kernel (input_dim, units)}, {@code recurrent_kernel (units, units)}, {@code
 * bias (units,)}.
 *
 * <pre>{@code
 * RNN rnn = RNN.builder(new SimpleRNNCell(8)).build();
 * SimpleRNNCell cell = SimpleRNN.builder(8).activation("relu").buildCell();
 * }</pre>
 */
public class SimpleRNNCell extends RecurrentCell {

  /** A cell of {@code units} with Keras's defaults. */
  public SimpleRNNCell(int units) {
    this(SimpleRNN.builder(units));
  }

  SimpleRNNCell(SimpleRNN.Builder b) {
    this(b, b.name);
  }

  SimpleRNNCell(SimpleRNN.Builder b, String name) {
    super(b, name);
  }

  /** A SimpleRNNCell from its Keras config. */
  public static SimpleRNNCell fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SimpleRNNCell", config);
    SimpleRNN.Builder b = readCommon(c, SimpleRNN.builder(c.positiveInt("units")), false);
    return c.finish(b.buildCell());
  }

  @Override
  public List<Integer> stateSizes() {
    return List.of(units);
  }

  @Override
  int gates() {
    return 1;
  }

  /** Keras's SimpleRNNCell drops with any positive rate (1 drops everything). */
  @Override
  boolean applies(double rate) {
    return rate > 0;
  }

  @Override
  boolean hasRecurrentActivation() {
    return false;
  }

  @Override
  Step step(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states, StepDropout dropout) {
    Operand<TFloat32> h = states.get(0);
    Operand<TFloat32> in = dropout.input() == null ? x : tf.math.mul(x, dropout.input().get(0));
    Operand<TFloat32> y = tf.linalg.matMul(in, kernel.value());
    if (useBias) {
      y = tf.math.add(y, bias.value());
    }
    Operand<TFloat32> prev =
        dropout.recurrent() == null ? h : tf.math.mul(h, dropout.recurrent().get(0));
    Operand<TFloat32> out =
        activation.apply(tf, tf.math.add(y, tf.linalg.matMul(prev, recurrentKernel.value())));
    return new Step(out, List.of(out));
  }
}
