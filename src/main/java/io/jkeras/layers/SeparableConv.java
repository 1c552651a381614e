package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The shared part of {@link SeparableConv1D} and {@link SeparableConv2D} (Keras's {@code
 * BaseSeparableConv}): a depthwise convolution (each input channel through its own {@code
 * depthMultiplier} kernels, channels not mixed) followed by a pointwise one (a 1x1 convolution
 * mixing the {@code channels*depthMultiplier} intermediate channels into {@code filters}).
 *
 * <p>Weights, in this order: {@code depthwise_kernel} {@code (k..., channels, depthMultiplier)},
 * {@code pointwise_kernel} {@code (1..., channels*depthMultiplier, filters)}, {@code bias} {@code
 * (filters,)}.
 *
 * <pre>{@code
 * SeparableConv2D c = SeparableConv2D.builder(32, 3).depthMultiplier(2).padding("same").build();
 * }</pre>
 */
public abstract class SeparableConv extends BaseConv {

  private final int filters;
  private final int depthMultiplier;
  private final Initializer depthwiseInitializer;
  private final Initializer pointwiseInitializer;
  private final Regularizer depthwiseRegularizer;
  private final Regularizer pointwiseRegularizer;
  private final Constraint depthwiseConstraint;
  private final Constraint pointwiseConstraint;
  private Weight depthwiseKernel;
  private Weight pointwiseKernel;

  SeparableConv(Builder<?> b, int rank) {
    super(BaseConv.window(b.className, rank, b.kernelSize, b), b);
    if (b.filters <= 0) {
      throw new IllegalArgumentException(
          b.className + ": filters must be a positive integer, got " + b.filters);
    }
    if (b.depthMultiplier <= 0) {
      throw new IllegalArgumentException(
          b.className + ": depth_multiplier must be a positive integer, got " + b.depthMultiplier);
    }
    this.filters = b.filters;
    this.depthMultiplier = b.depthMultiplier;
    this.depthwiseInitializer = b.kernelInitializer;
    this.depthwiseRegularizer = b.kernelRegularizer;
    this.depthwiseConstraint = b.kernelConstraint;
    this.pointwiseInitializer = b.pointwiseInitializer;
    this.pointwiseRegularizer = b.pointwiseRegularizer;
    this.pointwiseConstraint = b.pointwiseConstraint;
  }

  /** Reads a separable convolution's Keras config. */
  static <L extends SeparableConv> L fromConfig(
      String className, Map<String, Object> config, int rank, Function<Builder<L>, L> factory) {
    ConfigReader c = ConfigReader.of(className, config);
    Builder<L> b =
        new Builder<>(
            className,
            factory,
            c.positiveInt("filters"),
            ConvWindow.readTuple(c, "kernel_size", rank, null));
    readCommon(c, rank, b);
    b.depthMultiplier(c.integer("depth_multiplier", 1));
    b.kernelInitializer(c.initializer("depthwise_initializer", "glorot_uniform"));
    b.pointwiseInitializer(c.initializer("pointwise_initializer", "glorot_uniform"));
    b.kernelRegularizer(c.regularizer("depthwise_regularizer"));
    b.pointwiseRegularizer = c.regularizer("pointwise_regularizer");
    b.kernelConstraint(c.constraint("depthwise_constraint"));
    b.pointwiseConstraint = c.constraint("pointwise_constraint");
    return c.finish(b.build());
  }

  /** The number of output channels ({@code filters}). */
  public int filters() {
    return filters;
  }

  /** How many depthwise kernels each input channel gets. */
  public int depthMultiplier() {
    return depthMultiplier;
  }

  /**
   * The depthwise kernel, {@code (k..., channels, depthMultiplier)}; null before the layer is
   * built.
   */
  public Weight depthwiseKernel() {
    return depthwiseKernel;
  }

  /**
   * The pointwise kernel, {@code (1..., channels * depthMultiplier, filters)}; null before the
   * layer is built.
   */
  public Weight pointwiseKernel() {
    return pointwiseKernel;
  }

  @Override
  long outputChannels(long inChannels) {
    return filters;
  }

  @Override
  void buildKernels(long inChannels) {
    int rank = window.rank();
    long[] dw = new long[rank + 2];
    long[] pw = new long[rank + 2];
    int[] k = window.size();
    for (int i = 0; i < rank; i++) {
      dw[i] = k[i];
      pw[i] = 1;
    }
    dw[rank] = inChannels;
    dw[rank + 1] = depthMultiplier;
    pw[rank] = inChannels * depthMultiplier;
    pw[rank + 1] = filters;
    depthwiseKernel =
        addWeight(
            "depthwise_kernel",
            Shape.of(dw),
            depthwiseInitializer,
            depthwiseRegularizer,
            depthwiseConstraint,
            true);
    pointwiseKernel =
        addWeight(
            "pointwise_kernel",
            Shape.of(pw),
            pointwiseInitializer,
            pointwiseRegularizer,
            pointwiseConstraint,
            true);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> depthwise =
        tf.nn.depthwiseConv2dNative(
            x, kernel4d(tf, depthwiseKernel), window.nhwc(window.strides()), window.tfPadding());
    return tf.nn.conv2d(
        depthwise, kernel4d(tf, pointwiseKernel), java.util.List.of(1L, 1L, 1L, 1L), "VALID");
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("depth_multiplier", depthMultiplier);
    config.put("filters", filters);
    putWindow(config, true);
    putActivationAndBias(config);
    config.put(
        "depthwise_initializer",
        KerasObjects.serialize("keras.initializers", depthwiseInitializer));
    config.put(
        "pointwise_initializer",
        KerasObjects.serialize("keras.initializers", pointwiseInitializer));
    config.put("bias_initializer", biasInitializerConfig());
    config.put(
        "depthwise_regularizer",
        KerasObjects.serialize("keras.regularizers", depthwiseRegularizer));
    config.put(
        "pointwise_regularizer",
        KerasObjects.serialize("keras.regularizers", pointwiseRegularizer));
    config.put("bias_regularizer", biasRegularizerConfig());
    config.put("activity_regularizer", activityRegularizerConfig());
    config.put(
        "depthwise_constraint", KerasObjects.serialize("keras.constraints", depthwiseConstraint));
    config.put(
        "pointwise_constraint", KerasObjects.serialize("keras.constraints", pointwiseConstraint));
    config.put("bias_constraint", biasConstraintConfig());
    return config;
  }

  /**
   * Optional arguments of a separable convolution, with Keras 3's defaults: depth multiplier 1,
   * glorot_uniform depthwise and pointwise kernels. The {@code kernel...} setters of {@link
   * KernelLayerBuilder} set the depthwise kernel's, as {@code depthwise...} does.
   *
   * @param <L> the layer built
   */
  public static final class Builder<L extends SeparableConv> extends ConvLayerBuilder<Builder<L>> {
    private final String className;
    private final Function<Builder<L>, L> factory;
    private final int filters;
    private final int[] kernelSize;
    private int depthMultiplier = 1;
    private Initializer pointwiseInitializer = Initializers.get("glorot_uniform");
    private Regularizer pointwiseRegularizer;
    private Constraint pointwiseConstraint;

    Builder(String className, Function<Builder<L>, L> factory, int filters, int[] kernelSize) {
      this.className = className;
      this.factory = factory;
      this.filters = filters;
      this.kernelSize = kernelSize;
    }

    /** Depthwise kernels per input channel (1 by default). */
    public Builder<L> depthMultiplier(int depthMultiplier) {
      this.depthMultiplier = depthMultiplier;
      return this;
    }

    /**
     * The initializer of the depthwise kernel, by Keras name (default {@code "glorot_uniform"}).
     */
    public Builder<L> depthwiseInitializer(String initializer) {
      return kernelInitializer(initializer);
    }

    /** The regularizer of the depthwise kernel, by Keras name (default none). */
    public Builder<L> depthwiseRegularizer(String regularizer) {
      return kernelRegularizer(regularizer);
    }

    /** The constraint on the depthwise kernel, by Keras name (default none). */
    public Builder<L> depthwiseConstraint(String constraint) {
      return kernelConstraint(constraint);
    }

    /**
     * The initializer of the pointwise kernel, by Keras name (default {@code "glorot_uniform"}).
     */
    public Builder<L> pointwiseInitializer(String initializer) {
      return pointwiseInitializer(Initializers.get(initializer));
    }

    /** The initializer of the pointwise kernel (default Glorot uniform). */
    public Builder<L> pointwiseInitializer(Initializer initializer) {
      this.pointwiseInitializer = initializer;
      return this;
    }

    /** The regularizer of the pointwise kernel, by Keras name (default none). */
    public Builder<L> pointwiseRegularizer(String regularizer) {
      this.pointwiseRegularizer = Regularizers.get(regularizer);
      return this;
    }

    /** The constraint on the pointwise kernel, by Keras name (default none). */
    public Builder<L> pointwiseConstraint(String constraint) {
      this.pointwiseConstraint = Constraints.get(constraint);
      return this;
    }

    /** The separable convolution layer with these arguments. */
    public L build() {
      return factory.apply(this);
    }
  }
}
