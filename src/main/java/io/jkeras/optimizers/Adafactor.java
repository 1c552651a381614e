package io.jkeras.optimizers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Adafactor (Shazeer and Stern, 2018) as Keras 3: learning_rate 0.001, beta_2_decay -0.8, epsilon_1
 * 1e-30, epsilon_2 1e-3, clip_threshold 1.0, relative_step true. It keeps the second moment of a
 * matrix factored into a row and a column average, so its memory grows with rows plus columns
 * rather than their product.
 *
 * <p>Per step t, with {@code rms(x) = sqrt(mean(x²))}: {@code rho = min(lr, 1/sqrt(t)); alpha =
 * max(epsilon_2, rms(w)) · rho; G = g² + epsilon_1; b = 1 - t^beta_2_decay}. A weight of rank 2 or
 * more factors its last two axes: {@code r = b r + (1-b) mean(G, -1); c = b c + (1-b) mean(G, -2);
 * v = (r / mean(r, -1))[..., None] · c[..., None, :]}; a weight of lower rank keeps {@code v = b v
 * + (1-b) G} whole. Then {@code u = g / sqrt(v); w -= alpha · u / max(1, rms(u) / clip_threshold)}.
 * As in Keras, the learning rate is capped at {@code 1/sqrt(t)} whether {@code relative_step} is
 * set or not (the flag is kept in the config).
 *
 * <p>Variables per weight, interleaved weight by weight as Keras creates them: the row moment
 * (shape {@code w[:-1]}), the column moment ({@code w[:-2] + w[-1:]}) and the velocity (the
 * weight's shape). For a weight of rank below 2 Keras stores two int32 zeros in place of the row
 * and column moments; jkeras keeps them in files the same way.
 *
 * <pre>{@code
 * model.compile(new Adafactor(), "sparse_categorical_crossentropy");
 * Adafactor slow = new Adafactor(1e-4, -0.8, 1e-30, 1e-3, 1.0, true);
 * }</pre>
 */
public class Adafactor extends Optimizer {

  private static final String ROW = "row_moment";
  private static final String COLUMN = "column_moment";

  private final double beta2Decay;
  private final double epsilon1;
  private final double epsilon2;
  private final double clipThreshold;
  private final boolean relativeStep;

  /** Keras's defaults. */
  public Adafactor() {
    this(0.001);
  }

  /**
   * Keras's defaults with this learning rate.
   *
   * <pre>{@code Adafactor a = new Adafactor(0.01);}</pre>
   */
  public Adafactor(double learningRate) {
    this(learningRate, -0.8, 1e-30, 1e-3, 1.0, true);
  }

  /**
   * Every argument of Keras's Adafactor besides the base options.
   *
   * <pre>{@code Adafactor a = new Adafactor(0.01, -0.8, 1e-30, 1e-3, 1.0, true);}</pre>
   *
   * @param beta2Decay the decay rate of beta_2: {@code beta_2 = 1 - t^beta2Decay}
   * @param epsilon1 added to the squared gradients
   * @param epsilon2 the smallest scale of a step, against weights near zero
   * @param clipThreshold the largest RMS of a step before it is scaled down
   * @param relativeStep caps the learning rate at {@code 1/sqrt(t)} (kept in the config; Keras caps
   *     it in either case)
   */
  public Adafactor(
      double learningRate,
      double beta2Decay,
      double epsilon1,
      double epsilon2,
      double clipThreshold,
      boolean relativeStep) {
    super(learningRate);
    if (!(clipThreshold > 0)) {
      throw new IllegalArgumentException(
          "Adafactor: clip_threshold must be positive, got " + clipThreshold);
    }
    this.beta2Decay = beta2Decay;
    this.epsilon1 = epsilon1;
    this.epsilon2 = epsilon2;
    this.clipThreshold = clipThreshold;
    this.relativeStep = relativeStep;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return List.of(List.of(ROW, COLUMN, "velocity"));
  }

  @Override
  protected Shape slotShape(String slot, Shape weight) {
    int rank = weight.numDimensions();
    if (slot.equals(ROW)) {
      return weight.subShape(0, rank - 1);
    }
    if (slot.equals(COLUMN)) {
      return weight.subShape(0, rank - 2).append(weight.size(rank - 1));
    }
    return weight;
  }

  @Override
  protected boolean placeholderSlot(String slot, Shape weight) {
    return !slot.equals("velocity") && weight.numDimensions() < 2;
  }

  @Override
  protected Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> rho = tf.math.minimum(lr, tf.math.div(one, tf.math.sqrt(step)));
    Operand<TFloat32> alpha =
        tf.math.mul(tf.math.maximum(tf.constant((float) epsilon2), rms(tf, tf.identity(var))), rho);
    Operand<TFloat32> g2 = tf.math.add(tf.math.mul(grad, grad), tf.constant((float) epsilon1));
    Operand<TFloat32> b = tf.math.sub(one, tf.math.pow(step, tf.constant((float) beta2Decay)));
    Operand<TFloat32> keep = tf.math.sub(one, b);
    Variable<TFloat32> v = slots.get(2);
    Operand<TFloat32> newV;
    if (var.shape().numDimensions() >= 2) {
      Variable<TFloat32> r = slots.get(0);
      Variable<TFloat32> c = slots.get(1);
      Operand<TFloat32> newR =
          tf.assign(r, tf.math.add(tf.math.mul(b, r), tf.math.mul(keep, mean(tf, g2, -1, false))));
      Operand<TFloat32> newC =
          tf.assign(c, tf.math.add(tf.math.mul(b, c), tf.math.mul(keep, mean(tf, g2, -2, false))));
      Operand<TFloat32> rows =
          tf.expandDims(tf.math.div(newR, mean(tf, newR, -1, true)), tf.constant(-1));
      newV = tf.assign(v, tf.math.mul(rows, tf.expandDims(newC, tf.constant(-2))));
    } else {
      newV = tf.assign(v, tf.math.add(tf.math.mul(b, v), tf.math.mul(keep, g2)));
    }
    Operand<TFloat32> u = tf.math.div(grad, tf.math.sqrt(newV));
    Operand<TFloat32> uHat =
        tf.math.div(
            u, tf.math.maximum(one, tf.math.div(rms(tf, u), tf.constant((float) clipThreshold))));
    return tf.assignSub(var, tf.math.mul(alpha, uHat));
  }

  private static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x, int axis, boolean keepDims) {
    return tf.math.mean(x, tf.constant(axis), Mean.keepDims(keepDims));
  }

  /** sqrt(mean(x²)) over every element. */
  private static Operand<TFloat32> rms(Ops tf, Operand<TFloat32> x) {
    Operand<TInt32> all = tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
    return tf.math.sqrt(tf.math.mean(tf.math.mul(x, x), all));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("beta_2_decay", beta2Decay);
    c.put("epsilon_1", epsilon1);
    c.put("epsilon_2", epsilon2);
    c.put("clip_threshold", clipThreshold);
    c.put("relative_step", relativeStep);
    return c;
  }

  /**
   * From a Keras config.
   *
   * <pre>{@code Adafactor a = Adafactor.fromConfig(Map.of("learning_rate", 0.01));}</pre>
   */
  public static Adafactor fromConfig(Map<String, Object> config) {
    String cls = "Adafactor";
    ConfigReader r = ConfigReader.of(cls, config);
    return withBaseOptions(
        new Adafactor(
            learningRateOf(cls, config, 0.001),
            r.number("beta_2_decay", -0.8),
            r.number("epsilon_1", 1e-30),
            r.number("epsilon_2", 1e-3),
            r.number("clip_threshold", 1.0),
            bool(cls, config, "relative_step", true)),
        config,
        List.of("beta_2_decay", "epsilon_1", "epsilon_2", "clip_threshold", "relative_step"));
  }
}
