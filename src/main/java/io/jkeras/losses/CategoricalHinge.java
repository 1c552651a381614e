package io.jkeras.losses;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Categorical hinge loss as Keras: {@code max(max((1 - y) p) - sum(y p) + 1, 0)} over the last
 * axis, for one-hot labels.
 *
 * <pre>{@code
 * model.compile("adam", new CategoricalHinge(), "mae");
 * }</pre>
 */
public class CategoricalHinge extends LossFunction {

  /** The loss, named {@code "categorical_hinge"}; it has no arguments. */
  public CategoricalHinge() {
    super("categorical_hinge");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> pos = tf.reduceSum(tf.math.mul(yTrue, yPred), tf.constant(-1));
    Operand<TFloat32> neg =
        tf.reduceMax(tf.math.mul(tf.math.sub(tf.constant(1f), yTrue), yPred), tf.constant(-1));
    return tf.math.maximum(tf.math.add(tf.math.sub(neg, pos), tf.constant(1f)), tf.constant(0f));
  }

  /** From a Keras config. */
  public static CategoricalHinge fromConfig(Map<String, Object> config) {
    return withBase(new CategoricalHinge(), config, List.of());
  }
}
