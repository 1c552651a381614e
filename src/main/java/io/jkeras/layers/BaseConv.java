package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.activations.Activation;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * What Keras's 2-D and 3-D (and separable 1-D) convolution layers share: the window ({@link
 * ConvWindow}), the activation, the optional bias and the order of the steps in {@code call}: to
 * channels-last, 1-D inputs as images of height 1, the layer's own convolution, bias, activation,
 * and back to the layer's data format.
 *
 * <p>A subclass creates its kernels in {@link #buildKernels} (in Keras's weight order; the bias
 * comes last), gives its output channel count, and emits the convolution on a channels-last input
 * (4-D, or 5-D for 3-D layers) with {@link #convolve}.
 */
abstract class BaseConv extends Layer {

  static final List<String> PADDINGS = List.of("valid", "same");

  final ConvWindow window;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer biasInitializer;
  private final Regularizer biasRegularizer;
  private final Constraint biasConstraint;
  private Weight bias;

  BaseConv(ConvWindow window, ConvLayerBuilder<?> b) {
    super(b.name);
    if (window.strided() && window.dilated()) {
      throw new IllegalArgumentException(
          className()
              + ": strides > 1 cannot be combined with dilation_rate > 1 (as in Keras), got"
              + " strides="
              + java.util.Arrays.toString(window.strides())
              + " and dilation_rate="
              + java.util.Arrays.toString(window.dilation()));
    }
    this.window = window;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.biasInitializer = b.biasInitializer;
    this.biasRegularizer = b.biasRegularizer;
    this.biasConstraint = b.biasConstraint;
    setActivityRegularizer(b.activityRegularizer);
    setInputSpec(InputSpec.rank(window.rank() + 2));
  }

  /** A window of this layer's class from a builder's settings. */
  static ConvWindow window(String className, int rank, int[] kernelSize, ConvLayerBuilder<?> b) {
    return new ConvWindow(
        className,
        rank,
        "kernel_size",
        expand(kernelSize, rank),
        expand(b.strides, rank),
        expand(b.dilationRate, rank),
        b.padding,
        PADDINGS,
        b.dataFormat);
  }

  /** One integer stands for every axis, as in Keras. */
  static int[] expand(int[] values, int rank) {
    return values != null && values.length == 1 && rank > 1
        ? ConvWindow.repeat(values[0], rank)
        : values;
  }

  /** The number of output channels for {@code inChannels} input channels. */
  abstract long outputChannels(long inChannels);

  /** Creates the kernels, in Keras's weight order, for {@code inChannels} input channels. */
  abstract void buildKernels(long inChannels);

  /**
   * The convolution (without bias and activation) of a channels-last input {@code x}: {@code
   * (batch, rows, cols, channels)}, {@code (batch, 1, steps, channels)} for 1-D layers, {@code
   * (batch, depth, rows, cols, channels)} for 3-D layers.
   */
  abstract Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x);

  /**
   * A kernel with its spatial axes first, dilated by zero taps ({@link ConvWindow#dilate}) and, for
   * 1-D layers, given a height of 1: ready for TensorFlow's 2-D (or 3-D) ops.
   */
  final Operand<TFloat32> kernel4d(Ops tf, Weight kernel) {
    Operand<TFloat32> w = window.dilate(tf, kernel.value(), kernel.shape());
    return window.rank() == 1 ? tf.expandDims(w, tf.constant(0)) : w;
  }

  public Activation activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
  }

  /** The bias, or null without one or before the layer is built. */
  public Weight bias() {
    return bias;
  }

  public int[] kernelSize() {
    return window.size();
  }

  public int[] strides() {
    return window.strides();
  }

  public String padding() {
    return window.padding();
  }

  public String dataFormat() {
    return window.dataFormat();
  }

  public int[] dilationRate() {
    return window.dilation();
  }

  @Override
  protected void build(Shape inputShape) {
    long channels = window.knownChannels(name(), inputShape);
    computeOutputShape(inputShape); // rejects inputs smaller than the window
    buildKernels(channels);
    if (useBias) {
      bias =
          addWeight(
              "bias",
              Shape.of(outputChannels(channels)),
              biasInitializer,
              biasRegularizer,
              biasConstraint,
              true);
    }
    setInputSpec(InputSpec.rank(window.rank() + 2).withAxis(window.channelAxis(), channels));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long channels = window.channels(name(), inputShape);
    return window.outputShape(name(), inputShape, channels < 0 ? -1 : outputChannels(channels));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> x = window.toChannelsLast(tf, inputs);
    if (window.rank() == 1) {
      x = tf.expandDims(x, tf.constant(1));
    }
    Operand<TFloat32> y = convolve(tf, x);
    if (window.rank() == 1) {
      y = tf.squeeze(y, Squeeze.axis(List.of(1L)));
    }
    if (useBias) {
      y = tf.nn.biasAdd(y, bias.value());
    }
    return window.fromChannelsLast(tf, activation.apply(tf, y));
  }

  // ---- config: each subclass writes its keys in Keras's order with these -----------------------

  final void putWindow(Map<String, Object> config, boolean withDilation) {
    config.put("kernel_size", ConvWindow.toConfig(window.size()));
    config.put("strides", ConvWindow.toConfig(window.strides()));
    config.put("padding", window.padding());
    config.put("data_format", window.dataFormat());
    if (withDilation) {
      config.put("dilation_rate", ConvWindow.toConfig(window.dilation()));
    }
  }

  final void putActivationAndBias(Map<String, Object> config) {
    config.put("activation", activation.name());
    config.put("use_bias", useBias);
  }

  final Object biasInitializerConfig() {
    return KerasObjects.serialize("keras.initializers", biasInitializer);
  }

  final Object biasRegularizerConfig() {
    return KerasObjects.serialize("keras.regularizers", biasRegularizer);
  }

  final Object biasConstraintConfig() {
    return KerasObjects.serialize("keras.constraints", biasConstraint);
  }

  final Object activityRegularizerConfig() {
    return KerasObjects.serialize("keras.regularizers", activityRegularizer());
  }

  /**
   * Reads what every convolution config holds: name, strides, padding, data_format, dilation_rate,
   * activation, use_bias, the bias's initializer, regularizer and constraint, the activity
   * regularizer; LoRA must be off.
   */
  static void readCommon(ConfigReader c, int rank, ConvLayerBuilder<?> b) {
    b.name(c.name());
    b.strides = ConvWindow.readTuple(c, "strides", rank, ConvWindow.repeat(1, rank));
    b.padding(c.string("padding", "valid"));
    b.dataFormat(c.string("data_format", "channels_last"));
    b.dilationRate = ConvWindow.readTuple(c, "dilation_rate", rank, ConvWindow.repeat(1, rank));
    b.activation(c.activation("activation"));
    b.useBias(c.bool("use_bias", true));
    b.biasInitializer(c.initializer("bias_initializer", "zeros"));
    b.biasRegularizer(c.regularizer("bias_regularizer"));
    b.biasConstraint(c.constraint("bias_constraint"));
    b.activityRegularizer(c.activityRegularizer());
    c.requireDefault("lora_rank", null, "LoRA");
    c.requireDefault("lora_alpha", null, "LoRA");
    c.requireFloat32Dtype();
  }
}
