package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.activations.Activation;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The regular densely-connected layer: {@code output = activation(dot(input, kernel) + bias)}, as
 * Keras 3's {@code keras.layers.Dense}.
 *
 * <p>Arguments: {@code units} (positive), {@code activation} (none by default), {@code useBias}
 * (true), {@code kernelInitializer} ("glorot_uniform"), {@code biasInitializer} ("zeros"), kernel
 * and bias regularizers and constraints, and an activity regularizer (none by default).
 *
 * <p>Shapes: input {@code (batch, ..., input_dim)}, output {@code (batch, ..., units)}; on inputs
 * of rank above 2 the kernel applies along the last axis.
 *
 * <p>Weights, in this order: {@code kernel} {@code (input_dim, units)}, {@code bias} {@code
 * (units,)}.
 *
 * <pre>{@code
 * KerasTensor h = new Dense(250, "relu").apply(x);
 * Dense out = Dense.builder(1).activation("sigmoid").kernelRegularizer("l2").build();
 * }</pre>
 */
public class Dense extends Layer {

  private final int units;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final Regularizer biasRegularizer;
  private final Constraint kernelConstraint;
  private final Constraint biasConstraint;

  private Weight kernel;
  private Weight bias;

  /**
   * A Dense layer of {@code units} outputs, no activation, with a bias and Keras's default
   * initializers.
   */
  public Dense(int units) {
    this(builder(units));
  }

  /**
   * A Dense layer of {@code units} outputs followed by the activation named {@code activation} (for
   * example {@code "relu"}).
   */
  public Dense(int units, String activation) {
    this(builder(units).activation(activation));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if {@code units} is not positive
   */
  protected Dense(Builder b) {
    super(b.name);
    if (b.units <= 0) {
      throw new IllegalArgumentException("Dense: units must be a positive integer, got " + b.units);
    }
    this.units = b.units;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.biasRegularizer = b.biasRegularizer;
    this.kernelConstraint = b.kernelConstraint;
    this.biasConstraint = b.biasConstraint;
    setActivityRegularizer(b.activityRegularizer);
    setInputSpec(InputSpec.minRank(2));
  }

  /** A builder for a Dense layer of {@code units} outputs. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  /**
   * A Dense layer from its Keras config, as Python Keras 3 writes it (and Keras 2, without {@code
   * quantization_config}). LoRA ({@code lora_rank}) and quantization are not supported.
   */
  public static Dense fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Dense", config);
    Builder b = builder(c.positiveInt("units")).name(c.name());
    b.activation(c.activation("activation"));
    b.useBias(c.bool("use_bias", true));
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.biasInitializer(c.initializer("bias_initializer", "zeros"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.biasRegularizer(c.regularizer("bias_regularizer"));
    b.activityRegularizer(c.activityRegularizer());
    b.kernelConstraint(c.constraint("kernel_constraint"));
    b.biasConstraint(c.constraint("bias_constraint"));
    c.requireDefault("quantization_config", null, "quantization");
    c.requireDefault("lora_rank", null, "LoRA");
    c.requireDefault("lora_alpha", null, "LoRA");
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  /** The number of outputs ({@code units}). */
  public int units() {
    return units;
  }

  /** The activation applied after the affine map (linear when none was given). */
  public Activation activation() {
    return activation;
  }

  /** The kernel weight, {@code (input_dim, units)}; null before the layer is built. */
  public Weight kernel() {
    return kernel;
  }

  /** The bias weight, {@code (units,)}; null before the layer is built or without a bias. */
  public Weight bias() {
    return bias;
  }

  /** Keras's Dense keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  protected void build(Shape inputShape) {
    long inputDim = inputShape.size(inputShape.numDimensions() - 1);
    if (inputDim < 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Dense): the last axis of the input must be known, got "
              + KerasShape.format(inputShape));
    }
    kernel =
        addWeight(
            "kernel",
            Shape.of(inputDim, units),
            kernelInitializer,
            kernelRegularizer,
            kernelConstraint,
            true);
    if (useBias) {
      bias =
          addWeight(
              "bias", Shape.of(units), biasInitializer, biasRegularizer, biasConstraint, true);
    }
    setInputSpec(InputSpec.minRank(2).withAxis(-1, inputDim));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] dims = inputShape.asArray();
    dims[dims.length - 1] = units;
    return Shape.of(dims);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> y;
    if (inputs.shape().numDimensions() == 2) {
      y = tf.linalg.matMul(inputs, kernel.value());
    } else {
      // Rank > 2: fold the leading axes into one, multiply, and unfold.
      long inputDim = kernel.shape().size(0);
      Operand<TFloat32> flat = tf.reshape(inputs, tf.constant(new long[] {-1, inputDim}));
      y =
          tf.reshape(
              tf.linalg.matMul(flat, kernel.value()), StaticShapes.withLastDim(tf, inputs, units));
    }
    if (useBias) {
      y = tf.nn.biasAdd(y, bias.value());
    }
    return activation.apply(tf, y);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("units", units);
    config.put("activation", activation.name());
    config.put("use_bias", useBias);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put("bias_initializer", KerasObjects.serialize("keras.initializers", biasInitializer));
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put("bias_regularizer", KerasObjects.serialize("keras.regularizers", biasRegularizer));
    config.put("kernel_constraint", KerasObjects.serialize("keras.constraints", kernelConstraint));
    config.put("bias_constraint", KerasObjects.serialize("keras.constraints", biasConstraint));
    config.put("quantization_config", null);
    return config;
  }

  /** Optional arguments of {@link Dense}, with Keras 3's defaults. */
  public static final class Builder extends KernelLayerBuilder<Builder> {
    private final int units;

    private Builder(int units) {
      this.units = units;
    }

    /** The Dense layer with these arguments. */
    public Dense build() {
      return new Dense(this);
    }
  }
}
