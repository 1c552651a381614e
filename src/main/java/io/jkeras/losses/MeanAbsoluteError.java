package io.jkeras.losses;

import io.jkeras.config.KerasClass;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mean of absolute errors over the last axis, as Keras's {@code mean_absolute_error}.
 *
 * <pre>{@code
 * model.compile("adam", new MeanAbsoluteError());
 * }</pre>
 */
@KerasClass(aliases = {"mae", "MAE"})
public class MeanAbsoluteError extends LossFunction {

  /** The loss, named {@code "mean_absolute_error"}; it has no arguments. */
  public MeanAbsoluteError() {
    super("mean_absolute_error");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return LossTerms.meanLastAxis(tf, tf.math.abs(tf.math.sub(yPred, yTrue)));
  }

  /** From a Keras config. */
  public static MeanAbsoluteError fromConfig(Map<String, Object> config) {
    return withBase(new MeanAbsoluteError(), config, List.of());
  }
}
