package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * The softmax function as a layer, as Keras 3's {@code keras.layers.Softmax}: {@code exp(x) /
 * sum(exp(x))} along {@code axis}.
 *
 * <p>Argument: {@code axis} (-1). Shapes: output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor probabilities = new Softmax().apply(logits);
 * }</pre>
 */
public class Softmax extends Layer {

  private final int axis;

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
    super(name);
    this.axis = axis;
  }

  /** A Softmax layer from its Keras config: {@code axis} (an integer or a list of one). */
  public static Softmax fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Softmax", config);
    String name = c.name();
    return c.finish(new Softmax(c.intOrSingleton("axis", -1), name));
  }

  /** The axis the softmax normalizes over. */
  public int axis() {
    return axis;
  }

  @Override
  protected void build(Shape inputShape) {
    int rank = inputShape.numDimensions();
    if (axis >= rank || axis < -rank || Math.floorMod(axis, rank) == 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Softmax): axis "
              + axis
              + " is not a non-batch axis of an input of shape "
              + KerasShape.format(inputShape));
    }
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int a = Math.floorMod(axis, x.shape().numDimensions());
    if (a == x.shape().numDimensions() - 1) {
      return tf.nn.softmax(x);
    }
    // Shifted by the maximum so exp cannot overflow.
    Operand<TFloat32> shifted =
        tf.math.sub(x, tf.stopGradient(tf.reduceMax(x, tf.constant(a), ReduceMax.keepDims(true))));
    Operand<TFloat32> e = tf.math.exp(shifted);
    return tf.math.div(e, tf.reduceSum(e, tf.constant(a), ReduceSum.keepDims(true)));
  }

  /** Keras builds this layer at construction, so its files carry no build_config. */
  @Override
  public boolean writesBuildConfig() {
    return false;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", axis);
    return config;
  }
}
