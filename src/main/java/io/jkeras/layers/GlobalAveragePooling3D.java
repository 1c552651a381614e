package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The mean of each channel over all depths, rows and columns, as Keras 3's {@code
 * keras.layers.GlobalAveragePooling3D}.
 *
 * <p>Arguments: {@code dataFormat} ({@code "channels_last"}, the default: input {@code (batch,
 * depth, rows, cols, channels)}; or {@code "channels_first"}: {@code (batch, channels, depth, rows,
 * cols)}), {@code keepdims} (false: output {@code (batch, channels)}; true: the spatial axes stay
 * with size 1). No weights.
 *
 * <pre>{@code
 * KerasTensor pooled = new GlobalAveragePooling3D().apply(conv); // (None, 4, 7, 7, 64) -> (None, 64)
 * }</pre>
 */
@KerasClass(aliases = "GlobalAvgPool3D")
public class GlobalAveragePooling3D extends GlobalPooling {

  /**
   * Averages channels-last volumes over depth, rows and columns to {@code (batch, channels)}, with
   * an automatic name.
   */
  public GlobalAveragePooling3D() {
    this(null, "channels_last", false);
  }

  /**
   * Averages channels-last volumes over depth, rows and columns to {@code (batch, channels)}.
   *
   * @param name the layer name, or null for an automatic one
   */
  public GlobalAveragePooling3D(String name) {
    this(name, "channels_last", false);
  }

  /**
   * Averages volumes over depth, rows and columns.
   *
   * @param name the layer name, or null for an automatic one
   * @param dataFormat {@code "channels_last"} or {@code "channels_first"}
   * @param keepdims keep the pooled axes with size 1 instead of dropping them
   */
  public GlobalAveragePooling3D(String name, String dataFormat, boolean keepdims) {
    super(name, 3, dataFormat, keepdims);
  }

  /**
   * A GlobalAveragePooling3D layer from its Keras config: {@code data_format}, {@code keepdims}.
   */
  public static GlobalAveragePooling3D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("GlobalAveragePooling3D", config);
    String name = c.name();
    String format = c.string("data_format", "channels_last");
    boolean keepdims = c.bool("keepdims", false);
    c.requireFloat32Dtype();
    return c.finish(new GlobalAveragePooling3D(name, format, keepdims));
  }

  @Override
  protected Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> x, boolean keepdims) {
    return tf.math.mean(x, tf.constant(spatialAxes()), Mean.keepDims(keepdims));
  }
}
