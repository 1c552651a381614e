package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Additive attention (Bahdanau style), as Keras 3's {@code keras.layers.AdditiveAttention}: the
 * scores are {@code sum(scale * tanh(query + key))} over the features, with a learned {@code scale}
 * vector when {@code useScale}; masks, dropout, causal masking and the returned scores are those of
 * {@link Attention}.
 *
 * <p>Arguments: {@code useScale} (true), {@code dropout} (0), {@code seed}.
 *
 * <p>Shapes: query {@code (batch, Tq, dim)}, value and key {@code (batch, Tv, dim)}; output {@code
 * (batch, Tq, dim)}.
 *
 * <p>Weights: {@code scale} {@code (dim,)}, glorot_uniform, with useScale.
 *
 * <pre>{@code
 * KerasTensor context = new AdditiveAttention().apply(query, value, key);
 * }</pre>
 */
public class AdditiveAttention extends Attention {

  /** Keras's defaults: a learned scale, no dropout. */
  public AdditiveAttention() {
    this(true, 0.0, null, null);
  }

  /**
   * An AdditiveAttention layer.
   *
   * <pre>{@code new AdditiveAttention(false, 0.1, 7L, "additive")}</pre>
   *
   * @param dropout in [0, 1]
   * @param seed the dropout seed, or null
   * @param name the layer name, or null for an automatic one
   */
  public AdditiveAttention(boolean useScale, double dropout, Long seed, String name) {
    super(useScale, "dot", dropout, seed, name);
  }

  /**
   * An AdditiveAttention layer from its Keras config: {@code use_scale}, {@code dropout}, {@code
   * seed}.
   *
   * <pre>{@code AdditiveAttention a = AdditiveAttention.fromConfig(config);}</pre>
   */
  public static AdditiveAttention fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("AdditiveAttention", config);
    AdditiveAttention layer =
        new AdditiveAttention(
            c.bool("use_scale", true), c.number("dropout", 0), c.optionalLong("seed"), c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  @Override
  protected void build(List<Shape> inputShapes) {
    checkInputs(inputShapes);
    Shape query = inputShapes.get(0);
    if (useScale()) {
      setScale(
          addWeight("scale", Shape.of(query.size(query.numDimensions() - 1)), "glorot_uniform"));
    }
  }

  @Override
  protected Operand<TFloat32> scores(Ops tf, Operand<TFloat32> query, Operand<TFloat32> key) {
    Operand<TFloat32> q = tf.expandDims(query, tf.constant(-2)); // (B, Tq, 1, dim)
    Operand<TFloat32> k = tf.expandDims(key, tf.constant(-3)); // (B, 1, Tv, dim)
    Operand<TFloat32> t = tf.math.tanh(tf.math.add(q, k));
    if (useScale()) {
      t = tf.math.mul(scale().value(), t);
    }
    return tf.reduceSum(t, tf.constant(-1));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("score_mode");
    return config;
  }
}
