package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Returns its input unchanged, as Keras 3's {@code keras.layers.Identity}: a placeholder where a
 * layer is expected (for example a switchable block).
 *
 * <pre>{@code
 * KerasTensor same = new Identity().apply(x);
 * }</pre>
 */
public class Identity extends Layer {

  /** An Identity layer with an automatic name. */
  public Identity() {
    this(null);
  }

  /** An Identity layer named {@code name} (null for an automatic name). */
  public Identity(String name) {
    super(name);
  }

  /** An Identity layer from its Keras config (only the base keys). */
  public static Identity fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Identity", config);
    return c.finish(new Identity(c.name()));
  }

  /** Keras's Identity keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    // An Identity op, not x itself: a graph cannot feed and fetch the same tensor.
    return tf.identity(x);
  }
}
