package io.jkeras.layers;

import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * Depthwise separable 2D convolution, as Keras 3's {@code keras.layers.SeparableConv2D}: a
 * depthwise convolution followed by a pointwise (1x1) one (see {@link SeparableConv}).
 *
 * <p>Arguments: {@code filters}, {@code kernelSize}, {@code strides} (1), {@code padding} ("valid"
 * or "same"), {@code dataFormat}, {@code dilationRate} (1; strides and dilation cannot both exceed
 * 1), {@code depthMultiplier} (1), {@code activation}, {@code useBias} (true), depthwise, pointwise
 * and bias initializers ("glorot_uniform", "glorot_uniform", "zeros"), regularizers and
 * constraints, an activity regularizer.
 *
 * <p>Shapes: input {@code (batch, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, rows, cols)}; output with {@code filters} channels and spatial sizes as for {@link
 * Conv2D}.
 *
 * <pre>{@code
 * KerasTensor y = new SeparableConv2D(16, 3).apply(x); // (None, 8, 8, 4) -> (None, 6, 6, 16)
 * SeparableConv2D s = SeparableConv2D.builder(16, 3).depthMultiplier(2).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "SeparableConvolution2D")
public class SeparableConv2D extends SeparableConv {

  /**
   * A separable 2-D convolution with {@code filters} output channels, a square {@code kernelSize}
   * window and Keras's defaults otherwise (depth multiplier 1, stride 1, {@code "valid"} padding, a
   * bias).
   */
  public SeparableConv2D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  private SeparableConv2D(Builder<SeparableConv2D> b) {
    super(b, 2);
  }

  /** A builder; {@code kernelSize} is one size for every axis or one per axis. */
  public static Builder<SeparableConv2D> builder(int filters, int... kernelSize) {
    return new Builder<>("SeparableConv2D", SeparableConv2D::new, filters, kernelSize);
  }

  /** A SeparableConv2D layer from its Keras config. */
  public static SeparableConv2D fromConfig(Map<String, Object> config) {
    return SeparableConv.fromConfig("SeparableConv2D", config, 2, SeparableConv2D::new);
  }
}
