package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What Keras's plain 2-D and 3-D convolutions ({@link Conv2D}, {@link Conv3D}) share: {@code
 * filters} kernels with optional channel groups, the kernel's initializer, regularizer and
 * constraint, the weights {@code kernel} {@code (k..., channels/groups, filters)} and {@code bias},
 * and Keras's config keys in their order.
 */
abstract class PlainConv extends BaseConv {

  private final int filters;
  private final int groups;
  private final Initializer kernelInitializer;
  private final Regularizer kernelRegularizer;
  private final Constraint kernelConstraint;
  private Weight kernel;

  PlainConv(int rank, int filters, int[] kernelSize, int groups, ConvLayerBuilder<?> b) {
    super(window(classNameOf(rank), rank, kernelSize, b), b);
    if (filters <= 0) {
      throw new IllegalArgumentException(
          className() + ": filters must be a positive integer, got " + filters);
    }
    if (groups <= 0 || filters % groups != 0) {
      throw new IllegalArgumentException(
          className()
              + ": groups must be a positive divisor of filters, got groups="
              + groups
              + " for filters="
              + filters);
    }
    this.filters = filters;
    this.groups = groups;
    this.kernelInitializer = b.kernelInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.kernelConstraint = b.kernelConstraint;
  }

  private static String classNameOf(int rank) {
    return "Conv" + rank + "D";
  }

  /**
   * Reads what a plain convolution's config holds besides filters and kernel_size into {@code b},
   * returning {@code groups}.
   */
  static int readConfig(ConfigReader c, int rank, ConvLayerBuilder<?> b) {
    readCommon(c, rank, b);
    int groups = c.integer("groups", 1);
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.kernelConstraint(c.constraint("kernel_constraint"));
    return groups;
  }

  /** The number of output channels ({@code filters}). */
  public int filters() {
    return filters;
  }

  /** The number of channel groups convolved independently (1 is a plain convolution). */
  public int groups() {
    return groups;
  }

  /**
   * The kernel weight, {@code (kernel size..., input_channels / groups, filters)}; null before the
   * layer is built.
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
    if (inChannels % groups != 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + "): the input's "
              + inChannels
              + " channels must be divisible by groups="
              + groups);
    }
    int[] k = window.size();
    long[] shape = new long[k.length + 2];
    for (int i = 0; i < k.length; i++) {
      shape[i] = k[i];
    }
    shape[k.length] = inChannels / groups;
    shape[k.length + 1] = filters;
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
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    // With groups, TensorFlow's convolutions read the group count from the kernel's channel axis.
    Operand<TFloat32> w = kernel4d(tf, kernel);
    if (window.rank() == 3) {
      return convolveByDepthTaps(tf, x, w);
    }
    return tf.nn.conv2d(x, w, window.nhwc(window.strides()), window.tfPadding());
  }

  /**
   * A 3-D convolution of {@code x} {@code (batch, depth, rows, cols, channels)} with the dilated
   * kernel {@code w} as a sum of 2-D convolutions, one per depth tap: TensorFlow Java 1.1.0 has no
   * gradient for Conv3D, and no room for another custom gradient (TensorFlow Java takes at most ten
   * and jkeras registers ten), while Conv2D and the slicing here all have TensorFlow's gradients.
   * Tap t reads the depth positions {@code o * stride + t * dilation} (after Keras's "same" zero
   * padding, {@code floor(total / 2)} before), folded into the batch axis. The depth may be
   * unknown.
   */
  private Operand<TFloat32> convolveByDepthTaps(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    long depth = x.shape().size(1);
    int stride = window.strides()[0];
    int dilation = window.dilation()[0];
    int taps = window.size()[0];
    int extent = dilation * (taps - 1) + 1;
    long outDepth = -1;
    if (window.padding().equals("same")) {
      x = tf.pad(x, depthPadding(tf, x, stride, extent), tf.constant(0f));
      outDepth = depth < 0 ? -1 : (depth + stride - 1) / stride;
    } else if (depth >= 0) {
      outDepth = (depth - extent) / stride + 1;
    }
    List<Long> strides2d = List.of(1L, (long) window.strides()[1], (long) window.strides()[2], 1L);
    // (batch * outDepth, rows, cols, channels) for each tap; rows, cols, channels as x has them.
    Operand<TInt32> folded =
        tf.concat(List.of(tf.constant(new int[] {-1}), dims(tf, x, 2, 3)), tf.constant(0));
    List<Operand<TFloat32>> sums = new ArrayList<>();
    Operand<TFloat32> planes = null;
    for (int t = 0; t < taps; t++) {
      int first = t * dilation;
      // From position `first` by `stride`, stopping extent - 1 - first before the end, which
      // leaves exactly the output's depth. Int32 indices: StridedSlice's gradient builds an int32
      // shape and refuses int64 ones.
      int stop = first - (extent - 1);
      planes =
          tf.stridedSlice(
              x,
              tf.constant(new int[] {0, first, 0, 0, 0}),
              tf.constant(new int[] {0, stop, 0, 0, 0}),
              tf.constant(new int[] {1, stride, 1, 1, 1}),
              StridedSlice.beginMask(0b11101L),
              StridedSlice.endMask(stop == 0 ? 0b11111L : 0b11101L));
      Operand<TFloat32> tap =
          tf.squeeze(
              tf.slice(
                  w,
                  tf.constant(new int[] {first, 0, 0, 0, 0}),
                  tf.constant(new int[] {1, -1, -1, -1, -1})),
              Squeeze.axis(List.of(0L)));
      Operand<TFloat32> images =
          tf.ensureShape(
              tf.reshape(planes, folded),
              Shape.of(-1, x.shape().size(2), x.shape().size(3), x.shape().size(4)));
      sums.add(tf.nn.conv2d(images, tap, strides2d, window.tfPadding()));
    }
    Operand<TFloat32> y = taps == 1 ? sums.get(0) : tf.math.addN(sums);
    Operand<TInt32> unfolded =
        tf.concat(
            List.of(tf.constant(new int[] {-1}), dims(tf, planes, 1, 1), dims(tf, y, 1, 3)),
            tf.constant(0));
    Shape static2d = y.shape();
    return tf.ensureShape(
        tf.reshape(y, unfolded),
        Shape.of(-1, outDepth, static2d.size(1), static2d.size(2), static2d.size(3)));
  }

  /**
   * Keras's "same" zero padding of the depth axis: {@code floor(total / 2)} before, the rest after.
   */
  private static Operand<TInt32> depthPadding(Ops tf, Operand<TFloat32> x, int stride, int extent) {
    long depth = x.shape().size(1);
    if (depth >= 0) {
      long out = (depth + stride - 1) / stride;
      int total = (int) Math.max((out - 1) * stride + extent - depth, 0);
      int[][] pads = new int[5][2];
      pads[1][0] = total / 2;
      pads[1][1] = total - total / 2;
      return tf.constant(pads);
    }
    Operand<TInt32> n = dims(tf, x, 1, 1);
    Operand<TInt32> s = tf.constant(stride);
    Operand<TInt32> out = tf.math.floorDiv(tf.math.add(n, tf.constant(stride - 1)), s);
    Operand<TInt32> total =
        tf.math.maximum(
            tf.math.sub(
                tf.math.add(tf.math.mul(tf.math.sub(out, tf.constant(1)), s), tf.constant(extent)),
                n),
            tf.constant(0));
    Operand<TInt32> before = tf.math.floorDiv(total, tf.constant(2));
    Operand<TInt32> depthRow =
        tf.concat(List.of(before, tf.math.sub(total, before)), tf.constant(0));
    Operand<TInt32> zeros = tf.constant(new int[] {0, 0});
    return tf.stack(List.of(zeros, depthRow, zeros, zeros, zeros));
  }

  /** The sizes of {@code count} axes of {@code x} from {@code first}, as a tensor. */
  private static Operand<TInt32> dims(Ops tf, Operand<TFloat32> x, int first, int count) {
    return tf.slice(
        tf.shape(tf.stopGradient(x)),
        tf.constant(new int[] {first}),
        tf.constant(new int[] {count}));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("filters", filters);
    putWindow(config, true);
    config.put("groups", groups);
    putActivationAndBias(config);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put("bias_initializer", biasInitializerConfig());
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put("bias_regularizer", biasRegularizerConfig());
    // When set, the base config already holds it right after "dtype"; put() keeps that place.
    config.put("activity_regularizer", activityRegularizerConfig());
    config.put("kernel_constraint", KerasObjects.serialize("keras.constraints", kernelConstraint));
    config.put("bias_constraint", biasConstraintConfig());
    return config;
  }
}
