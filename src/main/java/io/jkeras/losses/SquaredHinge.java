package io.jkeras.losses;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Squared hinge loss as Keras: {@code mean(max(1 - y p, 0)²)} over the last axis; labels all 0 or 1
 * are first mapped to -1 or 1.
 *
 * <pre>{@code
 * model.compile("adam", new SquaredHinge(), "mae");
 * }</pre>
 */
public class SquaredHinge extends LossFunction {

  /** The loss, named {@code "squared_hinge"}; it has no arguments. */
  public SquaredHinge() {
    super("squared_hinge");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> y = LossTerms.hingeLabels(tf, yTrue);
    Operand<TFloat32> h =
        tf.math.maximum(tf.math.sub(tf.constant(1f), tf.math.mul(y, yPred)), tf.constant(0f));
    return LossTerms.meanLastAxis(tf, tf.math.mul(h, h));
  }

  /** From a Keras config. */
  public static SquaredHinge fromConfig(Map<String, Object> config) {
    return withBase(new SquaredHinge(), config, List.of());
  }
}
