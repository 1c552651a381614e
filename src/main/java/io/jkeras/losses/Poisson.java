package io.jkeras.losses;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Poisson loss as Keras: {@code mean(p - y log(p + 1e-7))} over the last axis.
 *
 * <pre>{@code
 * model.compile("adam", new Poisson(), "mae");
 * }</pre>
 */
public class Poisson extends LossFunction {

  /** The loss, named {@code "poisson"}; it has no arguments. */
  public Poisson() {
    super("poisson");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return LossTerms.meanLastAxis(
        tf,
        tf.math.sub(
            yPred,
            tf.math.mul(yTrue, tf.math.log(tf.math.add(yPred, tf.constant(LossTerms.EPSILON))))));
  }

  /** From a Keras config. */
  public static Poisson fromConfig(Map<String, Object> config) {
    return withBase(new Poisson(), config, List.of());
  }
}
