package io.jkeras.initializers;

import io.jkeras.KerasSerializable;
import java.util.random.RandomGenerator;

/**
 * Computes the initial values of a weight on the host, as Keras 3's {@code keras.initializers} do.
 *
 * <p>Values are computed in Java rather than by TensorFlow ops so that they follow Keras's formulas
 * exactly (tensorflow-framework 1.1.0's Glorot initializer was measured wrong) and so that a seed
 * makes them repeatable.
 *
 * <pre>{@code
 * Initializer init = Initializers.get("glorot_uniform");
 * float[] kernel = init.generate(new long[] {250, 1}, new SplittableRandom(42));
 * }</pre>
 */
public interface Initializer extends KerasSerializable {

  /**
   * Returns {@code product(shape)} values in row-major (C) order.
   *
   * @param shape the weight's shape; every dimension is known and non-negative
   * @param random the source of randomness to use when this initializer has no seed of its own; an
   *     initializer with a seed ignores it and gives the same values on every call
   */
  float[] generate(long[] shape, RandomGenerator random);
}
