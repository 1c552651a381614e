package io.jkeras.regularizers;

import io.jkeras.KerasSerializable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A penalty on a weight (or on a layer's output) that is added to the training loss, as Keras 3's
 * {@code keras.regularizers}.
 *
 * <pre>{@code
 * Regularizer l2 = Regularizers.l2(0.01);
 * Operand<TFloat32> penalty = l2.apply(tf, kernel); // a scalar
 * }</pre>
 */
public interface Regularizer extends KerasSerializable {

  /** Emits the ops that compute the scalar penalty for {@code x}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
}
