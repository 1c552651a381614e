package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

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
public class Conv2D extends PlainConv {

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
    super(2, b.filters, b.kernelSize, b.groups, b);
  }

  /** A builder; {@code kernelSize} is one size for both axes or (rows, cols). */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** A Conv2D layer from its Keras config; LoRA is not supported. */
  public static Conv2D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Conv2D", config);
    Builder b = builder(c.positiveInt("filters"), ConvWindow.readTuple(c, "kernel_size", 2, null));
    b.groups(readConfig(c, 2, b));
    return c.finish(b.build());
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
