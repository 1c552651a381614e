package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The mean of each feature over all steps, as Keras 3's {@code keras.layers.GlobalAveragePooling1D}
 * (without masks: jkeras has no masking).
 *
 * <p>Arguments: {@code dataFormat} ({@code "channels_last"}, the default: input {@code (batch,
 * steps, features)}; or {@code "channels_first"}: {@code (batch, features, steps)}), {@code
 * keepdims} (false: output {@code (batch, features)}; true: the steps axis stays with size 1). No
 * weights.
 *
 * <pre>{@code
 * // (None, 100, 50) -> (None, 50)
 * KerasTensor pooled = new GlobalAveragePooling1D().apply(embedded);
 * }</pre>
 */
@KerasClass(aliases = "GlobalAvgPool1D")
public class GlobalAveragePooling1D extends GlobalPooling1D {

  public GlobalAveragePooling1D() {
    this(null, "channels_last", false);
  }

  public GlobalAveragePooling1D(String name) {
    this(name, "channels_last", false);
  }

  public GlobalAveragePooling1D(String name, String dataFormat, boolean keepdims) {
    super(name, dataFormat, keepdims);
  }

  /**
   * A GlobalAveragePooling1D layer from its Keras config: {@code data_format}, {@code keepdims}.
   */
  public static GlobalAveragePooling1D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("GlobalAveragePooling1D", config);
    String name = c.name();
    String format = c.string("data_format", "channels_last");
    boolean keepdims = c.bool("keepdims", false);
    c.requireFloat32Dtype();
    return c.finish(new GlobalAveragePooling1D(name, format, keepdims));
  }

  @Override
  protected Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> x, boolean keepdims) {
    return tf.math.mean(x, tf.constant(stepsAxis()), Mean.keepDims(keepdims));
  }
}
