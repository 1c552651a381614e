package io.jkeras.losses;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Hinge loss as Keras: {@code mean(max(1 - y p, 0))} over the last axis; labels all 0 or 1 are
 * first mapped to -1 or 1.
 *
 * <pre>{@code
 * model.compile("adam", new Hinge(), "mae");
 * }</pre>
 */
public class Hinge extends LossFunction {

  /** The loss, named {@code "hinge"}; it has no arguments. */
  public Hinge() {
    super("hinge");
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> y = LossTerms.hingeLabels(tf, yTrue);
    return LossTerms.meanLastAxis(
        tf, tf.math.maximum(tf.math.sub(tf.constant(1f), tf.math.mul(y, yPred)), tf.constant(0f)));
  }

  /** From a Keras config. */
  public static Hinge fromConfig(Map<String, Object> config) {
    return withBase(new Hinge(), config, List.of());
  }
}
