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
 * Nadam, Adam with Nesterov momentum (Dozat, 2015), as Keras 3: learning_rate 0.001, beta_1 0.9,
 * beta_2 0.999, epsilon 1e-7.
 *
 * <p>With the momentum schedule {@code u_t = b1 (1 - ½ 0.96^t)} and its running product {@code P_t
 * = P_{t-1} u_t} (the scalar variable {@code u_product}, after all slots): {@code m += (g - m)(1 -
 * b1); v += (g² - v)(1 - b2); m̂ = u_{t+1} m / (1 - P_t u_{t+1}) + (1 - u_t) g / (1 - P_t); w -= lr
 * m̂ / (sqrt(v / (1 - b2^t)) + eps)}. Slots per weight: momentum, velocity.
 *
 * <pre>{@code
 * model.compile(new Nadam(), "categorical_crossentropy");
 * }</pre>
 */
public class Nadam extends Optimizer {

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private Operand<TFloat32> uProduct;

  /** Nadam with Keras's defaults (learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7). */
  public Nadam() {
    this(0.001, 0.9, 0.999, 1e-7);
  }

  /**
   * Nadam.
   *
   * @param beta1 the decay of the first-moment estimate
   * @param beta2 the decay of the second-moment estimate
   * @param epsilon added to the denominator for numerical stability
   * @throws IllegalArgumentException if {@code learningRate} is not positive
   */
  public Nadam(double learningRate, double beta1, double beta2, double epsilon) {
    super(learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return List.of(List.of("momentum", "velocity"));
  }

  @Override
  protected Map<String, Float> scalarVariables() {
    return Map.of("u_product", 1f);
  }

  private Operand<TFloat32> u(Ops tf, Operand<TFloat32> step) {
    return tf.math.mul(
        tf.constant((float) beta1),
        tf.math.sub(
            tf.constant(1f),
            tf.math.mul(tf.constant(0.5f), tf.math.pow(tf.constant(0.96f), step))));
  }

  @Override
  protected List<Op> beforeUpdates(
      Ops tf, List<Variable<TFloat32>> scalars, Operand<TFloat32> lr, Operand<TFloat32> step) {
    Variable<TFloat32> p = scalars.get(0);
    // As Keras: u_product * beta_1 * (1 - 0.5 * 0.96^t), multiplied left to right.
    Operand<TFloat32> next =
        tf.assign(
            p,
            tf.math.mul(
                tf.math.mul(p, tf.constant((float) beta1)),
                tf.math.sub(
                    tf.constant(1f),
                    tf.math.mul(tf.constant(0.5f), tf.math.pow(tf.constant(0.96f), step)))));
    uProduct = next;
    return List.of((Op) next);
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
    Operand<TFloat32> ut = u(tf, step);
    Operand<TFloat32> ut1 = u(tf, tf.math.add(step, one));
    Operand<TFloat32> pt = tf.identity(uProduct);
    Operand<TFloat32> pt1 = tf.math.mul(pt, ut1);
    Operand<TFloat32> b2Power = tf.math.pow(tf.constant((float) beta2), step);
    Variable<TFloat32> m = slots.get(0);
    Variable<TFloat32> v = slots.get(1);
    Operand<TFloat32> newM =
        tf.assignAdd(m, tf.math.mul(tf.math.sub(grad, m), tf.constant((float) (1 - beta1))));
    Operand<TFloat32> newV =
        tf.assignAdd(
            v,
            tf.math.mul(tf.math.sub(tf.math.mul(grad, grad), v), tf.constant((float) (1 - beta2))));
    Operand<TFloat32> mHat =
        tf.math.add(
            tf.math.div(tf.math.mul(ut1, newM), tf.math.sub(one, pt1)),
            tf.math.div(tf.math.mul(tf.math.sub(one, ut), grad), tf.math.sub(one, pt)));
    Operand<TFloat32> vHat = tf.math.div(newV, tf.math.sub(one, b2Power));
    return tf.assignSub(
        var,
        tf.math.div(
            tf.math.mul(mHat, lr), tf.math.add(tf.math.sqrt(vHat), tf.constant((float) epsilon))));
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
  public static Nadam fromConfig(Map<String, Object> config) {
    String cls = "Nadam";
    return withBaseOptions(
        new Nadam(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("beta_1", 0.9),
            ConfigReader.of(cls, config).number("beta_2", 0.999),
            ConfigReader.of(cls, config).number("epsilon", 1e-7)),
        config,
        List.of("beta_1", "beta_2", "epsilon"));
  }
}
