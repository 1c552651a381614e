package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * Transposed 1D convolution, as Keras 3's {@code keras.layers.Conv1DTranspose}: the gradient of a
 * Conv1D with respect to its input, so that each input position spreads {@code kernel * x} over a
 * window of the (larger) output; used to upsample sequences.
 *
 * <p>Arguments: {@code filters} (positive), {@code kernelSize}, {@code strides} (1), {@code
 * padding} ("valid" or "same"), {@code outputPadding} (none; else one value smaller than the
 * stride), {@code dataFormat}, {@code dilationRate} (1; strides and dilation cannot both exceed 1),
 * {@code activation}, {@code useBias} and the kernel/bias initializers, regularizers and
 * constraints as in {@link Conv1D}.
 *
 * <p>Shapes: input {@code (batch, steps, channels)} (channels_last) or {@code (batch, channels,
 * steps)}; output with {@code filters} channels and, for n steps, kernel extent {@code K = d*(k-1)
 * + 1} and stride s:
 *
 * <ul>
 *   <li>without output padding: {@code n*s + max(K - s, 0)} ("valid") or {@code n*s} ("same");
 *   <li>with output padding p: {@code (n-1)*s + K + p} ("valid") or {@code (n-1)*s + K%2 + p}
 *       ("same").
 * </ul>
 *
 * <p>Weights, in this order: {@code kernel} {@code (k, filters, channels)} (Keras's order: output
 * channels before input channels), {@code bias} {@code (filters,)}.
 *
 * <pre>{@code
 * // (None, 50, 32) -> (None, 100, 16)
 * KerasTensor up = Conv1DTranspose.builder(16, 3).strides(2).padding("same").build().apply(x);
 * }</pre>
 */
@KerasClass(aliases = "Convolution1DTranspose")
public class Conv1DTranspose extends TransposedConv {

  /**
   * A transposed 1-D convolution with {@code filters} output channels, a {@code kernelSize} window
   * and Keras's defaults otherwise (stride 1, {@code "valid"} padding, a bias, no activation).
   */
  public Conv1DTranspose(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if {@code filters} or the window is invalid
   */
  protected Conv1DTranspose(Builder b) {
    super(1, b.filters, b.kernelSize, b.outputPadding, b);
  }

  /** A builder; {@code kernelSize} is the window length. */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** A Conv1DTranspose layer from its Keras config. */
  public static Conv1DTranspose fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Conv1DTranspose", config);
    Builder b = builder(c.positiveInt("filters"), ConvWindow.readTuple(c, "kernel_size", 1, null));
    b.outputPadding = readConfig(c, 1, b);
    return c.finish(b.build());
  }

  /** Optional arguments of {@link Conv1DTranspose}, with Keras 3's defaults. */
  public static final class Builder extends ConvLayerBuilder<Builder> {
    private final int filters;
    private final int[] kernelSize;
    private int[] outputPadding;

    private Builder(int filters, int[] kernelSize) {
      this.filters = filters;
      this.kernelSize = kernelSize;
    }

    /** Extra steps at the end of the output, below the stride. */
    public Builder outputPadding(int... outputPadding) {
      this.outputPadding = outputPadding.clone();
      return this;
    }

    /** The Conv1DTranspose layer with these arguments. */
    public Conv1DTranspose build() {
      return new Conv1DTranspose(this);
    }
  }
}
