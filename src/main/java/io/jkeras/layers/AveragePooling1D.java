package io.jkeras.layers;

import io.jkeras.config.KerasClass;
import java.util.Map;

/**
 * The mean of each channel over sliding windows, as Keras 3's {@code
 * keras.layers.AveragePooling1D}.
 *
 * <p>Arguments: {@code poolSize} (required), {@code strides} (the pool size), {@code padding}
 * ("valid" or "same"), {@code dataFormat} ("channels_last" or "channels_first"). See {@link
 * Pooling} for the padding rules.
 *
 * <p>Shapes: input {@code (batch, steps, channels)} (channels_last) or {@code (batch, channels,
 * steps)}; output the same with {@code floor((steps - poolSize) / strides) + 1} steps ("valid") or
 * {@code ceil(steps / strides)} ("same"). No weights.
 *
 * <pre>{@code
 * KerasTensor y = new AveragePooling1D(2).apply(x); // (None, 10, 8) -> (None, 5, 8)
 * AveragePooling1D p = AveragePooling1D.builder(3).strides(1).padding("same").build();
 * }</pre>
 */
@KerasClass(aliases = "AvgPool1D")
public class AveragePooling1D extends Pooling {

  /** Windows of {@code poolSize} positions on every axis, moved by as much. */
  public AveragePooling1D(int poolSize) {
    this(builder(poolSize));
  }

  private AveragePooling1D(Builder<AveragePooling1D> b) {
    super(b, 1, false);
  }

  /** A builder; {@code poolSize} (one integer, or one per axis) has no default in Keras. */
  public static Builder<AveragePooling1D> builder(int... poolSize) {
    return new Builder<>(AveragePooling1D::new, poolSize);
  }

  /** A AveragePooling1D from its Keras config. */
  public static AveragePooling1D fromConfig(Map<String, Object> config) {
    return Pooling.fromConfig("AveragePooling1D", config, 1, null, AveragePooling1D::new);
  }
}
