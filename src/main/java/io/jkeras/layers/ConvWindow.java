package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * The sliding window that Keras's convolution and pooling layers share: its size per spatial axis
 * ({@code kernel_size} or {@code pool_size}), {@code strides}, {@code dilation_rate}, {@code
 * padding} and {@code data_format}, with the output-size arithmetic of Keras's {@code
 * compute_conv_output_shape} and the layout changes the TensorFlow ops need.
 *
 * <p>For window size k, dilation d and stride s on an axis of n positions, the window spans {@code
 * d*(k-1) + 1} positions; "valid" gives {@code floor((n - span) / s) + 1} outputs (which must be
 * positive), "same" and "causal" give {@code floor((n - 1) / s) + 1}.
 */
final class ConvWindow {

  private final String className;
  private final int rank;
  private final String sizeKey;
  private final int[] size;
  private final int[] strides;
  private final int[] dilation;
  private final String padding;
  private final String dataFormat;

  /**
   * Validates the arguments of a layer of class {@code className} with {@code rank} spatial axes.
   *
   * @param sizeKey the Keras name of the window size, for messages ({@code kernel_size}, {@code
   *     pool_size})
   * @param paddings the paddings this layer accepts
   */
  ConvWindow(
      String className,
      int rank,
      String sizeKey,
      int[] size,
      int[] strides,
      int[] dilation,
      String padding,
      List<String> paddings,
      String dataFormat) {
    this.className = className;
    this.rank = rank;
    this.sizeKey = sizeKey;
    this.size = positive(sizeKey, size);
    this.strides = positive("strides", strides);
    this.dilation = positive("dilation_rate", dilation);
    String pad = padding == null ? "" : padding.toLowerCase(Locale.ROOT);
    if (!paddings.contains(pad)) {
      throw new IllegalArgumentException(
          className + ": padding must be one of " + paddings + ", got \"" + padding + "\"");
    }
    this.padding = pad;
    String format = dataFormat == null ? "channels_last" : dataFormat.toLowerCase(Locale.ROOT);
    if (!format.equals("channels_last") && !format.equals("channels_first")) {
      throw new IllegalArgumentException(
          className
              + ": data_format must be \"channels_last\" or \"channels_first\", got \""
              + dataFormat
              + "\"");
    }
    this.dataFormat = format;
  }

  private int[] positive(String key, int[] values) {
    if (values == null || values.length != rank) {
      throw new IllegalArgumentException(
          className
              + ": "
              + key
              + " must be one integer or "
              + rank
              + " integers, got "
              + (values == null ? "null" : Arrays.toString(values)));
    }
    for (int v : values) {
      if (v <= 0) {
        throw new IllegalArgumentException(
            className + ": " + key + " must be positive integers, got " + Arrays.toString(values));
      }
    }
    return values.clone();
  }

  /** {@code value} repeated for each of {@code rank} axes, as Keras expands a single integer. */
  static int[] repeat(int value, int rank) {
    int[] out = new int[rank];
    Arrays.fill(out, value);
    return out;
  }

  int rank() {
    return rank;
  }

  int[] size() {
    return size.clone();
  }

  int[] strides() {
    return strides.clone();
  }

  int[] dilation() {
    return dilation.clone();
  }

  String padding() {
    return padding;
  }

  String dataFormat() {
    return dataFormat;
  }

  boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  boolean dilated() {
    for (int d : dilation) {
      if (d > 1) {
        return true;
      }
    }
    return false;
  }

  boolean strided() {
    for (int s : strides) {
      if (s > 1) {
        return true;
      }
    }
    return false;
  }

  /** The index of the channel axis in an input of this window's rank (batch first). */
  int channelAxis() {
    return channelsFirst() ? 1 : rank + 1;
  }

  /** Checks the rank of {@code inputShape} and returns its channel count (-1 when unknown). */
  long channels(String layerName, Shape inputShape) {
    checkRank(layerName, inputShape);
    return inputShape.size(channelAxis());
  }

  /** The input's channel count, which must be known to build weights. */
  long knownChannels(String layerName, Shape inputShape) {
    long c = channels(layerName, inputShape);
    if (c < 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + layerName
              + "\" ("
              + className
              + "): the channel axis of the input must be known, got "
              + KerasShape.format(inputShape));
    }
    return c;
  }

  private void checkRank(String layerName, Shape inputShape) {
    if (inputShape.isUnknown() || inputShape.numDimensions() != rank + 2) {
      throw new IllegalArgumentException(
          "Layer \""
              + layerName
              + "\" ("
              + className
              + "): expected an input of rank "
              + (rank + 2)
              + (channelsFirst()
                  ? " (batch, channels, spatial...)"
                  : " (batch, spatial..., channels)")
              + ", got "
              + KerasShape.format(inputShape));
    }
  }

  /**
   * The output shape for {@code inputShape} with {@code outChannels} channels; unknown spatial
   * sizes stay unknown. Rejects inputs smaller than the window with "valid" padding.
   */
  Shape outputShape(String layerName, Shape inputShape, long outChannels) {
    checkRank(layerName, inputShape);
    int first = channelsFirst() ? 2 : 1;
    long[] out = new long[rank + 2];
    out[0] = inputShape.size(0);
    for (int i = 0; i < rank; i++) {
      long n = inputShape.size(first + i);
      out[first + i] = n < 0 ? Shape.UNKNOWN_SIZE : outputLength(layerName, inputShape, i, n);
    }
    out[channelAxis()] = outChannels;
    return Shape.of(out);
  }

  private long outputLength(String layerName, Shape inputShape, int axis, long n) {
    if (!padding.equals("valid")) {
      return Math.floorDiv(n - 1, strides[axis]) + 1;
    }
    long span = (long) dilation[axis] * (size[axis] - 1) + 1;
    long out = Math.floorDiv(n - span, strides[axis]) + 1;
    if (out <= 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + layerName
              + "\" ("
              + className
              + "): the output would have "
              + out
              + " positions on spatial axis "
              + axis
              + ": input "
              + KerasShape.format(inputShape)
              + " has "
              + n
              + " there, fewer than the window's extent "
              + span
              + " ("
              + sizeKey
              + "="
              + Arrays.toString(size)
              + ", dilation_rate="
              + Arrays.toString(dilation)
              + ") with padding=\"valid\"");
    }
    return out;
  }

  /** {@code x} in channels-last order (a transpose when the layer is channels_first). */
  <T extends TType> Operand<T> toChannelsLast(Ops tf, Operand<T> x) {
    if (!channelsFirst()) {
      return x;
    }
    int[] perm = new int[rank + 2];
    for (int i = 1; i <= rank; i++) {
      perm[i] = i + 1;
    }
    perm[rank + 1] = 1;
    return tf.linalg.transpose(x, tf.constant(perm));
  }

  /** A channels-last result back in the layer's data format. */
  <T extends TType> Operand<T> fromChannelsLast(Ops tf, Operand<T> y) {
    if (!channelsFirst()) {
      return y;
    }
    int[] perm = new int[rank + 2];
    perm[1] = rank + 1;
    for (int i = 2; i < rank + 2; i++) {
      perm[i] = i - 1;
    }
    return tf.linalg.transpose(y, tf.constant(perm));
  }

  /**
   * The kernel (spatial axes first) with {@code d - 1} zero taps between its taps on each axis of
   * dilation d: a dilated convolution is an ordinary one with this kernel.
   *
   * <p>TensorFlow's {@code dilations} attribute is not used: the C++ gradient of Conv2D in TF Java
   * 1.1.0 drops it, which aborts the JVM inside oneDNN. Zero taps cost d times the multiply-adds
   * but their gradients (Pad, Reshape, Slice) are right.
   */
  Operand<TFloat32> dilate(Ops tf, Operand<TFloat32> kernel, Shape kernelShape) {
    Operand<TFloat32> w = kernel;
    int[] dims = new int[kernelShape.numDimensions()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(kernelShape.size(i));
    }
    for (int axis = 0; axis < rank; axis++) {
      int d = dilation[axis];
      if (d == 1) {
        continue;
      }
      int k = dims[axis];
      // (.., k, ..) -> (.., k, 1, ..) -> (.., k, d, ..) with zeros after each tap -> (.., k*d, ..)
      // -> the first d*(k-1)+1. Int32 shapes: Slice's gradient fails on int64 ones.
      w = tf.expandDims(w, tf.constant(axis + 1));
      int[][] pads = new int[dims.length + 1][2];
      pads[axis + 1][1] = d - 1;
      w = tf.pad(w, tf.constant(pads), tf.constant(0f));
      int[] merged = dims.clone();
      merged[axis] = k * d;
      w = tf.reshape(w, tf.constant(merged));
      dims[axis] = d * (k - 1) + 1;
      w = tf.slice(w, tf.constant(new int[dims.length]), tf.constant(dims));
    }
    return w;
  }

  /** TensorFlow's padding name: "SAME" or "VALID" (causal inputs are padded beforehand). */
  String tfPadding() {
    return padding.equals("same") ? "SAME" : "VALID";
  }

  /**
   * The strides in the NHWC form TensorFlow's 2-D ops take (1-D windows get height 1), or NDHWC for
   * 3-D windows.
   */
  List<Long> nhwc(int[] perAxis) {
    List<Long> out = new ArrayList<>();
    out.add(1L);
    if (rank == 1) {
      out.add(1L);
    }
    for (int v : perAxis) {
      out.add((long) v);
    }
    out.add(1L);
    return out;
  }

  /** A tuple as Keras writes it in configs: a list of integers. */
  static List<Integer> toConfig(int[] values) {
    List<Integer> out = new ArrayList<>();
    for (int v : values) {
      out.add(v);
    }
    return out;
  }

  /**
   * Reads a window tuple from a config: an integer (repeated for every axis, as Keras does) or a
   * list of {@code rank} integers; {@code defaultValue} when absent or null.
   */
  static int[] readTuple(ConfigReader c, String key, int rank, int[] defaultValue) {
    Object v = c.raw(key);
    if (v == null) {
      return defaultValue;
    }
    Long single = ConfigReader.integral(v);
    if (single != null && Math.abs(single) < Integer.MAX_VALUE) {
      return repeat(single.intValue(), rank);
    }
    if (v instanceof List<?> list && list.size() == rank) {
      int[] out = new int[rank];
      for (int i = 0; i < rank; i++) {
        Long n = ConfigReader.integral(list.get(i));
        if (n == null || Math.abs(n) >= Integer.MAX_VALUE) {
          out = null;
          break;
        }
        out[i] = n.intValue();
      }
      if (out != null) {
        return out;
      }
    }
    throw c.wrongValue(key, "an integer or a list of " + rank + " integers", v);
  }
}
