package io.jkeras.layers;

import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The maximum of each channel over sliding windows, as Keras 3's {@code keras.layers.MaxPooling3D}.
 *
 * <p>Arguments: {@code poolSize} ((2, 2, 2)), {@code strides} (the pool size), {@code padding}
 * ("valid" or "same"), {@code dataFormat} ("channels_last" or "channels_first"). See {@link
 * Pooling} for the padding rules.
 *
 * <p>Shapes: input {@code (batch, depth, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, depth, rows, cols)}; output the same with each spatial size n becoming {@code floor((n
 * - pool) / stride) + 1} ("valid") or {@code ceil(n / stride)} ("same"). No weights.
 *
 * <pre>{@code
 * KerasTensor y = new MaxPooling3D().apply(x); // (None, 8, 28, 28, 4) -> (None, 4, 14, 14, 4)
 * MaxPooling3D p = MaxPooling3D.builder().poolSize(1, 3, 3).strides(1, 2, 2).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "MaxPool3D")
public class MaxPooling3D extends Pooling {

  /** Keras's defaults: windows of 2 on every axis, moved by 2, "valid" padding. */
  public MaxPooling3D() {
    this(builder());
  }

  /** Windows of {@code poolSize} positions on every axis, moved by as much. */
  public MaxPooling3D(int poolSize) {
    this(builder().poolSize(poolSize));
  }

  private MaxPooling3D(Builder<MaxPooling3D> b) {
    super(b, 3, true);
  }

  /** A builder with Keras's defaults (pool size 2 on every axis). */
  public static Builder<MaxPooling3D> builder() {
    return new Builder<>(MaxPooling3D::new, 2);
  }

  /** A MaxPooling3D from its Keras config. */
  public static MaxPooling3D fromConfig(Map<String, Object> config) {
    return Pooling.fromConfig(
        "MaxPooling3D", config, 3, ConvWindow.repeat(2, 3), MaxPooling3D::new);
  }
}
