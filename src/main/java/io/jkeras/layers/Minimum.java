package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The element-wise minimum of its inputs, as Keras 3's {@code keras.layers.Minimum}.
 *
 * <p>Shapes: the inputs have the same shape, or shapes that broadcast (see {@link Merge}); the
 * output has the broadcast shape. No weights, no arguments beyond {@code name}.
 *
 * <pre>{@code
 * KerasTensor smallest = new Minimum().apply(a, b, c);
 * }</pre>
 */
public class Minimum extends Merge {

  /** A Minimum layer with an automatic name. */
  public Minimum() {
    this(null);
  }

  /** A Minimum layer named {@code name} (null for an automatic name). */
  public Minimum(String name) {
    super(name);
  }

  /** A Minimum layer from its Keras config (only the base keys). */
  public static Minimum fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Minimum", config);
    return c.finish(new Minimum(c.name()));
  }

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> out = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      out = tf.math.minimum(out, inputs.get(i));
    }
    return out;
  }

  /** Under masks, as Keras: a masked step takes the other inputs' value. */
  @Override
  protected Operand<TFloat32> merge(
      Ops tf, List<Operand<TFloat32>> inputs, List<Operand<org.tensorflow.types.TBool>> masks) {
    return mergeMaskedPairwise(tf, inputs, masks, (a, b) -> tf.math.minimum(a, b));
  }
}
