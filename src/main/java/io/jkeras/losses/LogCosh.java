package io.jkeras.losses;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Logarithm of the hyperbolic cosine of the error, as Keras: {@code mean(x + softplus(-2x) - log
 * 2)} for {@code x = p - y}, over the last axis.
 *
 * <pre>{@code
 * model.compile("adam", new LogCosh(), "mae");
 * }</pre>
 */
public class LogCosh extends LossFunction {

  /** The loss, named {@code "log_cosh"}; it has no arguments. */
  public LogCosh() {
    super("log_cosh");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> x = tf.math.sub(yPred, yTrue);
    Operand<TFloat32> logcosh =
        tf.math.sub(
            tf.math.add(x, tf.math.softplus(tf.math.mul(x, tf.constant(-2f)))),
            tf.constant((float) Math.log(2.0)));
    return LossTerms.meanLastAxis(tf, logcosh);
  }

  /** From a Keras config. */
  public static LogCosh fromConfig(Map<String, Object> config) {
    return withBase(new LogCosh(), config, List.of());
  }
}
