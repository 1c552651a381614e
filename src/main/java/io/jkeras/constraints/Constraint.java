package io.jkeras.constraints;

import io.jkeras.KerasSerializable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A projection applied to a weight after each optimizer update, as Keras 3's {@code
 * keras.constraints}.
 *
 * <pre>{@code
 * Constraint maxNorm = Constraints.maxNorm(2.0);
 * Operand<TFloat32> projected = maxNorm.apply(tf, kernel);
 * }</pre>
 */
public interface Constraint extends KerasSerializable {

  /** Emits the ops that compute the projected value of weight {@code w} (same shape). */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w);
}
