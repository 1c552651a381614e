package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * Depthwise 1D convolution, as Keras 3's {@code keras.layers.DepthwiseConv1D}: each input channel
 * is convolved with its own {@code depthMultiplier} kernels and the channels are not mixed; output
 * channel {@code c*depthMultiplier + m} is input channel c through kernel m.
 *
 * <p>Arguments: {@code kernelSize}, {@code strides} (1), {@code padding} ("valid" or "same"),
 * {@code depthMultiplier} (1), {@code dataFormat}, {@code dilationRate} (1; strides and dilation
 * cannot both exceed 1), {@code activation}, {@code useBias} (true), {@code depthwiseInitializer}
 * ("glorot_uniform"), {@code biasInitializer} ("zeros"), depthwise and bias regularizers and
 * constraints, an activity regularizer. The builder's {@code kernel...} setters (from {@link
 * KernelLayerBuilder}) set the same depthwise kernel.
 *
 * <p>Shapes: input {@code (batch, steps, channels)} (channels_last) or {@code (batch, channels,
 * steps)}; output with {@code channels*depthMultiplier} channels and steps as for {@link Conv1D}
 * (without its causal padding).
 *
 * <p>Weights, in this order: {@code kernel} {@code (k, channels, depthMultiplier)}, {@code bias}
 * {@code (channels*depthMultiplier,)}.
 *
 * <pre>{@code
 * // (None, 50, 8) -> (None, 50, 16)
 * KerasTensor y = DepthwiseConv1D.builder(3).depthMultiplier(2).padding("same").build().apply(x);
 * }</pre>
 */
public class DepthwiseConv1D extends DepthwiseConv {

  /**
   * A depthwise convolution with a {@code kernelSize} window, depth multiplier 1 and Keras's
   * defaults otherwise (stride 1, {@code "valid"} padding, a bias).
   */
  public DepthwiseConv1D(int kernelSize) {
    this(builder(kernelSize));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if the window or {@code depth_multiplier} is invalid
   */
  protected DepthwiseConv1D(Builder b) {
    super(1, b);
  }

  /** A builder; {@code kernelSize} is the window length. */
  public static Builder builder(int... kernelSize) {
    return new Builder(kernelSize);
  }

  /** A DepthwiseConv1D layer from its Keras config. */
  public static DepthwiseConv1D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("DepthwiseConv1D", config);
    Builder b = builder(ConvWindow.readTuple(c, "kernel_size", 1, null));
    readConfig(c, 1, b);
    return c.finish(b.build());
  }

  /** Optional arguments of {@link DepthwiseConv1D}, with Keras 3's defaults. */
  public static final class Builder extends DepthwiseConvBuilder<Builder> {

    private Builder(int[] kernelSize) {
      super(kernelSize);
    }

    /** The DepthwiseConv1D layer with these arguments. */
    public DepthwiseConv1D build() {
      return new DepthwiseConv1D(this);
    }
  }
}
