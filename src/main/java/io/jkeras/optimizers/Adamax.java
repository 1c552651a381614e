package io.jkeras.optimizers;

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
public class Adamax extends AdaptiveMoments {

  /** Keras's defaults. */
  public Adamax() {
    this(0.001, 0.9, 0.999, 1e-7);
  }

  /**
   * Every argument of Keras's Adamax besides the base options.
   *
   * <pre>{@code Optimizer a = new Adamax(0.002, 0.9, 0.999, 1e-7);}</pre>
   */
  public Adamax(double learningRate, double beta1, double beta2, double epsilon) {
    super(learningRate, beta1, beta2, epsilon);
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
    Operand<TFloat32> newM = firstMoment(tf, m, grad);
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

  /**
   * From a Keras config.
   *
   * <pre>{@code Adamax a = Adamax.fromConfig(Map.of("learning_rate", 0.002));}</pre>
   */
  public static Adamax fromConfig(Map<String, Object> config) {
    return fromConfig("Adamax", config, Adamax::new);
  }
}
