package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The element-wise maximum of its inputs, as Keras 3's {@code keras.layers.Maximum}.
 *
 * <p>Shapes: the inputs have the same shape, or shapes that broadcast (see {@link Merge}); the
 * output has the broadcast shape. No weights, no arguments beyond {@code name}.
 *
 * <pre>{@code
 * KerasTensor largest = new Maximum().apply(a, b, c);
 * }</pre>
 */
public class Maximum extends Merge {

  /** A Maximum layer with an automatic name. */
  public Maximum() {
    this(null);
  }

  /** A Maximum layer named {@code name} (null for an automatic name). */
  public Maximum(String name) {
    super(name);
  }

  /** A Maximum layer from its Keras config (only the base keys). */
  public static Maximum fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Maximum", config);
    return c.finish(new Maximum(c.name()));
  }

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> out = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      out = tf.math.maximum(out, inputs.get(i));
    }
    return out;
  }

  /** Under masks, as Keras: a masked step takes the other inputs' value. */
  @Override
  protected Operand<TFloat32> merge(
      Ops tf, List<Operand<TFloat32>> inputs, List<Operand<org.tensorflow.types.TBool>> masks) {
    return mergeMaskedPairwise(tf, inputs, masks, (a, b) -> tf.math.maximum(a, b));
  }
}
