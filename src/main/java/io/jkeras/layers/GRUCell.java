package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One step of a Gated Recurrent Unit, as Keras 3's {@code keras.layers.GRUCell}, gates {@code z, r,
 * h} in that order along the kernels' columns: {@code z = σ(x_z + h · R_z)}, {@code r = σ(x_r + h ·
 * R_r)}, and the candidate {@code ĥ = tanh(x_h + r * (h · R_h + b'_h))} with {@code reset_after}
 * (Keras 3's default, cuDNN's form) or {@code ĥ = tanh(x_h + (r * h) · R_h)} without it; {@code h'
 * = z * h + (1 - z) * ĥ}.
 *
 * <p>Arguments: {@code units}; activation ("tanh"), recurrent_activation ("sigmoid"), use_bias,
 * {@code reset_after} (true), initializers, regularizers, constraints, dropout, recurrent_dropout,
 * seed; see {@link RecurrentBuilder}.
 *
 * <p>Weights: {@code kernel (input_dim, 3 * units)}, {@code recurrent_kernel (units, 3 * units)},
 * {@code bias}: {@code (2, 3 * units)} with reset_after (row 0 for the input, row 1 for the
 * recurrent product), {@code (3 * units,)} without.
 *
 * <pre>{@code
 * RNN rnn = RNN.builder(new GRUCell(8)).build();
 * GRUCell v1 = GRU.builder(8).resetAfter(false).buildCell();
 * }</pre>
 */
public class GRUCell extends RecurrentCell {

  private final boolean resetAfter;

  /** A cell of {@code units} with Keras's defaults. */
  public GRUCell(int units) {
    this(GRU.builder(units));
  }

  GRUCell(GRU.Builder b) {
    this(b, b.name);
  }

  GRUCell(GRU.Builder b, String name) {
    super(b, name);
    this.resetAfter = b.resetAfter;
  }

  /** A GRUCell from its Keras config. */
  public static GRUCell fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("GRUCell", config);
    GRU.Builder b = readCommon(c, GRU.builder(c.positiveInt("units")), true);
    b.resetAfter(c.bool("reset_after", true));
    return c.finish(b.buildCell());
  }

  /** Whether the reset gate applies after the recurrent product. */
  public boolean resetAfter() {
    return resetAfter;
  }

  @Override
  public List<Integer> stateSizes() {
    return List.of(units);
  }

  @Override
  int gates() {
    return 3;
  }

  @Override
  Shape biasShape() {
    return resetAfter ? Shape.of(2, 3L * units) : Shape.of(3L * units);
  }

  /** One mask per gate with recurrent dropout (Keras's implementation 1), else one. */
  @Override
  int dropoutMaskCount() {
    return recurrentDropout != 0 ? 3 : 1;
  }

  @Override
  void putOwnOptions(Map<String, Object> config) {
    // Keras writes reset_after after recurrent_dropout; the order of keys does not matter.
    config.put("reset_after", resetAfter);
  }

  @Override
  Step step(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states, StepDropout dropout) {
    Operand<TFloat32> h = states.get(0);
    Operand<TFloat32> inputBias = null;
    Operand<TFloat32> recurrentBias = null;
    if (useBias) {
      if (resetAfter) {
        List<Operand<TFloat32>> rows = split(tf, bias.value(), 2, 0);
        inputBias = tf.reshape(rows.get(0), tf.constant(new int[] {3 * units}));
        recurrentBias = tf.reshape(rows.get(1), tf.constant(new int[] {3 * units}));
      } else {
        inputBias = bias.value();
      }
    }
    List<Operand<TFloat32>> xs = project(tf, x, dropout.input(), kernel.value(), 3);
    List<Operand<TFloat32>> bx = inputBias == null ? null : split(tf, inputBias, 3, 0);
    List<Operand<TFloat32>> rec = dropout.recurrent();
    // The recurrent inputs of the z, r and h gates (per-gate masks with recurrent dropout).
    Operand<TFloat32>[] hg = gateInputs(tf, h, rec);
    List<Operand<TFloat32>> rk = split(tf, recurrentKernel.value(), 3, 1);
    Operand<TFloat32> hz;
    Operand<TFloat32> hr;
    Operand<TFloat32> hh;
    if (rec != null && rec.size() > 1) {
      hz = tf.linalg.matMul(hg[0], rk.get(0));
      hr = tf.linalg.matMul(hg[1], rk.get(1));
      hh = resetAfter ? tf.linalg.matMul(hg[2], rk.get(2)) : null;
    } else if (resetAfter) {
      List<Operand<TFloat32>> all =
          split(tf, tf.linalg.matMul(hg[0], recurrentKernel.value()), 3, 1);
      hz = all.get(0);
      hr = all.get(1);
      hh = all.get(2);
    } else {
      Operand<TFloat32> zr = tf.concat(List.of(rk.get(0), rk.get(1)), tf.constant(1));
      List<Operand<TFloat32>> two = split(tf, tf.linalg.matMul(hg[0], zr), 2, 1);
      hz = two.get(0);
      hr = two.get(1);
      hh = null;
    }
    List<Operand<TFloat32>> br = recurrentBias == null ? null : split(tf, recurrentBias, 3, 0);
    Operand<TFloat32> xz = add(tf, xs.get(0), bx, 0);
    Operand<TFloat32> xr = add(tf, xs.get(1), bx, 1);
    Operand<TFloat32> xh = add(tf, xs.get(2), bx, 2);
    Operand<TFloat32> z = recurrentActivation.apply(tf, tf.math.add(xz, add(tf, hz, br, 0)));
    Operand<TFloat32> r = recurrentActivation.apply(tf, tf.math.add(xr, add(tf, hr, br, 1)));
    Operand<TFloat32> candidate;
    if (resetAfter) {
      candidate = tf.math.mul(r, add(tf, hh, br, 2));
    } else {
      candidate = tf.linalg.matMul(tf.math.mul(r, hg[2]), rk.get(2));
    }
    Operand<TFloat32> hHat = activation.apply(tf, tf.math.add(xh, candidate));
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> hNew = tf.math.add(tf.math.mul(z, h), tf.math.mul(tf.math.sub(one, z), hHat));
    return new Step(hNew, List.of(hNew));
  }

  /** {@code h} as the z, r and h gates see it: masked per gate, by one mask, or as is. */
  @SuppressWarnings("unchecked")
  private static Operand<TFloat32>[] gateInputs(
      Ops tf, Operand<TFloat32> h, List<Operand<TFloat32>> masks) {
    Operand<TFloat32>[] out = new Operand[3];
    for (int g = 0; g < 3; g++) {
      out[g] = masks == null ? h : tf.math.mul(h, masks.get(masks.size() == 1 ? 0 : g));
    }
    return out;
  }

  private static Operand<TFloat32> add(
      Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> biases, int gate) {
    return biases == null ? x : tf.math.add(x, biases.get(gate));
  }
}
