package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Root-mean-square normalization, as Keras 3's {@code keras.layers.RMSNormalization}: {@code y = x
 * / sqrt(mean(x^2) + epsilon) * scale}, the mean taken over {@code axis} for each sample, without
 * centering.
 *
 * <p>Arguments: {@code axis} (-1), one axis or several (sorted; not the batch axis); {@code
 * epsilon} (1e-6). Weight: {@code scale} (ones) with the sizes of the normalized axes, in their
 * order. As in Keras, the scale multiplies the output by broadcasting from the last axis, so
 * several axes must be the trailing ones (a layer whose scale cannot broadcast is refused when it
 * builds). Shapes: output shape = input shape. Masks are dropped, as Keras does.
 *
 * <pre>{@code
 * KerasTensor h = new RMSNormalization().apply(x);                 // over the last axis
 * KerasTensor z = new RMSNormalization(new int[] {1, 2}, 1e-5, "rms").apply(images);
 * }</pre>
 */
public class RMSNormalization extends Layer {

  private final List<Integer> axis;
  private final double epsilon;
  private Weight scale;

  /** Over the last axis with Keras's epsilon 1e-6. */
  public RMSNormalization() {
    this(new int[] {-1}, 1e-6, null);
  }

  /**
   * Over {@code axis} (negative counts from the end) with {@code epsilon} added to the mean square.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if no axis is given or epsilon is negative
   */
  public RMSNormalization(int[] axis, double epsilon, String name) {
    super(name);
    if (axis.length == 0) {
      throw new IllegalArgumentException("RMSNormalization: axis must name at least one axis");
    }
    if (!(epsilon >= 0)) {
      throw new IllegalArgumentException(
          "RMSNormalization: epsilon must be a non-negative number, got " + epsilon);
    }
    List<Integer> sorted = new ArrayList<>();
    for (int a : axis) {
      sorted.add(a);
    }
    sorted.sort(null);
    this.axis = List.copyOf(sorted);
    this.epsilon = epsilon;
  }

  /** An RMSNormalization layer from its Keras config: {@code axis} (integer or list), epsilon. */
  public static RMSNormalization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("RMSNormalization", config);
    String name = c.name();
    int[] axes = LayerNormalization.axes(c, "axis", -1);
    double epsilon = c.number("epsilon", 1e-6);
    RMSNormalization layer;
    try {
      layer = new RMSNormalization(axes, epsilon, name);
    } catch (IllegalArgumentException e) {
      throw c.fail("epsilon", e.getMessage());
    }
    return c.finish(layer);
  }

  /** The normalized axes, sorted, as given (negative counts from the end). */
  public List<Integer> axis() {
    return axis;
  }

  /** The small value added to the mean square before its square root. */
  public double epsilon() {
    return epsilon;
  }

  /** The {@code scale} weight; null before the layer is built. */
  public Weight scale() {
    return scale;
  }

  @Override
  protected void build(Shape inputShape) {
    int[] axes = LayerNormalization.resolveAxes(this, axis, inputShape);
    int rank = inputShape.numDimensions();
    long[] shape = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      shape[i] = inputShape.size(axes[i]);
      if (shape[i] < 0) {
        throw error("axis " + axis.get(i) + " of the input must be known", inputShape);
      }
    }
    // Keras multiplies by the scale as it is, so it broadcasts against the input's last axes.
    for (int i = 0; i < shape.length; i++) {
      long against = inputShape.size(rank - shape.length + i);
      if (shape[i] != 1 && shape[i] != against) {
        throw error(
            "the scale of shape "
                + KerasShape.format(Shape.of(shape))
                + " for axis "
                + axis
                + " does not broadcast against the input's last axes",
            inputShape);
      }
    }
    scale = addWeight("scale", Shape.of(shape), "ones");
  }

  private IllegalArgumentException error(String detail, Shape inputShape) {
    return new IllegalArgumentException(
        "Layer \""
            + name()
            + "\" (RMSNormalization): "
            + detail
            + "; input shape "
            + KerasShape.format(inputShape));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    LayerNormalization.resolveAxes(this, axis, inputShape);
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int[] axes = LayerNormalization.resolveAxes(this, axis, x.shape());
    Operand<TFloat32> meanSquare =
        tf.math.mean(tf.math.square(x), tf.constant(axes), Mean.keepDims(true));
    Operand<TFloat32> inverse =
        tf.math.rsqrt(tf.math.add(meanSquare, tf.constant((float) epsilon)));
    return tf.math.mul(tf.math.mul(x, inverse), scale.value());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", new ArrayList<>(axis));
    config.put("epsilon", epsilon);
    return config;
  }
}
