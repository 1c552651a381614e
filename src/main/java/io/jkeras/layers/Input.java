package io.jkeras.layers;

import org.tensorflow.ndarray.Shape;

/**
 * Model inputs for the functional API, as Keras's {@code keras.Input}: the shape of one sample
 * (without the batch), a dtype, an optional name.
 *
 * <pre>{@code
 * KerasTensor features = Input.of(250);                 // float32, shape (None, 250)
 * KerasTensor tokens = Input.of("int32", 100);          // int32, shape (None, 100)
 * KerasTensor named = Input.named("a", "float32", 4);   // name "a"
 * }</pre>
 */
public final class Input {

  private Input() {}

  /** A float32 input whose samples have shape {@code shape} (use -1 for an unknown size). */
  public static KerasTensor of(long... shape) {
    return named(null, "float32", shape);
  }

  /** An input of Keras dtype {@code dtype} ("float32", "int32", "int64"...). */
  public static KerasTensor of(String dtype, long... shape) {
    return named(null, dtype, shape);
  }

  /** A named input; the name becomes the input key of exported signatures. */
  public static KerasTensor named(String name, String dtype, long... shape) {
    return new InputLayer(KerasShape.batchOf(shape), dtype, name).output();
  }

  /** An input with an explicit batch shape (batch first, -1 for unknown). */
  public static KerasTensor withBatchShape(Shape batchShape, String dtype, String name) {
    return new InputLayer(batchShape, dtype, name).output();
  }
}
