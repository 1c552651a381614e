package io.jkeras.losses;

import io.jkeras.config.KerasClass;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mean absolute percentage error as Keras: {@code 100 · mean(|y - p| / max(|y|, 1e-7))} over the
 * last axis.
 *
 * <pre>{@code
 * model.compile("adam", new MeanAbsolutePercentageError(), "mae");
 * }</pre>
 */
@KerasClass(aliases = {"mape", "MAPE"})
public class MeanAbsolutePercentageError extends LossFunction {

  /** The loss, named {@code "mean_absolute_percentage_error"}; it has no arguments. */
  public MeanAbsolutePercentageError() {
    super("mean_absolute_percentage_error");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> diff =
        tf.math.abs(
            tf.math.div(
                tf.math.sub(yTrue, yPred),
                tf.math.maximum(tf.math.abs(yTrue), tf.constant(LossTerms.EPSILON))));
    return tf.math.mul(tf.constant(100f), LossTerms.meanLastAxis(tf, diff));
  }

  /** From a Keras config. */
  public static MeanAbsolutePercentageError fromConfig(Map<String, Object> config) {
    return withBase(new MeanAbsolutePercentageError(), config, List.of());
  }
}
