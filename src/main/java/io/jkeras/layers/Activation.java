package io.jkeras.layers;

import io.jkeras.activations.Activations;
import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Applies an activation function to its input, as Keras 3's {@code keras.layers.Activation}.
 *
 * <p>Argument: {@code activation}, a Keras activation name. Shapes: output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor y = new Activation("relu").apply(x);
 * }</pre>
 */
public class Activation extends Layer {

  private final io.jkeras.activations.Activation function;

  /**
   * Applies the activation named {@code activation} (for example {@code "relu"}), with an automatic
   * layer name.
   *
   * @throws IllegalArgumentException if the name is not a known activation
   */
  public Activation(String activation) {
    this(activation, null);
  }

  /**
   * Applies the activation named {@code activation} (for example {@code "relu"}).
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if the name is not a known activation
   */
  public Activation(String activation, String name) {
    super(name);
    this.function = Activations.get(activation);
  }

  /** Applies {@code function}, with an automatic layer name. */
  public Activation(io.jkeras.activations.Activation function) {
    super(null);
    this.function = function;
  }

  /** The activation function this layer applies. */
  public io.jkeras.activations.Activation function() {
    return function;
  }

  /** An Activation layer from its Keras config: {@code activation}. */
  public static Activation fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Activation", config);
    String name = c.name();
    if (!c.has("activation")) {
      throw c.fail("activation", "missing (expected an activation name)");
    }
    io.jkeras.activations.Activation function = c.activation("activation");
    c.requireFloat32Dtype();
    return c.finish(new Activation(function.name(), name));
  }

  /** Keras's Activation keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return function.apply(tf, inputs);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("activation", function.name());
    return config;
  }
}
