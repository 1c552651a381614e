package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.activations.Activation;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * 1D convolution over the steps of a sequence, as Keras 3's {@code keras.layers.Conv1D}: {@code
 * filters} kernels of {@code kernelSize} steps slide along the time axis, each output is {@code
 * activation(sum over window and channels of x * kernel + bias)}.
 *
 * <p>Arguments: {@code filters} (positive), {@code kernelSize} (positive), {@code strides} (1),
 * {@code padding} ("valid", "same" or "causal"; "valid" by default), {@code dataFormat}
 * ("channels_last" or "channels_first"), {@code dilationRate} (1; strides and dilation cannot both
 * exceed 1), {@code groups} (1: with g groups, each group of {@code channels/g} input channels
 * feeds {@code filters/g} filters of its own), {@code activation} (none), {@code useBias} (true),
 * {@code kernelInitializer} ("glorot_uniform"), {@code biasInitializer} ("zeros"), kernel and bias
 * regularizers and constraints, an activity regularizer.
 *
 * <p>Shapes: input {@code (batch, steps, channels)}; output {@code (batch, new_steps, filters)}
 * (channels_first: {@code (batch, channels, steps)} and {@code (batch, filters, new_steps)}) with,
 * for k = kernelSize, d = dilationRate, s = strides:
 *
 * <ul>
 *   <li>"valid": {@code new_steps = floor((steps - d*(k-1) - 1) / s) + 1}, which must be positive;
 *   <li>"same" and "causal": {@code new_steps = floor((steps - 1) / s) + 1}. "causal" pads {@code
 *       d*(k-1)} zeros before the first step, so output t sees only inputs up to t.
 * </ul>
 *
 * <p>Weights, in this order: {@code kernel} {@code (kernelSize, channels/groups, filters)}, {@code
 * bias} {@code (filters,)}.
 *
 * <pre>{@code
 * // (None, 100, 50) -> (None, 98, 250)
 * KerasTensor h = new Conv1D(250, 3, "relu").apply(embedded);
 * Conv1D c = Conv1D.builder(64, 5).padding("causal").dilationRate(2).build();
 * Conv1D grouped = Conv1D.builder(8, 3).groups(4).dataFormat("channels_first").build();
 * }</pre>
 */
@KerasClass(aliases = "Convolution1D")
public class Conv1D extends Layer {

  private static final List<String> PADDINGS = List.of("valid", "same", "causal");

  private final int filters;
  private final int kernelSize;
  private final int strides;
  private final String padding;
  private final String dataFormat;
  private final int dilationRate;
  private final int groups;
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
   * A 1-D convolution with {@code filters} output channels, a window of {@code kernelSize} steps
   * and Keras's defaults otherwise (stride 1, {@code "valid"} padding, a bias, no activation).
   */
  public Conv1D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /**
   * A 1-D convolution with {@code filters} output channels and a window of {@code kernelSize}
   * steps, followed by the activation named {@code activation}.
   */
  public Conv1D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if an argument is out of range or unsupported
   */
  protected Conv1D(Builder b) {
    super(b.name);
    if (b.filters <= 0) {
      throw new IllegalArgumentException(
          "Conv1D: filters must be a positive integer, got " + b.filters);
    }
    if (b.kernelSize <= 0) {
      throw new IllegalArgumentException(
          "Conv1D: kernel_size must be a positive integer, got " + b.kernelSize);
    }
    if (b.strides <= 0) {
      throw new IllegalArgumentException(
          "Conv1D: strides must be a positive integer, got " + b.strides);
    }
    if (b.dilationRate <= 0) {
      throw new IllegalArgumentException(
          "Conv1D: dilation_rate must be a positive integer, got " + b.dilationRate);
    }
    if (b.strides > 1 && b.dilationRate > 1) {
      throw new IllegalArgumentException(
          "Conv1D: strides > 1 cannot be combined with dilation_rate > 1 (as in Keras), got"
              + " strides="
              + b.strides
              + " and dilation_rate="
              + b.dilationRate);
    }
    String pad = b.padding == null ? "" : b.padding.toLowerCase(Locale.ROOT);
    if (!PADDINGS.contains(pad)) {
      throw new IllegalArgumentException(
          "Conv1D: padding must be one of " + PADDINGS + ", got \"" + b.padding + "\"");
    }
    String format = b.dataFormat == null ? "channels_last" : b.dataFormat.toLowerCase(Locale.ROOT);
    if (!format.equals("channels_last") && !format.equals("channels_first")) {
      throw new IllegalArgumentException(
          "Conv1D: data_format must be \"channels_last\" or \"channels_first\", got \""
              + b.dataFormat
              + "\"");
    }
    if (b.groups <= 0 || b.filters % b.groups != 0) {
      throw new IllegalArgumentException(
          "Conv1D: groups must be a positive divisor of filters, got groups="
              + b.groups
              + " and filters="
              + b.filters);
    }
    this.filters = b.filters;
    this.kernelSize = b.kernelSize;
    this.strides = b.strides;
    this.padding = pad;
    this.dataFormat = format;
    this.dilationRate = b.dilationRate;
    this.groups = b.groups;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.biasRegularizer = b.biasRegularizer;
    this.kernelConstraint = b.kernelConstraint;
    this.biasConstraint = b.biasConstraint;
    setActivityRegularizer(b.activityRegularizer);
    setInputSpec(InputSpec.rank(3));
  }

  /** A builder for {@code filters} output channels and a window of {@code kernelSize} steps. */
  public static Builder builder(int filters, int kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /**
   * A Conv1D layer from its Keras config, as Python Keras 3 writes it ({@code kernel_size}, {@code
   * strides} and {@code dilation_rate} as one-element lists, or plain integers). LoRA is not
   * supported.
   */
  public static Conv1D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Conv1D", config);
    int filters = c.positiveInt("filters");
    Builder b = builder(filters, c.intOrSingleton("kernel_size", 0)).name(c.name());
    b.strides(c.intOrSingleton("strides", 1));
    b.padding(c.string("padding", "valid"));
    b.dataFormat(c.string("data_format", "channels_last"));
    b.dilationRate(c.intOrSingleton("dilation_rate", 1));
    b.groups(c.integer("groups", 1));
    b.activation(c.activation("activation"));
    b.useBias(c.bool("use_bias", true));
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.biasInitializer(c.initializer("bias_initializer", "zeros"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.biasRegularizer(c.regularizer("bias_regularizer"));
    b.activityRegularizer(c.activityRegularizer());
    b.kernelConstraint(c.constraint("kernel_constraint"));
    b.biasConstraint(c.constraint("bias_constraint"));
    c.requireDefault("lora_rank", null, "LoRA");
    c.requireDefault("lora_alpha", null, "LoRA");
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  /** The number of output channels ({@code filters}). */
  public int filters() {
    return filters;
  }

  /** The window length in steps. */
  public int kernelSize() {
    return kernelSize;
  }

  /** The step between windows. */
  public int strides() {
    return strides;
  }

  /** {@code "valid"}, {@code "same"} or {@code "causal"}. */
  public String padding() {
    return padding;
  }

  /** The spacing between the window's taps (1 is a plain convolution). */
  public int dilationRate() {
    return dilationRate;
  }

  /** The number of channel groups convolved independently (1 is a plain convolution). */
  public int groups() {
    return groups;
  }

  /** {@code "channels_last"} (steps, channels) or {@code "channels_first"} (channels, steps). */
  public String dataFormat() {
    return dataFormat;
  }

  /** The activation applied to the output (linear when none was given). */
  public Activation activation() {
    return activation;
  }

  /**
   * The kernel weight, {@code (kernel_size, input_channels / groups, filters)}; null before the
   * layer is built.
   */
  public Weight kernel() {
    return kernel;
  }

  /** The bias weight, {@code (filters,)}; null before the layer is built or without a bias. */
  public Weight bias() {
    return bias;
  }

  @Override
  protected void build(Shape inputShape) {
    computeOutputShape(inputShape); // rejects inputs too short for the kernel
    int channelAxis = channelsFirst() ? 1 : 2;
    long channels = inputShape.size(channelAxis);
    if (channels < 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Conv1D): the channel axis ("
              + (channelsFirst() ? "1, channels_first" : "last")
              + ") of the input must be known, got "
              + KerasShape.format(inputShape));
    }
    if (channels % groups != 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Conv1D): the input's "
              + channels
              + " channels must be divisible by groups="
              + groups
              + ", got an input of shape "
              + KerasShape.format(inputShape));
    }
    kernel =
        addWeight(
            "kernel",
            Shape.of(kernelSize, channels / groups, filters),
            kernelInitializer,
            kernelRegularizer,
            kernelConstraint,
            true);
    if (useBias) {
      bias =
          addWeight(
              "bias", Shape.of(filters), biasInitializer, biasRegularizer, biasConstraint, true);
    }
    setInputSpec(InputSpec.rank(3).withAxis(channelAxis, channels));
  }

  private boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.numDimensions() != 3) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Conv1D): expected an input of rank 3 "
              + (channelsFirst() ? "(batch, channels, steps)" : "(batch, steps, channels)")
              + ", got "
              + KerasShape.format(inputShape));
    }
    long steps = inputShape.size(channelsFirst() ? 2 : 1);
    long outSteps = Shape.UNKNOWN_SIZE;
    if (steps >= 0) {
      if (padding.equals("valid")) {
        long span = (long) dilationRate * (kernelSize - 1) + 1; // the dilated kernel's extent
        outSteps = Math.floorDiv(steps - span, strides) + 1;
        if (outSteps <= 0) {
          throw new IllegalArgumentException(
              "Layer \""
                  + name()
                  + "\" (Conv1D): the output would have "
                  + outSteps
                  + " steps: input "
                  + KerasShape.format(inputShape)
                  + " has "
                  + steps
                  + " steps, fewer than the kernel's extent "
                  + span
                  + " (kernel_size="
                  + kernelSize
                  + ", dilation_rate="
                  + dilationRate
                  + ") with padding=\"valid\"");
        }
      } else {
        outSteps = Math.floorDiv(steps - 1, strides) + 1;
      }
    }
    return channelsFirst()
        ? Shape.of(inputShape.size(0), filters, outSteps)
        : Shape.of(inputShape.size(0), outSteps, filters);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    // channels_first runs as channels_last between two transposes.
    int[] swap = {0, 2, 1};
    Operand<TFloat32> x = channelsFirst() ? tf.linalg.transpose(inputs, tf.constant(swap)) : inputs;
    String tfPadding = padding.equals("same") ? "SAME" : "VALID";
    if (padding.equals("causal")) {
      int left = dilationRate * (kernelSize - 1);
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {left, 0}, {0, 0}}), tf.constant(0f));
    }
    // As a 2D convolution over a height of 1: x (batch, 1, steps, channels), kernel (1, k, c/g, f);
    // with groups, TensorFlow's Conv2D reads the group count from the kernel's channel axis.
    Operand<TFloat32> x4 = tf.expandDims(x, tf.constant(1));
    Operand<TFloat32> k4 = tf.expandDims(dilatedKernel(tf), tf.constant(0));
    Operand<TFloat32> y = tf.nn.conv2d(x4, k4, List.of(1L, 1L, (long) strides, 1L), tfPadding);
    // Bias and activation before the squeeze: the squeeze's gradient reads its input's shape, and
    // a second reader of the Conv2D output would stop grappler fusing Conv2D + BiasAdd + Relu into
    // one pass (_FusedConv2D) in training graphs.
    if (useBias) {
      y = tf.nn.biasAdd(y, bias.value());
    }
    y = activation.apply(tf, y);
    Operand<TFloat32> out = tf.squeeze(y, Squeeze.axis(List.of(1L)));
    return channelsFirst() ? tf.linalg.transpose(out, tf.constant(swap)) : out;
  }

  /**
   * The kernel with {@code dilationRate - 1} zero taps between its taps: {@code (span, c/g, f)}
   * with {@code span = d*(k-1) + 1}. A dilated convolution is an ordinary one with this kernel.
   *
   * <p>TensorFlow's Conv2D {@code dilations} attribute is not used: the C++ gradient of Conv2D that
   * graph gradients rely on drops it, which aborts the JVM inside oneDNN (or, with oneDNN off,
   * fails with a shape mismatch). Zero taps cost d times the multiply-adds but have correct
   * gradients (Pad, Reshape and Slice).
   */
  private Operand<TFloat32> dilatedKernel(Ops tf) {
    Operand<TFloat32> w = kernel.value();
    if (dilationRate == 1) {
      return w;
    }
    int c = (int) kernel.shape().size(1);
    int span = dilationRate * (kernelSize - 1) + 1;
    // (k, c, f) -> (k, 1, c, f) -> zeros after each tap (k, d, c, f) -> (k*d, c, f) -> first span.
    Operand<TFloat32> padded =
        tf.pad(
            tf.expandDims(w, tf.constant(1)),
            tf.constant(new int[][] {{0, 0}, {0, dilationRate - 1}, {0, 0}, {0, 0}}),
            tf.constant(0f));
    Operand<TFloat32> spread =
        tf.reshape(padded, tf.constant(new int[] {kernelSize * dilationRate, c, filters}));
    return tf.slice(
        spread, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {span, c, filters}));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("filters", filters);
    config.put("kernel_size", List.of(kernelSize));
    config.put("strides", List.of(strides));
    config.put("padding", padding);
    config.put("data_format", dataFormat);
    config.put("dilation_rate", List.of(dilationRate));
    config.put("groups", groups);
    config.put("activation", activation.name());
    config.put("use_bias", useBias);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put("bias_initializer", KerasObjects.serialize("keras.initializers", biasInitializer));
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put("bias_regularizer", KerasObjects.serialize("keras.regularizers", biasRegularizer));
    // When set, the base config already holds it right after "dtype"; put() keeps that place, as
    // Keras's dict update does.
    config.put(
        "activity_regularizer",
        KerasObjects.serialize("keras.regularizers", activityRegularizer()));
    config.put("kernel_constraint", KerasObjects.serialize("keras.constraints", kernelConstraint));
    config.put("bias_constraint", KerasObjects.serialize("keras.constraints", biasConstraint));
    return config;
  }

  /** Optional arguments of {@link Conv1D}, with Keras 3's defaults. */
  public static final class Builder extends KernelLayerBuilder<Builder> {
    private final int filters;
    private final int kernelSize;
    private int strides = 1;
    private String padding = "valid";
    private String dataFormat = "channels_last";
    private int dilationRate = 1;
    private int groups = 1;

    private Builder(int filters, int kernelSize) {
      this.filters = filters;
      this.kernelSize = kernelSize;
    }

    /** The step between windows (default 1). */
    public Builder strides(int strides) {
      this.strides = strides;
      return this;
    }

    /** {@code "valid"} (default), {@code "same"} or {@code "causal"}. */
    public Builder padding(String padding) {
      this.padding = padding;
      return this;
    }

    /**
     * {@code "channels_last"} (the default: inputs {@code (batch, steps, channels)}) or {@code
     * "channels_first"} ({@code (batch, channels, steps)}).
     */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }

    /** The spacing between the window's taps (default 1); above 1 requires stride 1. */
    public Builder dilationRate(int dilationRate) {
      this.dilationRate = dilationRate;
      return this;
    }

    /** Splits channels and filters into this many independent groups (1 by default). */
    public Builder groups(int groups) {
      this.groups = groups;
      return this;
    }

    /** The Conv1D layer with these arguments. */
    public Conv1D build() {
      return new Conv1D(this);
    }
  }
}
