package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * 2D convolution over the rows and columns of an image, as Keras 3's {@code keras.layers.Conv2D}:
 * {@code filters} kernels of {@code kernelSize} slide over the image, each output is {@code
 * activation(sum over window and channels of x * kernel + bias)}.
 *
 * <p>Arguments: {@code filters} (positive), {@code kernelSize} (one size or (rows, cols)), {@code
 * strides} (1), {@code padding} ("valid" or "same"), {@code dataFormat} ("channels_last" or
 * "channels_first"), {@code dilationRate} (1; strides and dilation cannot both exceed 1), {@code
 * groups} (1: with g groups, each group of {@code channels/g} input channels feeds {@code
 * filters/g} filters), {@code activation} (none), {@code useBias} (true), {@code kernelInitializer}
 * ("glorot_uniform"), {@code biasInitializer} ("zeros"), kernel and bias regularizers and
 * constraints, an activity regularizer.
 *
 * <p>Shapes: input {@code (batch, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, rows, cols)}; output the same with {@code filters} channels and each spatial size n
 * becoming {@code floor((n - d*(k-1) - 1) / s) + 1} ("valid") or {@code ceil(n / s)} ("same").
 *
 * <p>Weights, in this order: {@code kernel} {@code (kRows, kCols, channels/groups, filters)},
 * {@code bias} {@code (filters,)}.
 *
 * <pre>{@code
 * KerasTensor h = new Conv2D(32, 3, "relu").apply(images);  // (None, 28, 28, 1) -> (None, 26, 26, 32)
 * Conv2D c = Conv2D.builder(64, 3, 3).strides(2).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "Convolution2D")
public class Conv2D extends BaseConv {

  private final int filters;
  private final int groups;
  private final Initializer kernelInitializer;
  private final Regularizer kernelRegularizer;
  private final Constraint kernelConstraint;
  private Weight kernel;

  /**
   * A 2-D convolution with {@code filters} output channels, a square {@code kernelSize} window and
   * Keras's defaults otherwise (stride 1, {@code "valid"} padding, a bias, no activation).
   */
  public Conv2D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /**
   * A 2-D convolution with {@code filters} output channels and a square {@code kernelSize} window,
   * followed by the activation named {@code activation}.
   */
  public Conv2D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if {@code filters}, {@code groups} or the window is invalid
   */
  protected Conv2D(Builder b) {
    super(window("Conv2D", 2, b.kernelSize, b), b);
    if (b.filters <= 0) {
      throw new IllegalArgumentException(
          "Conv2D: filters must be a positive integer, got " + b.filters);
    }
    if (b.groups <= 0 || b.filters % b.groups != 0) {
      throw new IllegalArgumentException(
          "Conv2D: groups must be a positive divisor of filters, got groups="
              + b.groups
              + " for filters="
              + b.filters);
    }
    this.filters = b.filters;
    this.groups = b.groups;
    this.kernelInitializer = b.kernelInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.kernelConstraint = b.kernelConstraint;
  }

  /** A builder; {@code kernelSize} is one size for both axes or (rows, cols). */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** A Conv2D layer from its Keras config; LoRA is not supported. */
  public static Conv2D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Conv2D", config);
    Builder b = builder(c.positiveInt("filters"), ConvWindow.readTuple(c, "kernel_size", 2, null));
    readCommon(c, 2, b);
    b.groups(c.integer("groups", 1));
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.kernelConstraint(c.constraint("kernel_constraint"));
    return c.finish(b.build());
  }

  /** The number of output channels ({@code filters}). */
  public int filters() {
    return filters;
  }

  /** The number of channel groups convolved independently (1 is a plain convolution). */
  public int groups() {
    return groups;
  }

  /**
   * The kernel weight, {@code (rows, cols, input_channels / groups, filters)}; null before the
   * layer is built.
   */
  public Weight kernel() {
    return kernel;
  }

  @Override
  long outputChannels(long inChannels) {
    return filters;
  }

  @Override
  void buildKernels(long inChannels) {
    if (inChannels % groups != 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Conv2D): the input's "
              + inChannels
              + " channels must be divisible by groups="
              + groups);
    }
    int[] k = window.size();
    kernel =
        addWeight(
            "kernel",
            Shape.of(k[0], k[1], inChannels / groups, filters),
            kernelInitializer,
            kernelRegularizer,
            kernelConstraint,
            true);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    // With groups, TensorFlow's Conv2D reads the group count from the kernel's channel axis.
    return tf.nn.conv2d(x, kernel4d(tf, kernel), window.nhwc(window.strides()), window.tfPadding());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("filters", filters);
    putWindow(config, true);
    config.put("groups", groups);
    putActivationAndBias(config);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put("bias_initializer", biasInitializerConfig());
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put("bias_regularizer", biasRegularizerConfig());
    // When set, the base config already holds it right after "dtype"; put() keeps that place.
    config.put("activity_regularizer", activityRegularizerConfig());
    config.put("kernel_constraint", KerasObjects.serialize("keras.constraints", kernelConstraint));
    config.put("bias_constraint", biasConstraintConfig());
    return config;
  }

  /** Optional arguments of {@link Conv2D}, with Keras 3's defaults. */
  public static final class Builder extends ConvLayerBuilder<Builder> {
    private final int filters;
    private final int[] kernelSize;
    private int groups = 1;

    private Builder(int filters, int[] kernelSize) {
      this.filters = filters;
      this.kernelSize = kernelSize;
    }

    /** Splits channels and filters into this many independent groups (1 by default). */
    public Builder groups(int groups) {
      this.groups = groups;
      return this;
    }

    /** The Conv2D layer with these arguments. */
    public Conv2D build() {
      return new Conv2D(this);
    }
  }
}
