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

  /**
   * The values of {@link #generate} handed out in row-major order a piece at a time, so that a
   * weight too large for one array (a lookup table split by rows across parameter servers) is
   * initialized without ever being whole on the heap: each {@link Values#fill} of the returned
   * source writes the next values, and together they equal {@code generate(shape, random)}'s. The
   * initializers that draw every value on its own (the random distributions and the constants) hold
   * only the piece being filled; the others (for example {@link Orthogonal}) compute every value
   * first.
   *
   * <pre>{@code
   * Initializer.Values values = init.stream(new long[] {10_000_000, 16}, new SplittableRandom(7));
   * float[] rows = new float[1024 * 16];
   * values.fill(rows); // rows 0..1023
   * values.fill(rows); // rows 1024..2047
   * }</pre>
   *
   * @param shape the weight's shape; every dimension is known and non-negative
   * @param random as for {@link #generate}
   * @return a source of the values, to be read once, in order
   */
  default Values stream(long[] shape, RandomGenerator random) {
    float[] all = generate(shape, random);
    return new Values() {
      private int next;

      @Override
      public void fill(float[] out) {
        if (out.length > all.length - next) {
          throw new IllegalStateException(
              "Asked for "
                  + out.length
                  + " more values of a weight with "
                  + (all.length - next)
                  + " left");
        }
        System.arraycopy(all, next, out, 0, out.length);
        next += out.length;
      }
    };
  }

  /**
   * The initial values of one weight, read in pieces in row-major order (see {@link #stream}).
   *
   * <pre>{@code
   * Initializer.Values zeros = out -> java.util.Arrays.fill(out, 0f);
   * }</pre>
   */
  @FunctionalInterface
  interface Values {
    /**
     * Writes the next {@code out.length} values into {@code out}.
     *
     * @param out the array to fill, entirely
     */
    void fill(float[] out);
  }
}
