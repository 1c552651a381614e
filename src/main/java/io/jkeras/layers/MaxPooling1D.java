package io.jkeras.layers;

import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The maximum of each channel over sliding windows, as Keras 3's {@code keras.layers.MaxPooling1D}.
 *
 * <p>Arguments: {@code poolSize} (2), {@code strides} (the pool size), {@code padding} ("valid" or
 * "same"), {@code dataFormat} ("channels_last" or "channels_first"). See {@link Pooling} for the
 * padding rules.
 *
 * <p>Shapes: input {@code (batch, steps, channels)} (channels_last) or {@code (batch, channels,
 * steps)}; output the same with {@code floor((steps - poolSize) / strides) + 1} steps (valid) or
 * {@code ceil(steps / strides)} (same). No weights.
 *
 * <pre>{@code
 * KerasTensor y = new MaxPooling1D().apply(x); // (None, 10, 8) -> (None, 5, 8)
 * MaxPooling1D p = MaxPooling1D.builder().poolSize(3).strides(1).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "MaxPool1D")
public class MaxPooling1D extends Pooling {

  /** Keras's defaults: windows of 2 on every axis, moved by 2, "valid" padding. */
  public MaxPooling1D() {
    this(builder());
  }

  /** Windows of {@code poolSize} positions on every axis, moved by as much. */
  public MaxPooling1D(int poolSize) {
    this(builder().poolSize(poolSize));
  }

  private MaxPooling1D(Builder<MaxPooling1D> b) {
    super(b, 1, true);
  }

  /** A builder with Keras's defaults (pool size 2 on every axis). */
  public static Builder<MaxPooling1D> builder() {
    return new Builder<>(MaxPooling1D::new, 2);
  }

  /** A MaxPooling1D from its Keras config. */
  public static MaxPooling1D fromConfig(Map<String, Object> config) {
    return Pooling.fromConfig(
        "MaxPooling1D", config, 1, ConvWindow.repeat(2, 1), MaxPooling1D::new);
  }
}
