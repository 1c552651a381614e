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
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What Keras's transposed convolutions ({@link Conv1DTranspose}, {@link Conv2DTranspose}, {@link
 * Conv3DTranspose}) share: the kernel {@code (k..., filters, channels)} (output channels before
 * input channels, as Keras), the optional output padding, Keras's output sizes, and the convolution
 * as TensorFlow's input gradient of a 2-D convolution (1-D layers as images of height 1, 3-D layers
 * one per depth tap).
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
    int rank = window.rank();
    knownSizes(x, rank == 3 ? 1 : 3 - rank, rank);
    if (rank == 3) {
      return convolveByDepthTaps(tf, x);
    }
    // x is (batch, rows, cols, channels); 1-D layers have rows 1 and their steps as columns.
    List<Integer> sizes = new ArrayList<>();
    if (rank == 1) {
      sizes.add(1);
    }
    for (int i = 0; i < rank; i++) {
      sizes.add(Math.toIntExact(outputLength(i, x.shape().size(3 - rank + i))));
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

  /** Refuses an input whose {@code count} spatial axes from {@code first} are not all known. */
  private void knownSizes(Operand<TFloat32> x, int first, int count) {
    for (int i = first; i < first + count; i++) {
      if (x.shape().size(i) < 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" ("
                + className()
                + "): the spatial sizes of the input must be known, got "
                + KerasShape.format(x.shape()));
      }
    }
  }

  /**
   * The transposed 3-D convolution of {@code x} {@code (batch, depth, rows, cols, channels)} as a
   * sum over the depth taps of transposed 2-D convolutions (TensorFlow Java 1.1.0 cannot
   * differentiate Conv3DBackpropInputV2): tap t sends input depth i to position {@code i * stride +
   * t * dilation} of the full-length result, of which the output keeps the positions from
   * TensorFlow's "same" padding offset on (zeros past the end for output padding).
   */
  private Operand<TFloat32> convolveByDepthTaps(Ops tf, Operand<TFloat32> x) {
    long depth = x.shape().size(1);
    int stride = window.strides()[0];
    int dilation = window.dilation()[0];
    int taps = window.size()[0];
    int extent = dilation * (taps - 1) + 1;
    int outDepth = Math.toIntExact(outputLength(0, depth));
    int outRows = Math.toIntExact(outputLength(1, x.shape().size(2)));
    int outCols = Math.toIntExact(outputLength(2, x.shape().size(3)));
    int full = Math.toIntExact((depth - 1) * stride + extent);
    int before = window.padding().equals("same") ? Math.max(full - outDepth, 0) / 2 : 0;
    Operand<TFloat32> w = kernel4d(tf, kernel);
    Operand<TFloat32> images =
        tf.reshape(
            x,
            tf.constant(
                new int[] {
                  -1, (int) x.shape().size(2), (int) x.shape().size(3), (int) x.shape().size(4)
                }));
    Operand<TInt32> sizes =
        tf.concat(
            List.of(
                tf.slice(
                    tf.shape(tf.stopGradient(images)),
                    tf.constant(new int[] {0}),
                    tf.constant(new int[] {1})),
                tf.constant(new int[] {outRows, outCols, filters})),
            tf.constant(0));
    List<Long> strides2d = List.of(1L, (long) window.strides()[1], (long) window.strides()[2], 1L);
    int[] volume = {-1, (int) depth, outRows, outCols, filters};
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (int t = 0; t < taps; t++) {
      int first = t * dilation;
      Operand<TFloat32> tap =
          tf.squeeze(
              tf.slice(
                  w,
                  tf.constant(new int[] {first, 0, 0, 0, 0}),
                  tf.constant(new int[] {1, -1, -1, -1, -1})),
              Squeeze.axis(List.of(0L)));
      Operand<TFloat32> y =
          tf.reshape(
              tf.nn.conv2dBackpropInput(sizes, tap, images, strides2d, window.tfPadding()),
              tf.constant(volume));
      if (stride > 1) {
        // Stride - 1 zeros after each depth position, the last ones dropped.
        int[][] gap = new int[6][2];
        gap[2][1] = stride - 1;
        y = tf.pad(tf.expandDims(y, tf.constant(2)), tf.constant(gap), tf.constant(0f));
        y =
            tf.reshape(
                y, tf.constant(new int[] {-1, (int) depth * stride, outRows, outCols, filters}));
        y = depthSlice(tf, y, 0, (int) (depth - 1) * stride + 1);
      }
      int[][] place = new int[5][2];
      place[1][0] = first;
      place[1][1] = extent - 1 - first;
      parts.add(tf.pad(y, tf.constant(place), tf.constant(0f)));
    }
    Operand<TFloat32> sum = taps == 1 ? parts.get(0) : tf.math.addN(parts);
    int past = Math.max(before + outDepth - full, 0);
    if (past > 0) {
      int[][] end = new int[5][2];
      end[1][1] = past;
      sum = tf.pad(sum, tf.constant(end), tf.constant(0f));
    }
    return depthSlice(tf, sum, before, outDepth);
  }

  /** Depth positions {@code [from, from + count)} of a 5-D tensor. */
  private static Operand<TFloat32> depthSlice(Ops tf, Operand<TFloat32> y, int from, int count) {
    return tf.slice(
        y,
        tf.constant(new int[] {0, from, 0, 0, 0}),
        tf.constant(new int[] {-1, count, -1, -1, -1}));
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
