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
 * Lion (Chen et al., 2023) as Keras 3: learning_rate 0.001, beta_1 0.9, beta_2 0.99.
 *
 * <p>{@code w -= lr sign(b1 m + (1-b1) g); m = b2 m + (1-b2) g}. One slot per weight: momentum.
 *
 * <pre>{@code
 * model.compile(new Lion(1e-4, 0.9, 0.99), "mse");
 * }</pre>
 */
public class Lion extends Optimizer {

  private final double beta1;
  private final double beta2;

  /** Lion with Keras's defaults (learning rate 0.001, beta_1 0.9, beta_2 0.99). */
  public Lion() {
    this(0.001, 0.9, 0.99);
  }

  /**
   * Lion.
   *
   * @param beta1 the interpolation factor of the update's sign, in (0, 1]
   * @param beta2 the decay of the momentum
   * @throws IllegalArgumentException if {@code learningRate} is not positive or {@code beta1} is
   *     out of range
   */
  public Lion(double learningRate, double beta1, double beta2) {
    super(learningRate);
    if (!(beta1 > 0 && beta1 <= 1)) {
      throw new IllegalArgumentException(
          "Lion: beta_1 must be in (0, 1] (else Lion is SignSGD), got " + beta1);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return List.of(List.of("momentum"));
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
    Operand<TFloat32> mValue = tf.identity(m);
    Operand<TFloat32> direction =
        tf.math.sign(
            tf.math.add(
                tf.math.mul(mValue, tf.constant((float) beta1)),
                tf.math.mul(grad, tf.constant((float) (1 - beta1)))));
    Op stepOp = tf.assignSub(var, tf.math.mul(lr, direction));
    return tf.withControlDependencies(List.of(stepOp))
        .assign(
            m,
            tf.math.add(
                tf.math.mul(mValue, tf.constant((float) beta2)),
                tf.math.mul(grad, tf.constant((float) (1 - beta2)))));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    return c;
  }

  /** From a Keras config. */
  public static Lion fromConfig(Map<String, Object> config) {
    String cls = "Lion";
    return withBaseOptions(
        new Lion(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("beta_1", 0.9),
            ConfigReader.of(cls, config).number("beta_2", 0.99)),
        config,
        List.of("beta_1", "beta_2"));
  }
}
