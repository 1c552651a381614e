package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What Keras's transposed convolutions ({@link Conv1DTranspose}, {@link Conv2DTranspose}) share:
 * the kernel {@code (k..., filters, channels)} (output channels before input channels, as Keras),
 * the optional output padding, Keras's output sizes, and the convolution as TensorFlow's input
 * gradient of a 2-D convolution (1-D layers as images of height 1).
 */
abstract class TransposedConv extends BaseConv {

  private final int filters;
  private final int[] outputPadding;
  private final Initializer kernelInitializer;
  private final Regularizer kernelRegularizer;
  private final Constraint kernelConstraint;
  private Weight kernel;

  TransposedConv(
      int rank, int filters, int[] kernelSize, int[] outputPadding, ConvLayerBuilder<?> b) {
    super(window("Conv" + rank + "DTranspose", rank, kernelSize, b), b);
    if (filters <= 0) {
      throw new IllegalArgumentException(
          className() + ": filters must be a positive integer, got " + filters);
    }
    int[] pad = expand(outputPadding, rank);
    if (pad != null) {
      int[] s = window.strides();
      if (pad.length != rank) {
        throw new IllegalArgumentException(
            className()
                + ": output_padding must be one integer or "
                + rank
                + " integers, got "
                + Arrays.toString(pad));
      }
      for (int i = 0; i < rank; i++) {
        if (pad[i] < 0 || pad[i] >= s[i]) {
          throw new IllegalArgumentException(
              className()
                  + ": output_padding must be non-negative and smaller than strides,"
                  + " got output_padding="
                  + Arrays.toString(pad)
                  + " with strides="
                  + Arrays.toString(s));
        }
      }
    }
    this.filters = filters;
    this.outputPadding = pad;
    this.kernelInitializer = b.kernelInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.kernelConstraint = b.kernelConstraint;
  }

  /**
   * Reads what a transposed convolution's config holds besides filters and kernel_size into {@code
   * b}, returning {@code output_padding} (null when absent).
   */
  static int[] readConfig(ConfigReader c, int rank, ConvLayerBuilder<?> b) {
    readCommon(c, rank, b);
    int[] outputPadding = ConvWindow.readTuple(c, "output_padding", rank, null);
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.kernelConstraint(c.constraint("kernel_constraint"));
    return outputPadding;
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
   * The kernel weight, {@code (kernel size..., filters, input_channels)}; null before the layer is
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
    long[] shape = new long[k.length + 2];
    for (int i = 0; i < k.length; i++) {
      shape[i] = k[i];
    }
    shape[k.length] = filters;
    shape[k.length + 1] = inChannels;
    kernel =
        addWeight(
            "kernel",
            Shape.of(shape),
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
    for (int i = 0; i < window.rank(); i++) {
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
    // x is (batch, rows, cols, channels); 1-D layers have rows 1 and their steps as columns.
    int rank = window.rank();
    List<Integer> sizes = new ArrayList<>();
    if (rank == 1) {
      sizes.add(1);
    }
    for (int i = 0; i < rank; i++) {
      long n = x.shape().size(3 - rank + i);
      if (n < 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" ("
                + className()
                + "): the spatial sizes of the input must be known, got "
                + KerasShape.format(x.shape()));
      }
      sizes.add(Math.toIntExact(outputLength(i, n)));
    }
    sizes.add(filters);
    Operand<TInt32> batch =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> outputSizes =
        tf.concat(
            List.of(batch, tf.constant(sizes.stream().mapToInt(Integer::intValue).toArray())),
            tf.constant(0));
    return tf.nn.conv2dBackpropInput(
        outputSizes, kernel4d(tf, kernel), x, window.nhwc(window.strides()), window.tfPadding());
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
}
