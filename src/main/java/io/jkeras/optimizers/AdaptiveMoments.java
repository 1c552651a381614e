package io.jkeras.optimizers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * What Adam, Adamax and Nadam share: the arguments {@code beta_1}, {@code beta_2} and {@code
 * epsilon} (in their configs in that order, after the base options) and Keras's moving averages of
 * the gradient ({@code m += (g - m)(1 - beta_1)}) and of its square ({@code v += (g² - v)(1 -
 * beta_2)}).
 */
abstract class AdaptiveMoments extends Optimizer {

  /** The config keys of this family, after the base ones. */
  static final List<String> KEYS = List.of("beta_1", "beta_2", "epsilon");

  /** A subclass's constructor of the learning rate and the three arguments. */
  interface Factory<O extends AdaptiveMoments> {
    O make(double learningRate, double beta1, double beta2, double epsilon);
  }

  final double beta1;
  final double beta2;
  final double epsilon;

  AdaptiveMoments(double learningRate, double beta1, double beta2, double epsilon) {
    super(learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  /** Updates the first moment {@code m} with {@code grad} and returns its new value. */
  Operand<TFloat32> firstMoment(Ops tf, Variable<TFloat32> m, Operand<TFloat32> grad) {
    return tf.assignAdd(m, tf.math.mul(tf.math.sub(grad, m), tf.constant((float) (1 - beta1))));
  }

  /** Updates the second moment {@code v} with {@code grad²} and returns its new value. */
  Operand<TFloat32> secondMoment(Ops tf, Variable<TFloat32> v, Operand<TFloat32> grad) {
    return tf.assignAdd(
        v, tf.math.mul(tf.math.sub(tf.math.mul(grad, grad), v), tf.constant((float) (1 - beta2))));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    return c;
  }

  /** The optimizer of class {@code cls} made by {@code factory} from a Keras config. */
  static <O extends AdaptiveMoments> O fromConfig(
      String cls, Map<String, Object> config, Factory<O> factory) {
    ConfigReader r = ConfigReader.of(cls, config);
    return withBaseOptions(
        factory.make(
            learningRateOf(cls, config, 0.001),
            r.number("beta_1", 0.9),
            r.number("beta_2", 0.999),
            r.number("epsilon", 1e-7)),
        config,
        KEYS);
  }
}
