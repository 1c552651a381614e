package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds its inputs element-wise, as Keras 3's {@code keras.layers.Add}.
 *
 * <p>Shapes: the inputs have the same shape, or shapes that broadcast (see {@link Merge}); the
 * output has the broadcast shape. No weights, no arguments beyond {@code name}.
 *
 * <pre>{@code
 * KerasTensor sum = new Add().apply(a, b);
 * }</pre>
 */
public class Add extends Merge {

  /** An Add layer with an automatic name. */
  public Add() {
    this(null);
  }

  /** An Add layer named {@code name} (null for an automatic name). */
  public Add(String name) {
    super(name);
  }

  /** A Add layer from its Keras config (only the base keys). */
  public static Add fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Add", config);
    return c.finish(new Add(c.name()));
  }

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> out = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      out = tf.math.add(out, inputs.get(i));
    }
    return out;
  }
}
