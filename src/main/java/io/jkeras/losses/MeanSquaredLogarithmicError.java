package io.jkeras.losses;

import io.jkeras.config.KerasClass;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mean squared logarithmic error as Keras: {@code mean((log(max(p, 1e-7) + 1) - log(max(y, 1e-7) +
 * 1))²)} over the last axis.
 *
 * <pre>{@code
 * model.compile("adam", new MeanSquaredLogarithmicError(), "mae");
 * }</pre>
 */
@KerasClass(aliases = {"msle", "MSLE"})
public class MeanSquaredLogarithmicError extends LossFunction {

  /** The loss, named {@code "mean_squared_logarithmic_error"}; it has no arguments. */
  public MeanSquaredLogarithmicError() {
    super("mean_squared_logarithmic_error");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> eps = tf.constant(LossTerms.EPSILON);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> d =
        tf.math.sub(
            tf.math.log(tf.math.add(tf.math.maximum(yPred, eps), one)),
            tf.math.log(tf.math.add(tf.math.maximum(yTrue, eps), one)));
    return LossTerms.meanLastAxis(tf, tf.math.mul(d, d));
  }

  /** From a Keras config. */
  public static MeanSquaredLogarithmicError fromConfig(Map<String, Object> config) {
    return withBase(new MeanSquaredLogarithmicError(), config, List.of());
  }
}
