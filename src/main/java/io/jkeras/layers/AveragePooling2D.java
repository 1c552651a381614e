package io.jkeras.layers;

import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The mean of each channel over sliding windows, as Keras 3's {@code
 * keras.layers.AveragePooling2D}.
 *
 * <p>Arguments: {@code poolSize} (required), {@code strides} (the pool size), {@code padding}
 * ("valid" or "same"), {@code dataFormat} ("channels_last" or "channels_first"). See {@link
 * Pooling} for the padding rules.
 *
 * <p>Shapes: input {@code (batch, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, rows, cols)}; output the same with each spatial size n becoming {@code floor((n - pool)
 * / stride) + 1} ("valid") or {@code ceil(n / stride)} ("same"). No weights.
 *
 * <pre>{@code
 * KerasTensor y = new AveragePooling2D(2).apply(x); // (None, 28, 28, 8) -> (None, 14, 14, 8)
 * AveragePooling2D p = AveragePooling2D.builder(3, 3).strides(2).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "AvgPool2D")
public class AveragePooling2D extends Pooling {

  /** Windows of {@code poolSize} positions on every axis, moved by as much. */
  public AveragePooling2D(int poolSize) {
    this(builder(poolSize));
  }

  private AveragePooling2D(Builder<AveragePooling2D> b) {
    super(b, 2, false);
  }

  /** A builder; {@code poolSize} (one integer, or one per axis) has no default in Keras. */
  public static Builder<AveragePooling2D> builder(int... poolSize) {
    return new Builder<>(AveragePooling2D::new, poolSize);
  }

  /** A AveragePooling2D from its Keras config. */
  public static AveragePooling2D fromConfig(Map<String, Object> config) {
    return Pooling.fromConfig("AveragePooling2D", config, 2, null, AveragePooling2D::new);
  }
}
