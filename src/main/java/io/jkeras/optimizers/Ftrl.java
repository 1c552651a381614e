package io.jkeras.optimizers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * FTRL-Proximal (McMahan et al., 2013) as Keras 3: learning_rate 0.001, learning_rate_power -0.5,
 * initial_accumulator_value 0.1, l1/l2/l2-shrinkage regularization strengths 0, beta 0.
 *
 * <p>With {@code p = -learning_rate_power}: {@code n' = n + g²; z += g + 2 λ₂ₛ w - (n'^p - n^p) /
 * lr · w; w = (clip(z, -λ₁, λ₁) - z) / (n'^p / lr + 2 (λ₂ + beta / (2 lr))); n = n'}. Slots per
 * weight: accumulator (starting at initial_accumulator_value), linear.
 *
 * <p>Embedding tables are updated densely, as Keras does: FTRL has no row-sparse update in jkeras,
 * because one would equal Keras's only under conditions a step cannot check. A row not looked up
 * has {@code g = 0}, so {@code n' = n} and, without l2 shrinkage, {@code z} stays; but Keras still
 * recomputes its value {@code w = (clip(z, -λ₁, λ₁) - z) / (n^p / lr + 2 λ₂ + beta / lr)} from that
 * state. That equals the stored {@code w} only when the row was last written by this formula with
 * the same learning rate: never for a row not yet looked up (its initial value is replaced by
 * {@code (clip(0) - 0) / ... = 0} at the first step), not, for a row with {@code z} outside {@code
 * [-λ₁, λ₁]}, after the learning rate changed (a schedule, or {@code setLearningRate}), and never
 * with {@code l2_shrinkage_regularization_strength > 0} (then {@code z} moves by {@code 2 λ₂ₛ w}
 * too).
 *
 * <pre>{@code
 * model.compile(new Ftrl(0.05, -0.5, 0.1, 0.01, 0.01, 0.0, 0.0), "binary_crossentropy");
 * }</pre>
 */
public class Ftrl extends Optimizer {

  private final double learningRatePower;
  private final double initialAccumulatorValue;
  private final double l1;
  private final double l2;
  private final double l2Shrinkage;
  private final double beta;

  /**
   * FTRL with Keras's defaults (learning rate 0.001, learning-rate power -0.5, initial accumulator
   * 0.1, no regularization, beta 0).
   */
  public Ftrl() {
    this(0.001, -0.5, 0.1, 0.0, 0.0, 0.0, 0.0);
  }

  /**
   * FTRL-Proximal.
   *
   * @param learningRatePower {@code -p} in the per-coordinate rate, at most 0
   * @param initialAccumulatorValue the starting value of each accumulator, non-negative
   * @param l1 the L1 regularization strength, non-negative
   * @param l2 the L2 regularization strength, non-negative
   * @param l2Shrinkage the L2 shrinkage strength on the gradient, non-negative
   * @param beta Keras's {@code beta}, added to the L2 term as {@code beta / (2 lr)}
   * @throws IllegalArgumentException if an argument is out of range
   */
  public Ftrl(
      double learningRate,
      double learningRatePower,
      double initialAccumulatorValue,
      double l1,
      double l2,
      double l2Shrinkage,
      double beta) {
    super(learningRate);
    if (!(initialAccumulatorValue >= 0)) {
      throw new IllegalArgumentException(
          "Ftrl: initial_accumulator_value must be >= 0, got " + initialAccumulatorValue);
    }
    if (!(learningRatePower <= 0)) {
      throw new IllegalArgumentException(
          "Ftrl: learning_rate_power must be <= 0, got " + learningRatePower);
    }
    if (!(l1 >= 0) || !(l2 >= 0) || !(l2Shrinkage >= 0)) {
      throw new IllegalArgumentException(
          "Ftrl: regularization strengths must be >= 0, got l1="
              + l1
              + ", l2="
              + l2
              + ", l2_shrinkage="
              + l2Shrinkage);
    }
    this.learningRatePower = learningRatePower;
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.l1 = l1;
    this.l2 = l2;
    this.l2Shrinkage = l2Shrinkage;
    this.beta = beta;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return List.of(List.of("accumulator", "linear"));
  }

  @Override
  protected float slotInitialValue(String slot) {
    return slot.equals("accumulator") ? (float) initialAccumulatorValue : 0f;
  }

  @Override
  protected Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Variable<TFloat32> accum = slots.get(0);
    Variable<TFloat32> linear = slots.get(1);
    Operand<TFloat32> w = tf.identity(var);
    Operand<TFloat32> n = tf.identity(accum);
    Operand<TFloat32> power = tf.constant((float) -learningRatePower);
    Operand<TFloat32> l2Total =
        tf.math.add(
            tf.constant((float) l2),
            tf.math.div(tf.constant((float) beta), tf.math.mul(tf.constant(2f), lr)));
    Operand<TFloat32> gradToUse =
        tf.math.add(grad, tf.math.mul(tf.constant((float) (2 * l2Shrinkage)), w));
    Operand<TFloat32> newN = tf.math.add(n, tf.math.mul(grad, grad));
    Operand<TFloat32> newLinear =
        tf.assignAdd(
            linear,
            tf.math.sub(
                gradToUse,
                tf.math.mul(
                    tf.math.div(tf.math.sub(tf.math.pow(newN, power), tf.math.pow(n, power)), lr),
                    w)));
    Operand<TFloat32> quadratic =
        tf.math.add(
            tf.math.div(tf.math.pow(newN, power), lr), tf.math.mul(tf.constant(2f), l2Total));
    Operand<TFloat32> clipped =
        tf.clipByValue(newLinear, tf.constant((float) -l1), tf.constant((float) l1));
    Op setVar = tf.assign(var, tf.math.div(tf.math.sub(clipped, newLinear), quadratic));
    return tf.withControlDependencies(List.of(setVar)).assign(accum, newN);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("learning_rate_power", learningRatePower);
    c.put("initial_accumulator_value", initialAccumulatorValue);
    c.put("l1_regularization_strength", l1);
    c.put("l2_regularization_strength", l2);
    c.put("l2_shrinkage_regularization_strength", l2Shrinkage);
    c.put("beta", beta);
    return c;
  }

  /** From a Keras config. */
  public static Ftrl fromConfig(Map<String, Object> config) {
    String cls = "Ftrl";
    return withBaseOptions(
        new Ftrl(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("learning_rate_power", -0.5),
            ConfigReader.of(cls, config).number("initial_accumulator_value", 0.1),
            ConfigReader.of(cls, config).number("l1_regularization_strength", 0.0),
            ConfigReader.of(cls, config).number("l2_regularization_strength", 0.0),
            ConfigReader.of(cls, config).number("l2_shrinkage_regularization_strength", 0.0),
            ConfigReader.of(cls, config).number("beta", 0.0)),
        config,
        List.of(
            "learning_rate_power",
            "initial_accumulator_value",
            "l1_regularization_strength",
            "l2_regularization_strength",
            "l2_shrinkage_regularization_strength",
            "beta"));
  }
}
