package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Transposed 2D convolution ("deconvolution"), as Keras 3's {@code keras.layers.Conv2DTranspose}:
 * the gradient of a Conv2D with respect to its input, so that each input position spreads {@code
 * kernel * x} over a window of the (larger) output; used to upsample feature maps.
 *
 * <p>Arguments: {@code filters} (positive), {@code kernelSize} (one size or (rows, cols)), {@code
 * strides} (1), {@code padding} ("valid" or "same"), {@code outputPadding} (none; else one value
 * per axis, each smaller than its stride), {@code dataFormat}, {@code dilationRate} (1; strides and
 * dilation cannot both exceed 1), {@code activation}, {@code useBias} and the kernel/bias
 * initializers, regularizers and constraints as in {@link Conv2D}.
 *
 * <p>Shapes: input {@code (batch, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, rows, cols)}; output with {@code filters} channels and, for each spatial size n, kernel
 * extent {@code K = d*(k-1) + 1} and stride s:
 *
 * <ul>
 *   <li>without output padding: {@code n*s + max(K - s, 0)} ("valid") or {@code n*s} ("same");
 *   <li>with output padding p: {@code (n-1)*s + K + p} ("valid") or {@code (n-1)*s + K%2 + p}
 *       ("same").
 * </ul>
 *
 * <p>Weights, in this order: {@code kernel} {@code (kRows, kCols, filters, channels)} (Keras's
 * order: output channels before input channels), {@code bias} {@code (filters,)}.
 *
 * <pre>{@code
 * // (None, 7, 7, 32) -> (None, 14, 14, 16)
 * KerasTensor up = Conv2DTranspose.builder(16, 3).strides(2).padding("same").build().apply(x);
 * }</pre>
 */
@KerasClass(aliases = "Convolution2DTranspose")
public class Conv2DTranspose extends BaseConv {

  private final int filters;
  private final int[] outputPadding;
  private final Initializer kernelInitializer;
  private final Regularizer kernelRegularizer;
  private final Constraint kernelConstraint;
  private Weight kernel;

  /**
   * A transposed 2-D convolution with {@code filters} output channels, a square {@code kernelSize}
   * window and Keras's defaults otherwise (stride 1, {@code "valid"} padding, a bias, no
   * activation).
   */
  public Conv2DTranspose(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if {@code filters} or the window is invalid
   */
  protected Conv2DTranspose(Builder b) {
    super(window("Conv2DTranspose", 2, b.kernelSize, b), b);
    if (b.filters <= 0) {
      throw new IllegalArgumentException(
          "Conv2DTranspose: filters must be a positive integer, got " + b.filters);
    }
    int[] pad = expand(b.outputPadding, 2);
    if (pad != null) {
      int[] s = window.strides();
      if (pad.length != 2) {
        throw new IllegalArgumentException(
            "Conv2DTranspose: output_padding must be one integer or 2 integers, got "
                + Arrays.toString(pad));
      }
      for (int i = 0; i < 2; i++) {
        if (pad[i] < 0 || pad[i] >= s[i]) {
          throw new IllegalArgumentException(
              "Conv2DTranspose: output_padding must be non-negative and smaller than strides,"
                  + " got output_padding="
                  + Arrays.toString(pad)
                  + " with strides="
                  + Arrays.toString(s));
        }
      }
    }
    this.filters = b.filters;
    this.outputPadding = pad;
    this.kernelInitializer = b.kernelInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.kernelConstraint = b.kernelConstraint;
  }

  /** A builder; {@code kernelSize} is one size for both axes or (rows, cols). */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** A Conv2DTranspose layer from its Keras config. */
  public static Conv2DTranspose fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Conv2DTranspose", config);
    Builder b = builder(c.positiveInt("filters"), ConvWindow.readTuple(c, "kernel_size", 2, null));
    readCommon(c, 2, b);
    b.outputPadding = ConvWindow.readTuple(c, "output_padding", 2, null);
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.kernelConstraint(c.constraint("kernel_constraint"));
    return c.finish(b.build());
  }

  /** The number of output channels ({@code filters}). */
  public int filters() {
    return filters;
  }

  /** The output padding per axis, or null (Keras's default). */
  public int[] outputPadding() {
    return outputPadding == null ? null : outputPadding.clone();
  }

  /**
   * The kernel weight, {@code (rows, cols, filters, input_channels)}; null before the layer is
   * built.
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
    int[] k = window.size();
    kernel =
        addWeight(
            "kernel",
            Shape.of(k[0], k[1], filters, inChannels),
            kernelInitializer,
            kernelRegularizer,
            kernelConstraint,
            true);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    window.channels(name(), inputShape); // checks the rank
    int first = window.channelsFirst() ? 2 : 1;
    long[] out = inputShape.asArray().clone();
    for (int i = 0; i < 2; i++) {
      long n = inputShape.size(first + i);
      out[first + i] = n < 0 ? Shape.UNKNOWN_SIZE : outputLength(i, n);
    }
    out[window.channelAxis()] = filters;
    return Shape.of(out);
  }

  /** Keras's output size of spatial axis {@code axis} for {@code n} input positions. */
  private long outputLength(int axis, long n) {
    int s = window.strides()[axis];
    long extent = (long) window.dilation()[axis] * (window.size()[axis] - 1) + 1;
    boolean valid = window.padding().equals("valid");
    if (outputPadding == null) {
      return valid ? n * s + Math.max(extent - s, 0) : n * s;
    }
    return valid
        ? (n - 1) * s + extent + outputPadding[axis]
        : (n - 1) * s + extent % 2 + outputPadding[axis];
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    long rows = x.shape().size(1);
    long cols = x.shape().size(2);
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Conv2DTranspose): the spatial sizes of the input must be known, got "
              + KerasShape.format(x.shape()));
    }
    Operand<TInt32> batch =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> sizes =
        tf.concat(
            List.of(
                batch,
                tf.constant(
                    new int[] {
                      Math.toIntExact(outputLength(0, rows)),
                      Math.toIntExact(outputLength(1, cols)),
                      filters
                    })),
            tf.constant(0));
    return tf.nn.conv2dBackpropInput(
        sizes, kernel4d(tf, kernel), x, window.nhwc(window.strides()), window.tfPadding());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("filters", filters);
    config.put("kernel_size", ConvWindow.toConfig(window.size()));
    config.put("strides", ConvWindow.toConfig(window.strides()));
    config.put("padding", window.padding());
    config.put("output_padding", outputPadding == null ? null : ConvWindow.toConfig(outputPadding));
    config.put("data_format", window.dataFormat());
    config.put("dilation_rate", ConvWindow.toConfig(window.dilation()));
    putActivationAndBias(config);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put("bias_initializer", biasInitializerConfig());
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put("bias_regularizer", biasRegularizerConfig());
    config.put("activity_regularizer", activityRegularizerConfig());
    config.put("kernel_constraint", KerasObjects.serialize("keras.constraints", kernelConstraint));
    config.put("bias_constraint", biasConstraintConfig());
    return config;
  }

  /** Optional arguments of {@link Conv2DTranspose}, with Keras 3's defaults. */
  public static final class Builder extends ConvLayerBuilder<Builder> {
    private final int filters;
    private final int[] kernelSize;
    private int[] outputPadding;

    private Builder(int filters, int[] kernelSize) {
      this.filters = filters;
      this.kernelSize = kernelSize;
    }

    /** Extra rows/columns at the end of the output: one value or one per axis, below strides. */
    public Builder outputPadding(int... outputPadding) {
      this.outputPadding = outputPadding.clone();
      return this;
    }

    /** The Conv2DTranspose layer with these arguments. */
    public Conv2DTranspose build() {
      return new Conv2DTranspose(this);
    }
  }
}
