package io.jkeras.layers;

import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * Depthwise separable 1D convolution, as Keras 3's {@code keras.layers.SeparableConv1D}: a
 * depthwise convolution followed by a pointwise (1x1) one (see {@link SeparableConv}).
 *
 * <p>Arguments: {@code filters}, {@code kernelSize}, {@code strides} (1), {@code padding} ("valid"
 * or "same"), {@code dataFormat}, {@code dilationRate} (1; strides and dilation cannot both exceed
 * 1), {@code depthMultiplier} (1), {@code activation}, {@code useBias} (true), depthwise, pointwise
 * and bias initializers ("glorot_uniform", "glorot_uniform", "zeros"), regularizers and
 * constraints, an activity regularizer.
 *
 * <p>Shapes: input {@code (batch, steps, channels)} (channels_last) or {@code (batch, channels,
 * steps)}; output with {@code filters} channels and steps as for {@link Conv1D} ("valid" or "same"
 * padding).
 *
 * <pre>{@code
 * KerasTensor y = new SeparableConv1D(16, 3).apply(x); // (None, 10, 8) -> (None, 8, 16)
 * SeparableConv1D s = SeparableConv1D.builder(16, 3).depthMultiplier(2).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "SeparableConvolution1D")
public class SeparableConv1D extends SeparableConv {

  /**
   * A separable 1-D convolution with {@code filters} output channels, a window of {@code
   * kernelSize} steps and Keras's defaults otherwise (depth multiplier 1, stride 1, {@code "valid"}
   * padding, a bias).
   */
  public SeparableConv1D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  private SeparableConv1D(Builder<SeparableConv1D> b) {
    super(b, 1);
  }

  /** A builder; {@code kernelSize} is one size for every axis or one per axis. */
  public static Builder<SeparableConv1D> builder(int filters, int... kernelSize) {
    return new Builder<>("SeparableConv1D", SeparableConv1D::new, filters, kernelSize);
  }

  /** A SeparableConv1D layer from its Keras config. */
  public static SeparableConv1D fromConfig(Map<String, Object> config) {
    return SeparableConv.fromConfig("SeparableConv1D", config, 1, SeparableConv1D::new);
  }
}
