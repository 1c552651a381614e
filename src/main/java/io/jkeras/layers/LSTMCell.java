package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One step of a Long Short-Term Memory layer, as Keras 3's {@code keras.layers.LSTMCell}. With the
 * gates {@code i, f, c, o} in that order along the kernels' columns: {@code z = x · kernel + h ·
 * recurrent_kernel + bias}; {@code i = σ(z_i)}, {@code f = σ(z_f)}, {@code c' = f * c + i *
 * tanh(z_c)}, {@code o = σ(z_o)}, {@code h' = o * tanh(c')} (σ is recurrent_activation, tanh is
 * activation). States: {@code [h, c]}; output {@code h'}.
 *
 * <p>Arguments: {@code units}; activation ("tanh"), recurrent_activation ("sigmoid"), use_bias,
 * {@code unit_forget_bias} (true: the forget gate's bias starts at 1 and the others from the bias
 * initializer), initializers, regularizers, constraints, dropout, recurrent_dropout, seed; see
 * {@link RecurrentBuilder}.
 *
 * <p>Weights: {@code kernel (input_dim, 4 * units)}, {@code recurrent_kernel (units, 4 * units)},
 * {@code bias (4 * units,)}.
 *
 * <pre>{@code
 * RNN rnn = RNN.builder(new LSTMCell(8)).build();
 * LSTMCell cell = LSTM.builder(8).unitForgetBias(false).buildCell();
 * }</pre>
 */
public class LSTMCell extends RecurrentCell {

  private final boolean unitForgetBias;

  /** A cell of {@code units} with Keras's defaults. */
  public LSTMCell(int units) {
    this(LSTM.builder(units));
  }

  LSTMCell(LSTM.Builder b) {
    this(b, b.name);
  }

  LSTMCell(LSTM.Builder b, String name) {
    super(b, name);
    this.unitForgetBias = b.unitForgetBias;
  }

  /** An LSTMCell from its Keras config. */
  public static LSTMCell fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("LSTMCell", config);
    LSTM.Builder b = readCommon(c, LSTM.builder(c.positiveInt("units")), true);
    b.unitForgetBias(c.bool("unit_forget_bias", true));
    return c.finish(b.buildCell());
  }

  /** Whether the forget gate's bias starts at 1. */
  public boolean unitForgetBias() {
    return unitForgetBias;
  }

  @Override
  public List<Integer> stateSizes() {
    return List.of(units, units);
  }

  @Override
  int gates() {
    return 4;
  }

  /** One mask per gate with recurrent dropout (Keras's implementation 1), else one. */
  @Override
  int dropoutMaskCount() {
    return recurrentDropout != 0 ? 4 : 1;
  }

  @Override
  void putOwnOptions(Map<String, Object> config) {
    config.put("unit_forget_bias", unitForgetBias);
  }

  @Override
  Initializer buildBiasInitializer() {
    return unitForgetBias ? new ForgetBiasOne(biasInitializer, units) : biasInitializer;
  }

  @Override
  Step step(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states, StepDropout dropout) {
    Operand<TFloat32> h = states.get(0);
    Operand<TFloat32> c = states.get(1);
    List<Operand<TFloat32>> xs = project(tf, x, dropout.input(), kernel.value(), 4);
    List<Operand<TFloat32>> hs = project(tf, h, dropout.recurrent(), recurrentKernel.value(), 4);
    List<Operand<TFloat32>> bs = useBias ? split(tf, bias.value(), 4, 0) : null;
    Operand<TFloat32>[] z = gateSums(tf, xs, hs, bs);
    Operand<TFloat32> i = recurrentActivation.apply(tf, z[0]);
    Operand<TFloat32> f = recurrentActivation.apply(tf, z[1]);
    Operand<TFloat32> cNew =
        tf.math.add(tf.math.mul(f, c), tf.math.mul(i, activation.apply(tf, z[2])));
    Operand<TFloat32> o = recurrentActivation.apply(tf, z[3]);
    Operand<TFloat32> hNew = tf.math.mul(o, activation.apply(tf, cNew));
    return new Step(hNew, List.of(hNew, cNew));
  }

  /** {@code x_g + h_g + b_g} per gate, added in Keras's order. */
  @SuppressWarnings("unchecked")
  private static Operand<TFloat32>[] gateSums(
      Ops tf, List<Operand<TFloat32>> xs, List<Operand<TFloat32>> hs, List<Operand<TFloat32>> bs) {
    Operand<TFloat32>[] z = new Operand[xs.size()];
    for (int g = 0; g < z.length; g++) {
      z[g] = tf.math.add(xs.get(g), hs.get(g));
      if (bs != null) {
        z[g] = tf.math.add(z[g], bs.get(g));
      }
    }
    return z;
  }

  /**
   * unit_forget_bias's initializer: the bias initializer for the input gate, ones for the forget
   * gate, the bias initializer for the other two (Keras draws them as two calls).
   */
  private static final class ForgetBiasOne implements Initializer {
    private final Initializer base;
    private final int units;

    ForgetBiasOne(Initializer base, int units) {
      this.base = base;
      this.units = units;
    }

    @Override
    public float[] generate(long[] shape, RandomGenerator random) {
      float[] out = new float[4 * units];
      System.arraycopy(base.generate(new long[] {units}, random), 0, out, 0, units);
      System.arraycopy(
          Initializers.get("ones").generate(new long[] {units}, random), 0, out, units, units);
      System.arraycopy(
          base.generate(new long[] {2L * units}, random), 0, out, 2 * units, 2 * units);
      return out;
    }

    @Override
    public String className() {
      return base.className();
    }

    @Override
    public Map<String, Object> getConfig() {
      return base.getConfig();
    }
  }
}
