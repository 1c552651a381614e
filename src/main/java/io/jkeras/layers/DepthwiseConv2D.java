package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Depthwise 2D convolution, as Keras 3's {@code keras.layers.DepthwiseConv2D}: each input channel
 * is convolved with its own {@code depthMultiplier} kernels and the channels are not mixed; output
 * channel {@code c*depthMultiplier + m} is input channel c through kernel m.
 *
 * <p>Arguments: {@code kernelSize} (one size or (rows, cols)), {@code strides} (1), {@code padding}
 * ("valid" or "same"), {@code depthMultiplier} (1), {@code dataFormat}, {@code dilationRate} (1;
 * strides and dilation cannot both exceed 1), {@code activation}, {@code useBias} (true), {@code
 * depthwiseInitializer} ("glorot_uniform"), {@code biasInitializer} ("zeros"), depthwise and bias
 * regularizers and constraints, an activity regularizer. The builder's {@code kernel...} setters
 * (from {@link KernelLayerBuilder}) set the same depthwise kernel.
 *
 * <p>Shapes: input {@code (batch, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, rows, cols)}; output with {@code channels*depthMultiplier} channels and spatial sizes
 * as for {@link Conv2D}.
 *
 * <p>Weights, in this order: {@code kernel} {@code (kRows, kCols, channels, depthMultiplier)},
 * {@code bias} {@code (channels*depthMultiplier,)}.
 *
 * <pre>{@code
 * // (None, 16, 16, 8) -> (None, 16, 16, 16)
 * KerasTensor y = DepthwiseConv2D.builder(3).depthMultiplier(2).padding("same").build().apply(x);
 * }</pre>
 */
public class DepthwiseConv2D extends BaseConv {

  private final int depthMultiplier;
  private final Initializer depthwiseInitializer;
  private final Regularizer depthwiseRegularizer;
  private final Constraint depthwiseConstraint;
  private Weight kernel;

  /**
   * A depthwise convolution with a square {@code kernelSize} window, depth multiplier 1 and Keras's
   * defaults otherwise (stride 1, {@code "valid"} padding, a bias).
   */
  public DepthwiseConv2D(int kernelSize) {
    this(builder(kernelSize));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if the window or {@code depth_multiplier} is invalid
   */
  protected DepthwiseConv2D(Builder b) {
    super(window("DepthwiseConv2D", 2, b.kernelSize, b), b);
    if (b.depthMultiplier <= 0) {
      throw new IllegalArgumentException(
          "DepthwiseConv2D: depth_multiplier must be a positive integer, got " + b.depthMultiplier);
    }
    this.depthMultiplier = b.depthMultiplier;
    this.depthwiseInitializer = b.kernelInitializer;
    this.depthwiseRegularizer = b.kernelRegularizer;
    this.depthwiseConstraint = b.kernelConstraint;
  }

  /** A builder; {@code kernelSize} is one size for both axes or (rows, cols). */
  public static Builder builder(int... kernelSize) {
    return new Builder(kernelSize);
  }

  /** A DepthwiseConv2D layer from its Keras config. */
  public static DepthwiseConv2D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("DepthwiseConv2D", config);
    Builder b = builder(ConvWindow.readTuple(c, "kernel_size", 2, null));
    readCommon(c, 2, b);
    b.depthMultiplier(c.integer("depth_multiplier", 1));
    b.kernelInitializer(c.initializer("depthwise_initializer", "glorot_uniform"));
    b.kernelRegularizer(c.regularizer("depthwise_regularizer"));
    b.kernelConstraint(c.constraint("depthwise_constraint"));
    return c.finish(b.build());
  }

  /** How many output channels each input channel gets ({@code depth_multiplier}). */
  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** The depthwise kernel (Keras names it {@code kernel}). */
  public Weight kernel() {
    return kernel;
  }

  @Override
  long outputChannels(long inChannels) {
    return inChannels * depthMultiplier;
  }

  @Override
  void buildKernels(long inChannels) {
    int[] k = window.size();
    kernel =
        addWeight(
            "kernel",
            Shape.of(k[0], k[1], inChannels, depthMultiplier),
            depthwiseInitializer,
            depthwiseRegularizer,
            depthwiseConstraint,
            true);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    return tf.nn.depthwiseConv2dNative(
        x, kernel4d(tf, kernel), window.nhwc(window.strides()), window.tfPadding());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("depth_multiplier", depthMultiplier);
    putWindow(config, true);
    putActivationAndBias(config);
    config.put(
        "depthwise_initializer",
        KerasObjects.serialize("keras.initializers", depthwiseInitializer));
    config.put("bias_initializer", biasInitializerConfig());
    config.put(
        "depthwise_regularizer",
        KerasObjects.serialize("keras.regularizers", depthwiseRegularizer));
    config.put("bias_regularizer", biasRegularizerConfig());
    config.put("activity_regularizer", activityRegularizerConfig());
    config.put(
        "depthwise_constraint", KerasObjects.serialize("keras.constraints", depthwiseConstraint));
    config.put("bias_constraint", biasConstraintConfig());
    return config;
  }

  /** Optional arguments of {@link DepthwiseConv2D}, with Keras 3's defaults. */
  public static final class Builder extends ConvLayerBuilder<Builder> {
    private final int[] kernelSize;
    private int depthMultiplier = 1;

    private Builder(int[] kernelSize) {
      this.kernelSize = kernelSize;
    }

    /** Output channels per input channel (1 by default). */
    public Builder depthMultiplier(int depthMultiplier) {
      this.depthMultiplier = depthMultiplier;
      return this;
    }

    /**
     * The initializer of the depthwise kernel, by Keras name (default {@code "glorot_uniform"}).
     */
    public Builder depthwiseInitializer(String initializer) {
      return kernelInitializer(Initializers.get(initializer));
    }

    /** The initializer of the depthwise kernel (default Glorot uniform). */
    public Builder depthwiseInitializer(Initializer initializer) {
      return kernelInitializer(initializer);
    }

    /** The regularizer of the depthwise kernel, by Keras name (default none). */
    public Builder depthwiseRegularizer(String regularizer) {
      return kernelRegularizer(Regularizers.get(regularizer));
    }

    /** The constraint on the depthwise kernel, by Keras name (default none). */
    public Builder depthwiseConstraint(String constraint) {
      return kernelConstraint(Constraints.get(constraint));
    }

    /** The DepthwiseConv2D layer with these arguments. */
    public DepthwiseConv2D build() {
      return new DepthwiseConv2D(this);
    }
  }
}
