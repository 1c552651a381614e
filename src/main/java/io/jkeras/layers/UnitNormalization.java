package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Scales each sample to unit L2 norm over some axes, as Keras 3's {@code
 * keras.layers.UnitNormalization}: {@code y = x / sqrt(sum(x^2))} over {@code axis} (an all-zero
 * slice stays zero: the inverse norm is capped at 1e12, as Keras caps it).
 *
 * <p>Argument: {@code axis} (-1), one axis or several. Shapes: output shape = input shape. No
 * weights.
 *
 * <pre>{@code
 * KerasTensor unit = new UnitNormalization().apply(embeddings);
 * }</pre>
 */
public class UnitNormalization extends Layer {

  /** Keras's epsilon for this layer: the inverse norm is at most 1 / 1e-12. */
  private static final float MAX_INVERSE_NORM = 1e12f;

  private final List<Integer> axis;
  private final boolean singleAxis;

  /** Along the last axis, Keras's default. */
  public UnitNormalization() {
    this(null, -1);
  }

  /**
   * Scales each sample to unit L2 norm over {@code axis}, one or several axes (negative counts from
   * the end).
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if no axis is given
   */
  public UnitNormalization(String name, int... axis) {
    super(name);
    if (axis.length == 0) {
      throw new IllegalArgumentException("UnitNormalization: axis must name at least one axis");
    }
    List<Integer> list = new ArrayList<>();
    for (int a : axis) {
      list.add(a);
    }
    this.axis = List.copyOf(list);
    this.singleAxis = axis.length == 1;
  }

  private UnitNormalization(String name, List<Integer> axis, boolean singleAxis) {
    super(name);
    this.axis = List.copyOf(axis);
    this.singleAxis = singleAxis;
  }

  /** A UnitNormalization layer from its Keras config: {@code axis} (an integer or a list). */
  public static UnitNormalization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("UnitNormalization", config);
    String name = c.name();
    boolean single = !(config.get("axis") instanceof List<?>);
    int[] axes = LayerNormalization.axes(c, "axis", -1);
    List<Integer> list = new ArrayList<>();
    for (int a : axes) {
      list.add(a);
    }
    return c.finish(new UnitNormalization(name, list, single));
  }

  /** The axes the norm is taken over. */
  public List<Integer> axis() {
    return axis;
  }

  @Override
  protected void build(Shape inputShape) {
    LayerNormalization.resolveAxes(this, axis, inputShape);
  }

  /** Keras's UnitNormalization keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    LayerNormalization.resolveAxes(this, axis, inputShape);
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int[] axes = LayerNormalization.resolveAxes(this, axis, x.shape());
    Operand<TFloat32> inverse =
        tf.math.minimum(
            tf.math.rsqrt(Moments.sumOfSquares(tf, x, axes)), tf.constant(MAX_INVERSE_NORM));
    return tf.math.mul(x, inverse);
  }

  /** Keras builds this layer at construction, so its files carry no build_config. */
  @Override
  public boolean writesBuildConfig() {
    return false;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", singleAxis ? (Object) axis.get(0) : new ArrayList<>(axis));
    return config;
  }
}
