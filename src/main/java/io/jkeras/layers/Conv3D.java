package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * 3D convolution over the depth, rows and columns of a volume (or the frames of a video), as Keras
 * 3's {@code keras.layers.Conv3D}: {@code filters} kernels of {@code kernelSize} slide over the
 * volume, each output is {@code activation(sum over window and channels of x * kernel + bias)}.
 *
 * <p>Arguments, as {@link Conv2D}'s with three spatial axes: {@code filters}, {@code kernelSize}
 * (one size or (depth, rows, cols)), {@code strides} (1), {@code padding} ("valid" or "same"),
 * {@code dataFormat}, {@code dilationRate} (1), {@code groups} (1), {@code activation}, {@code
 * useBias}, initializers, regularizers and constraints.
 *
 * <p>Shapes: input {@code (batch, depth, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, depth, rows, cols)}; output the same with {@code filters} channels and each spatial
 * size n becoming {@code floor((n - d*(k-1) - 1) / s) + 1} ("valid") or {@code ceil(n / s)}
 * ("same").
 *
 * <p>Weights, in this order: {@code kernel} {@code (kDepth, kRows, kCols, channels/groups,
 * filters)}, {@code bias} {@code (filters,)}.
 *
 * <pre>{@code
 * KerasTensor h = new Conv3D(8, 3, "relu").apply(clips); // (None, 8, 32, 32, 3) -> (None, 6, 30, 30, 8)
 * Conv3D c = Conv3D.builder(16, 1, 3, 3).strides(1, 2, 2).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "Convolution3D")
public class Conv3D extends PlainConv {

  /**
   * A 3-D convolution with {@code filters} output channels, a cubic {@code kernelSize} window and
   * Keras's defaults otherwise (stride 1, {@code "valid"} padding, a bias, no activation).
   */
  public Conv3D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /**
   * A 3-D convolution with {@code filters} output channels and a cubic {@code kernelSize} window,
   * followed by the activation named {@code activation}.
   */
  public Conv3D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if {@code filters}, {@code groups} or the window is invalid
   */
  protected Conv3D(Builder b) {
    super(3, b.filters, b.kernelSize, b.groups, b);
  }

  /** A builder; {@code kernelSize} is one size for all three axes or (depth, rows, cols). */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** A Conv3D layer from its Keras config; LoRA is not supported. */
  public static Conv3D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Conv3D", config);
    Builder b = builder(c.positiveInt("filters"), ConvWindow.readTuple(c, "kernel_size", 3, null));
    b.groups(readConfig(c, 3, b));
    return c.finish(b.build());
  }

  /** Optional arguments of {@link Conv3D}, with Keras 3's defaults. */
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

    /** The Conv3D layer with these arguments. */
    public Conv3D build() {
      return new Conv3D(this);
    }
  }
}
