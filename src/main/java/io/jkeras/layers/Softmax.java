package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The softmax function as a layer, as Keras 3's {@code keras.layers.Softmax}: {@code exp(x) /
 * sum(exp(x))} along {@code axis}, one axis or several (normalized jointly).
 *
 * <p>Argument: {@code axis} (-1), an integer or a list of integers. Shapes: output shape = input
 * shape.
 *
 * <p>Mask: the call's mask (the input's Keras mask, or a tensor given as the {@code mask} keyword
 * argument; nonzero means kept) must broadcast to the input, trailing axes aligned. Masked
 * positions take part as {@code -1e9} and come out as 0, as in Keras; the output keeps the mask.
 *
 * <pre>{@code
 * KerasTensor probabilities = new Softmax().apply(logits);
 * KerasTensor overGrid = new Softmax("grid", 1, 2).apply(scores); // jointly over axes 1 and 2
 * KerasTensor masked = new Softmax().apply(List.of(scores), Map.of("mask", keep)).get(0);
 * }</pre>
 */
public class Softmax extends Layer {

  /** What Keras puts in masked positions before the softmax (float32 inputs). */
  private static final float MASKED_LOGIT = -1e9f;

  private final List<Integer> axis;
  private final boolean axisList;

  /** Along the last axis, Keras's default. */
  public Softmax() {
    this(-1, null);
  }

  /** A softmax along {@code axis} (negative counts from the end), with an automatic name. */
  public Softmax(int axis) {
    this(axis, null);
  }

  /**
   * A softmax along {@code axis} (negative counts from the end).
   *
   * @param name the layer name, or null for an automatic one
   */
  public Softmax(int axis, String name) {
    this(name, List.of(axis), false);
  }

  /**
   * A softmax normalized jointly over {@code axis}, a list of axes (negative counts from the end);
   * its config writes the list, as Keras's {@code Softmax(axis=[...])}.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if no axis is given
   */
  public Softmax(String name, int... axis) {
    this(name, Arrays.stream(axis).boxed().toList(), true);
  }

  private Softmax(String name, List<Integer> axis, boolean axisList) {
    super(name);
    if (axis.isEmpty()) {
      throw new IllegalArgumentException("Softmax: axis must name at least one axis");
    }
    this.axis = List.copyOf(axis);
    this.axisList = axisList;
  }

  /** A Softmax layer from its Keras config: {@code axis} (an integer or a list of integers). */
  public static Softmax fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Softmax", config);
    String name = c.name();
    boolean list = config.get("axis") instanceof List<?>;
    int[] axes = LayerNormalization.axes(c, "axis", -1);
    return c.finish(new Softmax(name, Arrays.stream(axes).boxed().toList(), list));
  }

  /** The axes the softmax normalizes over (one unless built from a list). */
  public List<Integer> axis() {
    return axis;
  }

  @Override
  protected void build(Shape inputShape) {
    LayerNormalization.resolveAxes(this, axis, inputShape);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  /** Keras's Softmax keeps masks: the call's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Keras's Softmax call takes {@code mask}. */
  @Override
  public boolean callTakesMask() {
    return true;
  }

  @Override
  protected List<Operand<?>> call(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) {
    @SuppressWarnings("unchecked")
    Operand<TFloat32> x = (Operand<TFloat32>) inputs.get(0);
    Operand<TBool> mask = masks.isEmpty() ? null : masks.get(0);
    if (mask == null) {
      return List.of(softmax(tf, x));
    }
    checkMaskBroadcasts(mask.shape(), x.shape());
    Operand<TBool> keep = tf.broadcastTo(mask, tf.shape(x));
    Operand<TFloat32> logits = tf.select(keep, x, tf.fill(tf.shape(x), tf.constant(MASKED_LOGIT)));
    Operand<TFloat32> y = softmax(tf, logits);
    // A fully masked row would be uniform: Keras zeroes masked positions afterwards.
    return List.of(tf.select(keep, y, tf.zerosLike(y)));
  }

  private Operand<TFloat32> softmax(Ops tf, Operand<TFloat32> x) {
    int[] axes = LayerNormalization.resolveAxes(this, axis, x.shape());
    if (axes.length == 1 && axes[0] == x.shape().numDimensions() - 1) {
      return tf.nn.softmax(x);
    }
    // Shifted by the maximum so exp cannot overflow.
    Operand<TFloat32> shifted =
        tf.math.sub(
            x, tf.stopGradient(tf.reduceMax(x, tf.constant(axes), ReduceMax.keepDims(true))));
    Operand<TFloat32> e = tf.math.exp(shifted);
    return tf.math.div(e, tf.reduceSum(e, tf.constant(axes), ReduceSum.keepDims(true)));
  }

  /** Keras's check: no more axes than the input, each trailing one 1 or the input's size. */
  private void checkMaskBroadcasts(Shape mask, Shape input) {
    int mr = mask.numDimensions();
    int ir = input.numDimensions();
    boolean fits = mr <= ir;
    for (int i = 1; fits && i <= mr; i++) {
      long m = mask.size(mr - i);
      long d = input.size(ir - i);
      fits = m < 0 || d < 0 || m == 1 || m == d;
    }
    if (!fits) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Softmax): the mask must broadcast to the input (trailing axes aligned, each"
              + " 1 or the input's size), got a mask of shape "
              + KerasShape.format(mask)
              + " for an input of shape "
              + KerasShape.format(input));
    }
  }

  /** Keras builds this layer at construction, so its files carry no build_config. */
  @Override
  public boolean writesBuildConfig() {
    return false;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", axisList ? new ArrayList<>(axis) : (Object) axis.get(0));
    return config;
  }
}
