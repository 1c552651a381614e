package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;

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
public class DepthwiseConv2D extends DepthwiseConv {

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
    super(2, b);
  }

  /** A builder; {@code kernelSize} is one size for both axes or (rows, cols). */
  public static Builder builder(int... kernelSize) {
    return new Builder(kernelSize);
  }

  /** A DepthwiseConv2D layer from its Keras config. */
  public static DepthwiseConv2D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("DepthwiseConv2D", config);
    Builder b = builder(ConvWindow.readTuple(c, "kernel_size", 2, null));
    readConfig(c, 2, b);
    return c.finish(b.build());
  }

  /** Optional arguments of {@link DepthwiseConv2D}, with Keras 3's defaults. */
  public static final class Builder extends DepthwiseConvBuilder<Builder> {

    private Builder(int[] kernelSize) {
      super(kernelSize);
    }

    /** The DepthwiseConv2D layer with these arguments. */
    public DepthwiseConv2D build() {
      return new DepthwiseConv2D(this);
    }
  }
}
