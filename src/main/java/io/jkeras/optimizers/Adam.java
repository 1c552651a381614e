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
 * weight: momentum, velocity.
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

  public Adam() {
    this(0.001);
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7);
  }

  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
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
  }

  @Override
  protected List<List<String>> slotGroups() {
    return List.of(List.of("momentum", "velocity"));
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

  /**
   * An Adam from its Keras config, as Python Keras 3 writes it; options jkeras lacks are accepted
   * only at their off values.
   *
   * <pre>{@code Adam o = Adam.fromConfig(Map.of("learning_rate", 0.01));}</pre>
   */
  public static Adam fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Adam", config);
    double rate = readBaseConfig(c, 0.001);
    c.requireDefault("amsgrad", false, "AMSGrad");
    Adam optimizer =
        new Adam(
            rate, c.number("beta_1", 0.9), c.number("beta_2", 0.999), c.number("epsilon", 1e-7));
    c.rejectUnknownKeys();
    return optimizer;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    c.put("amsgrad", false);
    return c;
  }
}
