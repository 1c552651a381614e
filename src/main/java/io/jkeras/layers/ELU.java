package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The exponential linear unit as a layer, as Keras 3's {@code keras.layers.ELU}: {@code f(x) = x}
 * for {@code x > 0}, {@code alpha * (exp(x) - 1)} otherwise.
 *
 * <p>Argument: {@code alpha} (1.0). Shapes: output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor y = new ELU(0.5).apply(x);
 * }</pre>
 */
public class ELU extends Layer {

  private final double alpha;

  /** Alpha 1, Keras's default. */
  public ELU() {
    this(1.0, null);
  }

  /**
   * An ELU with the given {@code alpha} and an automatic name.
   *
   * @throws IllegalArgumentException if {@code alpha} is not finite
   */
  public ELU(double alpha) {
    this(alpha, null);
  }

  /**
   * An ELU with the given {@code alpha}.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code alpha} is not finite
   */
  public ELU(double alpha, String name) {
    super(name);
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException("ELU: alpha must be a finite number, got " + alpha);
    }
    this.alpha = alpha;
  }

  /** An ELU layer from its Keras config: {@code alpha}. */
  public static ELU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("ELU", config);
    String name = c.name();
    return c.finish(new ELU(c.number("alpha", 1.0), name));
  }

  /** The scale of the negative part, {@code alpha * (exp(x) - 1)}. */
  public double alpha() {
    return alpha;
  }

  /** Keras's ELU keeps masks: the input's mask passes through to the output. */
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
    Operand<TFloat32> elu = tf.nn.elu(x);
    if (alpha == 1.0) {
      return elu;
    }
    // elu(x) is exp(x) - 1 below zero: scale only that part.
    Operand<TFloat32> negative = tf.math.minimum(elu, tf.zerosLike(elu));
    return tf.math.add(tf.nn.relu(x), tf.math.mul(tf.constant((float) alpha), negative));
  }

  /** Keras writes {@code alpha} right after {@code name}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> base = super.getConfig();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", base.remove("name"));
    config.put("alpha", alpha);
    config.putAll(base);
    return config;
  }
}
