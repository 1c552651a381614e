package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The rectified linear unit as a layer, with Keras 3's options ({@code keras.layers.ReLU}):
 *
 * <pre>
 *   f(x) = min(x, max_value)                     if x &gt; threshold
 *   f(x) = negative_slope * (x - threshold)      otherwise
 * </pre>
 *
 * <p>Arguments: {@code maxValue} (null: no cap), {@code negativeSlope} (0), {@code threshold} (0);
 * all non-negative. Shapes: output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor y = new ReLU().apply(x);
 * KerasTensor relu6 = ReLU.builder().maxValue(6.0).build().apply(x);
 * }</pre>
 */
public class ReLU extends Layer {

  private final Double maxValue;
  private final double negativeSlope;
  private final double threshold;

  /** A plain ReLU, {@code max(x, 0)}, with an automatic name. */
  public ReLU() {
    this(builder());
  }

  private ReLU(Builder b) {
    super(b.name);
    if (b.maxValue != null && !(b.maxValue >= 0)) {
      throw new IllegalArgumentException(
          "ReLU: max_value cannot be negative, got max_value=" + b.maxValue);
    }
    if (!(b.negativeSlope >= 0)) {
      throw new IllegalArgumentException(
          "ReLU: negative_slope cannot be negative, got negative_slope=" + b.negativeSlope);
    }
    if (!(b.threshold >= 0)) {
      throw new IllegalArgumentException(
          "ReLU: threshold cannot be negative, got threshold=" + b.threshold);
    }
    this.maxValue = b.maxValue;
    this.negativeSlope = b.negativeSlope;
    this.threshold = b.threshold;
  }

  /** A builder with Keras's defaults (no cap, slope 0, threshold 0). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A ReLU layer from its Keras config: {@code max_value}, {@code negative_slope}, {@code
   * threshold}.
   */
  public static ReLU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("ReLU", config);
    Builder b = builder().name(c.name());
    Object cap = c.raw("max_value");
    b.maxValue(cap == null ? null : c.number("max_value", 0));
    b.negativeSlope(c.number("negative_slope", 0));
    b.threshold(c.number("threshold", 0));
    return c.finish(b.build());
  }

  /** The cap on the output, or null for none. */
  public Double maxValue() {
    return maxValue;
  }

  /** The slope below the threshold. */
  public double negativeSlope() {
    return negativeSlope;
  }

  /** The input value below which the negative slope applies. */
  public double threshold() {
    return threshold;
  }

  /** Keras's ReLU keeps masks: the input's mask passes through to the output. */
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
    Operand<TFloat32> t = tf.constant((float) threshold);
    Operand<TFloat32> zero = tf.zerosLike(x);
    Operand<TFloat32> y =
        threshold == 0 ? tf.nn.relu(x) : tf.select(tf.math.greater(x, t), x, zero);
    if (maxValue != null) {
      y = tf.math.minimum(y, tf.constant(maxValue.floatValue()));
    }
    if (negativeSlope != 0) {
      // Below the threshold the line continues with the negative slope.
      Operand<TFloat32> below = tf.nn.relu(tf.math.sub(t, x));
      y = tf.math.sub(y, tf.math.mul(tf.constant((float) negativeSlope), below));
    }
    return y;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("max_value", maxValue);
    config.put("negative_slope", negativeSlope);
    config.put("threshold", threshold);
    return config;
  }

  /** Optional arguments of {@link ReLU}, with Keras 3's defaults. */
  public static final class Builder {
    private String name;
    private Double maxValue;
    private double negativeSlope;
    private double threshold;

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The largest output, or null for none. */
    public Builder maxValue(Double maxValue) {
      this.maxValue = maxValue;
      return this;
    }

    /** The slope below the threshold; non-negative (default 0). */
    public Builder negativeSlope(double negativeSlope) {
      this.negativeSlope = negativeSlope;
      return this;
    }

    /** The input value below which the negative slope applies; non-negative (default 0). */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /**
     * The ReLU layer with these arguments.
     *
     * @throws IllegalArgumentException if an argument is negative
     */
    public ReLU build() {
      return new ReLU(this);
    }
  }
}
