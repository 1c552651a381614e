package io.jkeras.initializers;

import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Value semantics shared by the initializers: equal when same class and same arguments. */
abstract class AbstractInitializer implements Initializer {

  /**
   * {@code generate} of an initializer whose {@link #stream} holds only the piece being filled: one
   * array filled from one stream, so both give the same values.
   */
  final float[] generateFromStream(long[] shape, RandomGenerator random) {
    float[] out = new float[Checks.size(shape)];
    stream(shape, random).fill(out);
    return out;
  }

  /** The arguments that define this initializer; the Keras config unless it omits some. */
  Map<String, Object> state() {
    return getConfig();
  }

  @Override
  public boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && state().equals(((AbstractInitializer) o).state());
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), state());
  }

  @Override
  public String toString() {
    return className() + state();
  }
}
