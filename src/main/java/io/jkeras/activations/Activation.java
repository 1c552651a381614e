package io.jkeras.activations;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An element-wise (or last-axis, for softmax) activation function emitted as TensorFlow ops, named
 * as in Keras 3's {@code keras.activations}.
 *
 * <pre>{@code
 * Activation relu = Activations.get("relu");
 * Operand<TFloat32> y = relu.apply(tf, x);
 * }</pre>
 */
public interface Activation {

  /**
   * The Keras name, as written in layer configs: {@code "relu"}, {@code "sigmoid"}, {@code
   * "linear"}.
   */
  String name();

  /** Emits the ops that compute this activation of {@code x}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
}
