package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What Keras's depthwise convolutions ({@link DepthwiseConv1D}, {@link DepthwiseConv2D}) share:
 * each input channel convolved with its own {@code depthMultiplier} kernels (output channel {@code
 * c*depthMultiplier + m} is input channel c through kernel m), the weights {@code kernel} {@code
 * (k..., channels, depthMultiplier)} and {@code bias}, and Keras's config keys in their order.
 */
abstract class DepthwiseConv extends BaseConv {

  private final int depthMultiplier;
  private final Initializer depthwiseInitializer;
  private final Regularizer depthwiseRegularizer;
  private final Constraint depthwiseConstraint;
  private Weight kernel;

  DepthwiseConv(int rank, DepthwiseConvBuilder<?> b) {
    super(window("DepthwiseConv" + rank + "D", rank, b.kernelSize, b), b);
    if (b.depthMultiplier <= 0) {
      throw new IllegalArgumentException(
          className() + ": depth_multiplier must be a positive integer, got " + b.depthMultiplier);
    }
    this.depthMultiplier = b.depthMultiplier;
    this.depthwiseInitializer = b.kernelInitializer;
    this.depthwiseRegularizer = b.kernelRegularizer;
    this.depthwiseConstraint = b.kernelConstraint;
  }

  /** Reads what a depthwise convolution's config holds besides kernel_size into {@code b}. */
  static void readConfig(ConfigReader c, int rank, DepthwiseConvBuilder<?> b) {
    readCommon(c, rank, b);
    b.depthMultiplier(c.integer("depth_multiplier", 1));
    b.kernelInitializer(c.initializer("depthwise_initializer", "glorot_uniform"));
    b.kernelRegularizer(c.regularizer("depthwise_regularizer"));
    b.kernelConstraint(c.constraint("depthwise_constraint"));
  }

  /** How many output channels each input channel gets ({@code depth_multiplier}). */
  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** The depthwise kernel (Keras names it {@code kernel}). */
  public Weight kernel() {
    return kernel;
  }

  @Override
  long outputChannels(long inChannels) {
    return inChannels * depthMultiplier;
  }

  @Override
  void buildKernels(long inChannels) {
    int[] k = window.size();
    long[] shape = new long[k.length + 2];
    for (int i = 0; i < k.length; i++) {
      shape[i] = k[i];
    }
    shape[k.length] = inChannels;
    shape[k.length + 1] = depthMultiplier;
    kernel =
        addWeight(
            "kernel",
            Shape.of(shape),
            depthwiseInitializer,
            depthwiseRegularizer,
            depthwiseConstraint,
            true);
  }

  @Override
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x) {
    return tf.nn.depthwiseConv2dNative(
        x, kernel4d(tf, kernel), window.nhwc(window.strides()), window.tfPadding());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("depth_multiplier", depthMultiplier);
    putWindow(config, true);
    putActivationAndBias(config);
    config.put(
        "depthwise_initializer",
        KerasObjects.serialize("keras.initializers", depthwiseInitializer));
    config.put("bias_initializer", biasInitializerConfig());
    config.put(
        "depthwise_regularizer",
        KerasObjects.serialize("keras.regularizers", depthwiseRegularizer));
    config.put("bias_regularizer", biasRegularizerConfig());
    config.put("activity_regularizer", activityRegularizerConfig());
    config.put(
        "depthwise_constraint", KerasObjects.serialize("keras.constraints", depthwiseConstraint));
    config.put("bias_constraint", biasConstraintConfig());
    return config;
  }
}
