package io.jkeras.initializers;

import java.util.Map;
import java.util.Objects;

/** Value semantics shared by the initializers: equal when same class and same arguments. */
abstract class AbstractInitializer implements Initializer {

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
