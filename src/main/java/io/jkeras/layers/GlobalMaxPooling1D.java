package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TFloat32;

/**
 * The maximum of each feature over all steps, as Keras 3's {@code keras.layers.GlobalMaxPooling1D}.
 *
 * <p>Arguments: {@code dataFormat} ({@code "channels_last"}, the default: input {@code (batch,
 * steps, features)}; or {@code "channels_first"}: {@code (batch, features, steps)}), {@code
 * keepdims} (false: output {@code (batch, features)}; true: the steps axis stays with size 1). No
 * weights. The gradient goes to the step that holds the maximum (shared equally on ties).
 *
 * <pre>{@code
 * KerasTensor pooled = new GlobalMaxPooling1D().apply(conv);   // (None, 98, 250) -> (None, 250)
 * }</pre>
 */
@KerasClass(aliases = "GlobalMaxPool1D")
public class GlobalMaxPooling1D extends GlobalPooling {

  /**
   * Takes the maximum of channels-last sequences over the steps, to {@code (batch, channels)}, with
   * an automatic name.
   */
  public GlobalMaxPooling1D() {
    this(null, "channels_last", false);
  }

  /**
   * Takes the maximum of channels-last sequences over the steps, to {@code (batch, channels)}.
   *
   * @param name the layer name, or null for an automatic one
   */
  public GlobalMaxPooling1D(String name) {
    this(name, "channels_last", false);
  }

  /**
   * Takes the maximum of sequences over the steps.
   *
   * @param name the layer name, or null for an automatic one
   * @param dataFormat {@code "channels_last"} or {@code "channels_first"}
   * @param keepdims keep the pooled axis with size 1 instead of dropping it
   */
  public GlobalMaxPooling1D(String name, String dataFormat, boolean keepdims) {
    super(name, 1, dataFormat, keepdims);
  }

  /** A GlobalMaxPooling1D layer from its Keras config: {@code data_format}, {@code keepdims}. */
  public static GlobalMaxPooling1D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("GlobalMaxPooling1D", config);
    String name = c.name();
    String format = c.string("data_format", "channels_last");
    boolean keepdims = c.bool("keepdims", false);
    c.requireFloat32Dtype();
    return c.finish(new GlobalMaxPooling1D(name, format, keepdims));
  }

  @Override
  protected Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> x, boolean keepdims) {
    return tf.max(x, tf.constant(spatialAxes()), Max.keepDims(keepdims));
  }
}
