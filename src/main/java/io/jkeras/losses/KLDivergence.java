package io.jkeras.losses;

import io.jkeras.config.KerasClass;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Kullback-Leibler divergence as Keras: {@code sum(y log(y / p))} over the last axis, y and p
 * clipped to [1e-7, 1].
 *
 * <pre>{@code
 * model.compile("adam", new KLDivergence(), "mae");
 * }</pre>
 */
@KerasClass(aliases = {"kld", "KLD"})
public class KLDivergence extends LossFunction {

  /** The loss, named {@code "kl_divergence"}; it has no arguments. */
  public KLDivergence() {
    super("kl_divergence");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> eps = tf.constant(LossTerms.EPSILON);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> y = tf.clipByValue(yTrue, eps, one);
    Operand<TFloat32> p = tf.clipByValue(yPred, eps, one);
    return tf.reduceSum(tf.math.mul(y, tf.math.log(tf.math.div(y, p))), tf.constant(-1));
  }

  /** From a Keras config. */
  public static KLDivergence fromConfig(Map<String, Object> config) {
    return withBase(new KLDivergence(), config, List.of());
  }
}
