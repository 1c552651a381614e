package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The mean of each feature over all steps, as Keras 3's {@code keras.layers.GlobalAveragePooling1D}
 * With a Keras mask on its input (from {@code Embedding(mask_zero=true)} or {@link Masking}) it
 * averages only the unmasked steps, as Keras does.
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
public class GlobalAveragePooling1D extends GlobalPooling {

  /**
   * Averages channels-last sequences over the steps to {@code (batch, channels)}, with an automatic
   * name.
   */
  public GlobalAveragePooling1D() {
    this(null, "channels_last", false);
  }

  /**
   * Averages channels-last sequences over the steps to {@code (batch, channels)}.
   *
   * @param name the layer name, or null for an automatic one
   */
  public GlobalAveragePooling1D(String name) {
    this(name, "channels_last", false);
  }

  /**
   * Averages sequences over the steps (only the unmasked steps when the input has a mask).
   *
   * @param name the layer name, or null for an automatic one
   * @param dataFormat {@code "channels_last"} or {@code "channels_first"}
   * @param keepdims keep the pooled axis with size 1 instead of dropping it
   */
  public GlobalAveragePooling1D(String name, String dataFormat, boolean keepdims) {
    super(name, 1, dataFormat, keepdims);
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
    return tf.math.mean(x, tf.constant(spatialAxes()), Mean.keepDims(keepdims));
  }

  /** Keras's GlobalAveragePooling1D takes masks: it averages the unmasked steps only. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Keras's call takes {@code mask}: the masked mean uses the mask the graph recorded. */
  @Override
  public boolean callTakesMask() {
    return true;
  }

  /** The steps axis is pooled away, and the mask with it. */
  @Override
  protected Operand<TBool> computeMask(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks) {
    return null;
  }

  /**
   * With a mask (batch, steps): {@code sum(x * mask) / sum(mask)} over the steps, as Keras (a step
   * is dropped from both the sum and the count; an all-masked row divides by zero, as in Keras).
   */
  @Override
  protected List<Operand<?>> call(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) {
    Operand<TBool> mask = masks.isEmpty() ? null : masks.get(0);
    if (mask == null || inputs.size() != 1) {
      return call(tf, inputs, training);
    }
    Operand<TFloat32> x = DTypes.toFloat(tf, inputs.get(0));
    // The mask gets a features axis: (batch, steps, 1), or (batch, 1, steps) for channels_first.
    Operand<TFloat32> m =
        tf.expandDims(
            tf.dtypes.cast(mask, TFloat32.class), tf.constant(spatialAxes()[0] == 1 ? 2 : 1));
    Operand<TInt32> axis = tf.constant(spatialAxes()[0]);
    Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(x, m), axis, ReduceSum.keepDims(keepdims()));
    Operand<TFloat32> count = tf.reduceSum(m, axis, ReduceSum.keepDims(keepdims()));
    return List.of(tf.math.div(sum, count));
  }
}
