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

  /**
   * Under masks, as Keras: masked steps count as 1 in the product and, when every input has a mask,
   * steps masked in all inputs give 0.
   */
  @Override
  protected Operand<TFloat32> merge(
      Ops tf, List<Operand<TFloat32>> inputs, List<Operand<org.tensorflow.types.TBool>> masks) {
    boolean allMasked = masks.stream().allMatch(java.util.Objects::nonNull);
    Operand<TFloat32> out = null;
    Operand<org.tensorflow.types.TBool> outMask = null;
    for (int i = 0; i < inputs.size(); i++) {
      Operand<TFloat32> x = inputs.get(i);
      Operand<org.tensorflow.types.TBool> m = masks.get(i);
      if (m != null) {
        x = tf.select(m, x, tf.onesLike(x));
        if (allMasked) {
          outMask = outMask == null ? m : tf.math.logicalOr(outMask, m);
        }
      }
      out = out == null ? x : tf.math.mul(out, x);
    }
    return allMasked ? tf.select(outMask, out, tf.zerosLike(out)) : out;
  }
}
