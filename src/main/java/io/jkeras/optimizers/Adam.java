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
 * Adam (Kingma and Ba, 2014) with Keras 3's defaults: learning_rate 0.001, beta_1 0.9, beta_2
 * 0.999, epsilon 1e-7 (tensorflow-framework's default is 1e-8).
 *
 * <p>Per step t: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; w -= lr sqrt(1-b2^t)/(1-b1^t) ·
 * m / (sqrt(v) + eps)} — TensorFlow's ApplyAdam kernel computes exactly Keras's update. Slots per
 * weight: momentum, velocity; with {@code amsgrad} then every weight's velocity_hat, the running
 * maximum of v that replaces it in the step.
 *
 * <pre>{@code
 * model.compile(new Adam(), "binary_crossentropy", "accuracy");
 * Adam slow = new Adam(1e-4, 0.9, 0.999, 1e-7);
 * }</pre>
 */
public class Adam extends Optimizer {

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final boolean amsgrad;

  /** Adam with Keras's defaults (learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7). */
  public Adam() {
    this(0.001);
  }

  /**
   * Adam with the given learning rate and Keras's other defaults.
   *
   * @throws IllegalArgumentException if {@code learningRate} is not positive
   */
  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7);
  }

  /**
   * Adam without AMSGrad.
   *
   * @param beta1 the decay of the first-moment estimate, in [0, 1)
   * @param beta2 the decay of the second-moment estimate, in [0, 1)
   * @param epsilon added to the denominator, positive
   * @throws IllegalArgumentException if an argument is out of range
   */
  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    this(learningRate, beta1, beta2, epsilon, false);
  }

  /** With {@code amsgrad}, the step divides by the largest velocity so far (Reddi et al.). */
  public Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad) {
    super(learningRate);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "Adam: beta_1 and beta_2 must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("Adam: epsilon must be positive, got " + epsilon);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return amsgrad
        ? List.of(List.of("momentum", "velocity"), List.of("velocity_hat"))
        : List.of(List.of("momentum", "velocity"));
  }

  @Override
  protected Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> b1 = tf.constant((float) beta1);
    Operand<TFloat32> b2 = tf.constant((float) beta2);
    if (amsgrad) {
      Operand<TFloat32> one = tf.constant(1f);
      Operand<TFloat32> alpha =
          tf.math.div(
              tf.math.mul(lr, tf.math.sqrt(tf.math.sub(one, tf.math.pow(b2, step)))),
              tf.math.sub(one, tf.math.pow(b1, step)));
      Variable<TFloat32> m = slots.get(0);
      Variable<TFloat32> v = slots.get(1);
      Variable<TFloat32> vHat = slots.get(2);
      Operand<TFloat32> newM =
          tf.assignAdd(m, tf.math.mul(tf.math.sub(grad, m), tf.constant((float) (1 - beta1))));
      Operand<TFloat32> newV =
          tf.assignAdd(
              v,
              tf.math.mul(
                  tf.math.sub(tf.math.mul(grad, grad), v), tf.constant((float) (1 - beta2))));
      Operand<TFloat32> newVHat = tf.assign(vHat, tf.math.maximum(vHat, newV));
      return tf.assignSub(
          var,
          tf.math.div(
              tf.math.mul(newM, alpha),
              tf.math.add(tf.math.sqrt(newVHat), tf.constant((float) epsilon))));
    }
    return tf.train.applyAdam(
        var,
        slots.get(0),
        slots.get(1),
        tf.math.pow(b1, step),
        tf.math.pow(b2, step),
        lr,
        b1,
        b2,
        tf.constant((float) epsilon),
        grad);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    c.put("amsgrad", amsgrad);
    return c;
  }

  /** From a Keras config. */
  public static Adam fromConfig(Map<String, Object> config) {
    String cls = "Adam";
    return withBaseOptions(
        new Adam(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("beta_1", 0.9),
            ConfigReader.of(cls, config).number("beta_2", 0.999),
            ConfigReader.of(cls, config).number("epsilon", 1e-7),
            bool(cls, config, "amsgrad", false)),
        config,
        KEYS);
  }

  static final List<String> KEYS = List.of("beta_1", "beta_2", "epsilon", "amsgrad");
}
