package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Subtracts its second input from its first, element-wise (exactly two inputs), as Keras 3's {@code
 * keras.layers.Subtract}.
 *
 * <p>Shapes: the inputs have the same shape, or shapes that broadcast (see {@link Merge}); the
 * output has the broadcast shape. No weights, no arguments beyond {@code name}.
 *
 * <pre>{@code
 * KerasTensor difference = new Subtract().apply(a, b);
 * }</pre>
 */
public class Subtract extends Merge {

  /** A Subtract layer (first input minus second) with an automatic name. */
  public Subtract() {
    this(null);
  }

  /**
   * A Subtract layer (first input minus second) named {@code name} (null for an automatic name).
   */
  public Subtract(String name) {
    super(name);
  }

  /** A Subtract layer from its Keras config (only the base keys). */
  public static Subtract fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Subtract", config);
    return c.finish(new Subtract(c.name()));
  }

  @Override
  protected int requiredInputs() {
    return 2;
  }

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    return tf.math.sub(inputs.get(0), inputs.get(1));
  }
}
