package io.jkeras.activations;

import java.util.Objects;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** An {@link Activation} given by its Keras name and a function that emits its ops. */
final class NamedActivation implements Activation {

  private final String name;
  private final BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> fn;

  NamedActivation(String name, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> fn) {
    this.name = Objects.requireNonNull(name, "name");
    this.fn = Objects.requireNonNull(fn, "fn");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return fn.apply(tf, x);
  }

  @Override
  public String toString() {
    return name;
  }
}
