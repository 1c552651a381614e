package io.jkeras.layers;

import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The maximum of each channel over sliding windows, as Keras 3's {@code keras.layers.MaxPooling2D}.
 *
 * <p>Arguments: {@code poolSize} ((2, 2)), {@code strides} (the pool size), {@code padding}
 * ("valid" or "same"), {@code dataFormat} ("channels_last" or "channels_first"). See {@link
 * Pooling} for the padding rules.
 *
 * <p>Shapes: input {@code (batch, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, rows, cols)}; output the same with each spatial size n becoming {@code floor((n - pool)
 * / stride) + 1} ("valid") or {@code ceil(n / stride)} ("same"). No weights.
 *
 * <pre>{@code
 * KerasTensor y = new MaxPooling2D().apply(x); // (None, 28, 28, 8) -> (None, 14, 14, 8)
 * MaxPooling2D p = MaxPooling2D.builder().poolSize(3, 3).strides(2, 1).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "MaxPool2D")
public class MaxPooling2D extends Pooling {

  /** Keras's defaults: windows of 2 on every axis, moved by 2, "valid" padding. */
  public MaxPooling2D() {
    this(builder());
  }

  /** Windows of {@code poolSize} positions on every axis, moved by as much. */
  public MaxPooling2D(int poolSize) {
    this(builder().poolSize(poolSize));
  }

  private MaxPooling2D(Builder<MaxPooling2D> b) {
    super(b, 2, true);
  }

  /** A builder with Keras's defaults (pool size 2 on every axis). */
  public static Builder<MaxPooling2D> builder() {
    return new Builder<>(MaxPooling2D::new, 2);
  }

  /** A MaxPooling2D from its Keras config. */
  public static MaxPooling2D fromConfig(Map<String, Object> config) {
    return Pooling.fromConfig(
        "MaxPooling2D", config, 2, ConvWindow.repeat(2, 2), MaxPooling2D::new);
  }
}
