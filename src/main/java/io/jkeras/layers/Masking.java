package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Any;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Masks the time steps whose features all equal {@code maskValue}, as Keras 3's {@code
 * keras.layers.Masking}: the output is the input with those steps set to 0, and it carries a Keras
 * mask, true where a step has at least one feature different from {@code maskValue}, that layers
 * downstream use (GlobalAveragePooling1D averages only the real steps).
 *
 * <p>Arguments: {@code maskValue} (0.0). Shapes: input {@code (batch, steps, features)} (or any
 * rank of at least 2; the last axis is the features), output the same; mask {@code (batch, steps)}.
 * No weights.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(10, 8);                       // 10 steps of 8 features
 * KerasTensor pooled = new GlobalAveragePooling1D().apply(new Masking(0.0).apply(x));
 * }</pre>
 */
public class Masking extends Layer {

  private final double maskValue;

  /** Masks the steps that are all zeros. */
  public Masking() {
    this(0.0, null);
  }

  /** Masks the steps whose features all equal {@code maskValue}. */
  public Masking(double maskValue) {
    this(maskValue, null);
  }

  /** As {@link #Masking(double)}, with a layer name (null: automatic). */
  public Masking(double maskValue, String name) {
    super(name);
    if (!Double.isFinite(maskValue)) {
      throw new IllegalArgumentException("Masking: mask_value must be finite, got " + maskValue);
    }
    this.maskValue = maskValue;
  }

  /**
   * A Masking layer from its Keras config: {@code mask_value}.
   *
   * <pre>{@code Masking m = Masking.fromConfig(Map.of("mask_value", -1.0));}</pre>
   */
  public static Masking fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Masking", config);
    String name = c.name();
    double value = c.number("mask_value", 0.0);
    c.requireFloat32Dtype();
    return c.finish(new Masking(value, name));
  }

  /** The value whose all-equal steps are masked out. */
  public double maskValue() {
    return maskValue;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  /** Keras's Masking makes a mask. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** True where any feature differs from {@code maskValue}: the input's shape without features. */
  @Override
  protected Operand<TBool> computeMask(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks) {
    return keep(tf, io.jkeras.backend.DTypes.toFloat(tf, inputs.get(0)), false);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return tf.math.mul(inputs, tf.dtypes.cast(keep(tf, inputs, true), TFloat32.class));
  }

  private Operand<TBool> keep(Ops tf, Operand<TFloat32> x, boolean keepDims) {
    return tf.any(
        tf.math.notEqual(x, tf.constant((float) maskValue)),
        tf.constant(-1),
        Any.keepDims(keepDims));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("mask_value", maskValue);
    return config;
  }
}
