package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The leaky rectified linear unit as a layer, as Keras 3's {@code keras.layers.LeakyReLU}: {@code
 * f(x) = x} for {@code x >= 0}, {@code negative_slope * x} otherwise.
 *
 * <p>Argument: {@code negativeSlope} (0.3), non-negative. Shapes: output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor y = new LeakyReLU(0.1).apply(x);
 * }</pre>
 */
public class LeakyReLU extends Layer {

  private final double negativeSlope;

  /** Negative slope 0.3, Keras's default. */
  public LeakyReLU() {
    this(0.3, null);
  }

  /**
   * A leaky ReLU with slope {@code negativeSlope} below zero and an automatic name.
   *
   * @throws IllegalArgumentException if {@code negativeSlope} is negative or NaN
   */
  public LeakyReLU(double negativeSlope) {
    this(negativeSlope, null);
  }

  /**
   * A leaky ReLU with slope {@code negativeSlope} below zero.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code negativeSlope} is negative or NaN
   */
  public LeakyReLU(double negativeSlope, String name) {
    super(name);
    if (!(negativeSlope >= 0)) {
      throw new IllegalArgumentException(
          "LeakyReLU: negative_slope must be a non-negative number, got " + negativeSlope);
    }
    this.negativeSlope = negativeSlope;
  }

  /**
   * A LeakyReLU layer from its Keras config: {@code negative_slope}, or {@code alpha} as Keras 2
   * wrote it.
   */
  public static LeakyReLU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("LeakyReLU", config);
    String name = c.name();
    double slope = c.has("alpha") ? c.number("alpha", 0.3) : c.number("negative_slope", 0.3);
    c.ignore("negative_slope");
    return c.finish(new LeakyReLU(slope, name));
  }

  /** The slope for negative inputs: {@code f(x) = negativeSlope * x} for {@code x < 0}. */
  public double negativeSlope() {
    return negativeSlope;
  }

  /** Keras's LeakyReLU keeps masks: the input's mask passes through to the output. */
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
    return tf.nn.leakyRelu(x, LeakyRelu.alpha((float) negativeSlope));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("negative_slope", negativeSlope);
    return config;
  }
}
