package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Multiplies its inputs element-wise, as Keras 3's {@code keras.layers.Multiply}.
 *
 * <p>Shapes: the inputs have the same shape, or shapes that broadcast (see {@link Merge}); the
 * output has the broadcast shape. No weights, no arguments beyond {@code name}.
 *
 * <pre>{@code
 * KerasTensor product = new Multiply().apply(a, b);
 * }</pre>
 */
public class Multiply extends Merge {

  /** A Multiply layer with an automatic name. */
  public Multiply() {
    this(null);
  }

  /** A Multiply layer named {@code name} (null for an automatic name). */
  public Multiply(String name) {
    super(name);
  }

  /** A Multiply layer from its Keras config (only the base keys). */
  public static Multiply fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Multiply", config);
    return c.finish(new Multiply(c.name()));
  }

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> out = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      out = tf.math.mul(out, inputs.get(i));
    }
    return out;
  }
}
