package io.jkeras.losses;

import io.jkeras.config.KerasClass;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mean of squared errors over the last axis, as Keras's {@code mean_squared_error}.
 *
 * <pre>{@code
 * model.compile("sgd", new MeanSquaredError());
 * }</pre>
 */
@KerasClass(aliases = {"mse", "MSE"})
public class MeanSquaredError extends LossFunction {

  /** The loss, named {@code "mean_squared_error"}; it has no arguments. */
  public MeanSquaredError() {
    super("mean_squared_error");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> d = tf.math.sub(yPred, yTrue);
    return LossTerms.meanLastAxis(tf, tf.math.mul(d, d));
  }

  /** From a Keras config. */
  public static MeanSquaredError fromConfig(Map<String, Object> config) {
    return withBase(new MeanSquaredError(), config, List.of());
  }
}
