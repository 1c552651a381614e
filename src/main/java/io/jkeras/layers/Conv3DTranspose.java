package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * Transposed 3D convolution, as Keras 3's {@code keras.layers.Conv3DTranspose}: the gradient of a
 * Conv3D with respect to its input, so that each input position spreads {@code kernel * x} over a
 * window of the (larger) output; used to upsample volumes.
 *
 * <p>Arguments: {@code filters} (positive), {@code kernelSize} (one size or (depth, rows, cols)),
 * {@code strides} (1), {@code padding} ("valid" or "same"), {@code outputPadding} (none; else one
 * value per axis, each smaller than its stride), {@code dataFormat}, {@code dilationRate} (1;
 * strides and dilation cannot both exceed 1), {@code activation}, {@code useBias} and the
 * kernel/bias initializers, regularizers and constraints as in {@link Conv3D}.
 *
 * <p>Shapes: input {@code (batch, depth, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, depth, rows, cols)}; output with {@code filters} channels and, for each spatial size n,
 * kernel extent {@code K = d*(k-1) + 1} and stride s:
 *
 * <ul>
 *   <li>without output padding: {@code n*s + max(K - s, 0)} ("valid") or {@code n*s} ("same");
 *   <li>with output padding p: {@code (n-1)*s + K + p} ("valid") or {@code (n-1)*s + K%2 + p}
 *       ("same").
 * </ul>
 *
 * <p>Weights, in this order: {@code kernel} {@code (kDepth, kRows, kCols, filters, channels)}
 * (Keras's order: output channels before input channels), {@code bias} {@code (filters,)}.
 *
 * <pre>{@code
 * // (None, 4, 7, 7, 32) -> (None, 8, 14, 14, 16)
 * KerasTensor up = Conv3DTranspose.builder(16, 3).strides(2).padding("same").build().apply(x);
 * }</pre>
 */
@KerasClass(aliases = "Convolution3DTranspose")
public class Conv3DTranspose extends TransposedConv {

  /**
   * A transposed 3-D convolution with {@code filters} output channels, a cubic {@code kernelSize}
   * window and Keras's defaults otherwise (stride 1, {@code "valid"} padding, a bias, no
   * activation).
   */
  public Conv3DTranspose(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if {@code filters} or the window is invalid
   */
  protected Conv3DTranspose(Builder b) {
    super(3, b.filters, b.kernelSize, b.outputPadding, b);
  }

  /** A builder; {@code kernelSize} is one size for all three axes or (depth, rows, cols). */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** A Conv3DTranspose layer from its Keras config. */
  public static Conv3DTranspose fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Conv3DTranspose", config);
    Builder b = builder(c.positiveInt("filters"), ConvWindow.readTuple(c, "kernel_size", 3, null));
    b.outputPadding = readConfig(c, 3, b);
    return c.finish(b.build());
  }

  /** Optional arguments of {@link Conv3DTranspose}, with Keras 3's defaults. */
  public static final class Builder extends ConvLayerBuilder<Builder> {
    private final int filters;
    private final int[] kernelSize;
    private int[] outputPadding;

    private Builder(int filters, int[] kernelSize) {
      this.filters = filters;
      this.kernelSize = kernelSize;
    }

    /** Extra positions at the end of each output axis: one value or one per axis, below strides. */
    public Builder outputPadding(int... outputPadding) {
      this.outputPadding = outputPadding.clone();
      return this;
    }

    /** The Conv3DTranspose layer with these arguments. */
    public Conv3DTranspose build() {
      return new Conv3DTranspose(this);
    }
  }
}
