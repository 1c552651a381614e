package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The element-wise mean of its inputs, as Keras 3's {@code keras.layers.Average}.
 *
 * <p>Shapes: the inputs have the same shape, or shapes that broadcast (see {@link Merge}); the
 * output has the broadcast shape. No weights, no arguments beyond {@code name}.
 *
 * <pre>{@code
 * KerasTensor mean = new Average().apply(a, b);
 * }</pre>
 */
public class Average extends Merge {

  /** An Average layer with an automatic name. */
  public Average() {
    this(null);
  }

  /** An Average layer named {@code name} (null for an automatic name). */
  public Average(String name) {
    super(name);
  }

  /** A Average layer from its Keras config (only the base keys). */
  public static Average fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Average", config);
    return c.finish(new Average(c.name()));
  }

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> out = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      out = tf.math.add(out, inputs.get(i));
    }
    // Keras divides the sum by the count.
    return tf.math.div(out, tf.constant((float) inputs.size()));
  }
}
