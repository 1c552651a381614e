package io.jkeras.layers;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Wraps a stateless Java function of TensorFlow ops as a layer, as Keras's {@code
 * keras.layers.Lambda}. It has no weights: a computation that needs weights is a {@link Layer}
 * subclass.
 *
 * <p>Arguments: {@code function}, which receives the op builder and the float32 input; an optional
 * {@code outputShape} function (by default the output shape is found by tracing the function once
 * on a placeholder).
 *
 * <pre>{@code
 * Lambda square = new Lambda((tf, x) -> tf.math.mul(x, x));
 * Lambda half = new Lambda((tf, x) -> tf.math.mul(x, tf.constant(0.5f)), s -> s, "half");
 * }</pre>
 *
 * <p>A Lambda cannot be written to a {@code .keras} file in a form Python can run; like Keras,
 * jkeras refuses to load one from a file unless safe mode is off.
 */
public class Lambda extends Layer {

  /** The op-emitting function of a {@link Lambda}. */
  @FunctionalInterface
  public interface Function {
    /**
     * Emits the layer's ops for input {@code x}.
     *
     * @param tf the op builder of the graph being built
     * @param x the layer's input
     * @return the layer's output
     */
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
  }

  private final Function function;
  private final UnaryOperator<Shape> outputShape;

  /** A Lambda whose output shape equals its input shape, with an automatic name. */
  public Lambda(Function function) {
    this(function, null, null);
  }

  /**
   * A Lambda layer.
   *
   * @param outputShape maps the input shape to the output shape; null when the shape is unchanged
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code function} is null
   */
  public Lambda(Function function, UnaryOperator<Shape> outputShape, String name) {
    super(name);
    if (function == null) {
      throw new IllegalArgumentException("Lambda: function must not be null");
    }
    this.function = function;
    this.outputShape = outputShape;
  }

  /** Keras's own Lambda class: module {@code keras.layers}, no registered name. */
  @Override
  public String module() {
    return "keras.layers";
  }

  /** Keras's own Lambda class: no registered name. */
  @Override
  public String registeredName() {
    return null;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return outputShape != null
        ? outputShape.apply(inputShape)
        : super.computeOutputShape(inputShape);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return function.apply(tf, inputs);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("function", List.of("jkeras-java-function", function.getClass().getName()));
    config.put("output_shape", null);
    config.put("arguments", Map.of());
    return config;
  }
}
