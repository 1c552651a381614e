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
 * Adamax, Adam with the infinity norm (Kingma and Ba, 2014), as Keras 3: learning_rate 0.001,
 * beta_1 0.9, beta_2 0.999, epsilon 1e-7.
 *
 * <p>{@code m += (g - m)(1 - b1); u = max(b2 u, |g|); w -= lr m / ((1 - b1^t)(u + eps))}. Slots per
 * weight: momentum, norm.
 *
 * <pre>{@code
 * model.compile(new Adamax(0.002), "mse");
 * }</pre>
 */
public class Adamax extends Optimizer {

  private final double beta1;
  private final double beta2;
  private final double epsilon;

  /** Adamax with Keras's defaults (learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7). */
  public Adamax() {
    this(0.001, 0.9, 0.999, 1e-7);
  }

  /**
   * Adamax.
   *
   * @param beta1 the decay of the first-moment estimate
   * @param beta2 the decay of the infinity-norm estimate
   * @param epsilon added to the norm for numerical stability
   * @throws IllegalArgumentException if {@code learningRate} is not positive
   */
  public Adamax(double learningRate, double beta1, double beta2, double epsilon) {
    super(learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return List.of(List.of("momentum", "norm"));
  }

  @Override
  protected Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Variable<TFloat32> m = slots.get(0);
    Variable<TFloat32> u = slots.get(1);
    Operand<TFloat32> newM =
        tf.assignAdd(m, tf.math.mul(tf.math.sub(grad, m), tf.constant((float) (1 - beta1))));
    Operand<TFloat32> newU =
        tf.assign(
            u, tf.math.maximum(tf.math.mul(tf.constant((float) beta2), u), tf.math.abs(grad)));
    Operand<TFloat32> b1Power = tf.math.pow(tf.constant((float) beta1), step);
    return tf.assignSub(
        var,
        tf.math.div(
            tf.math.mul(lr, newM),
            tf.math.mul(
                tf.math.sub(tf.constant(1f), b1Power),
                tf.math.add(newU, tf.constant((float) epsilon)))));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    return c;
  }

  /** From a Keras config. */
  public static Adamax fromConfig(Map<String, Object> config) {
    String cls = "Adamax";
    return withBaseOptions(
        new Adamax(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("beta_1", 0.9),
            ConfigReader.of(cls, config).number("beta_2", 0.999),
            ConfigReader.of(cls, config).number("epsilon", 1e-7)),
        config,
        List.of("beta_1", "beta_2", "epsilon"));
  }
}
