package io.jkeras.layers;

import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The mean of each channel over sliding windows, as Keras 3's {@code
 * keras.layers.AveragePooling3D}.
 *
 * <p>Arguments: {@code poolSize} (required), {@code strides} (the pool size), {@code padding}
 * ("valid" or "same"), {@code dataFormat} ("channels_last" or "channels_first"). See {@link
 * Pooling} for the padding rules.
 *
 * <p>Shapes: input {@code (batch, depth, rows, cols, channels)} (channels_last) or {@code (batch,
 * channels, depth, rows, cols)}; output the same with each spatial size n becoming {@code floor((n
 * - pool) / stride) + 1} ("valid") or {@code ceil(n / stride)} ("same"). No weights.
 *
 * <pre>{@code
 * KerasTensor y = new AveragePooling3D(2).apply(x); // (None, 8, 28, 28, 4) -> (None, 4, 14, 14, 4)
 * AveragePooling3D p = AveragePooling3D.builder(1, 3, 3).strides(2).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "AvgPool3D")
public class AveragePooling3D extends Pooling {

  /** Windows of {@code poolSize} positions on every axis, moved by as much. */
  public AveragePooling3D(int poolSize) {
    this(builder(poolSize));
  }

  private AveragePooling3D(Builder<AveragePooling3D> b) {
    super(b, 3, false);
  }

  /** A builder; {@code poolSize} (one integer, or one per axis) has no default in Keras. */
  public static Builder<AveragePooling3D> builder(int... poolSize) {
    return new Builder<>(AveragePooling3D::new, poolSize);
  }

  /** An AveragePooling3D from its Keras config. */
  public static AveragePooling3D fromConfig(Map<String, Object> config) {
    return Pooling.fromConfig("AveragePooling3D", config, 3, null, AveragePooling3D::new);
  }
}
