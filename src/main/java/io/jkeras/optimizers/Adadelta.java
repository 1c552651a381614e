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
 * Adadelta (Zeiler, 2012) as Keras 3: learning_rate 0.001, rho 0.95, epsilon 1e-7.
 *
 * <p>{@code a = rho a + (1-rho) g²; d = -sqrt(D + eps) g / sqrt(a + eps); D = rho D + (1-rho) d²; w
 * += lr d}. Slots per weight: accumulated_grad, accumulated_delta_var.
 *
 * <pre>{@code
 * model.compile(new Adadelta(1.0, 0.95, 1e-7), "mse");
 * }</pre>
 */
public class Adadelta extends Optimizer {

  private final double rho;
  private final double epsilon;

  /** Adadelta with Keras's defaults (learning rate 0.001, rho 0.95, epsilon 1e-7). */
  public Adadelta() {
    this(0.001, 0.95, 1e-7);
  }

  /**
   * Adadelta.
   *
   * @param rho the decay of the running averages
   * @param epsilon added inside the square roots for numerical stability
   * @throws IllegalArgumentException if {@code learningRate} is not positive
   */
  public Adadelta(double learningRate, double rho, double epsilon) {
    super(learningRate);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return List.of(List.of("accumulated_grad", "accumulated_delta_var"));
  }

  @Override
  protected Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> r = tf.constant((float) rho);
    Operand<TFloat32> oneMinus = tf.constant((float) (1 - rho));
    Operand<TFloat32> eps = tf.constant((float) epsilon);
    Variable<TFloat32> a = slots.get(0);
    Variable<TFloat32> d = slots.get(1);
    Operand<TFloat32> newA =
        tf.assign(
            a, tf.math.add(tf.math.mul(r, a), tf.math.mul(oneMinus, tf.math.mul(grad, grad))));
    Operand<TFloat32> delta =
        tf.math.neg(
            tf.math.div(
                tf.math.mul(tf.math.sqrt(tf.math.add(d, eps)), grad),
                tf.math.sqrt(tf.math.add(newA, eps))));
    Operand<TFloat32> newD =
        tf.assign(
            d, tf.math.add(tf.math.mul(r, d), tf.math.mul(oneMinus, tf.math.mul(delta, delta))));
    return tf.withControlDependencies(List.of((Op) newD)).assignAdd(var, tf.math.mul(lr, delta));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rho", rho);
    c.put("epsilon", epsilon);
    return c;
  }

  /** From a Keras config. */
  public static Adadelta fromConfig(Map<String, Object> config) {
    String cls = "Adadelta";
    return withBaseOptions(
        new Adadelta(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("rho", 0.95),
            ConfigReader.of(cls, config).number("epsilon", 1e-7)),
        config,
        List.of("rho", "epsilon"));
  }
}
