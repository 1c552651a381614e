package io.jkeras.layers;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Dot-product attention (Luong style), as Keras 3's {@code keras.layers.Attention}: scores are
 * {@code query . key} (times a learned {@code scale} with {@code useScale}), or with {@code
 * scoreMode "concat"} {@code concat_score_weight * sum(tanh(scale * (query + key)))}; the softmax
 * of the scores over the value steps weighs the values.
 *
 * <p>Arguments: {@code useScale} (false), {@code scoreMode} ("dot" or "concat"), {@code dropout} on
 * the attention distribution in training (0), {@code seed}.
 *
 * <p>Call: a list {@code [query, value]} or {@code [query, value, key]} (the key is the value by
 * default), and the keyword arguments {@code use_causal_mask} and {@code return_attention_scores}.
 * Keras masks: the value's mask hides value steps, the query's mask zeroes the output's masked
 * steps and passes to the output.
 *
 * <p>Shapes: query {@code (batch, Tq, dim)}, value and key {@code (batch, Tv, dim)}; output {@code
 * (batch, Tq, dim)}, scores {@code (batch, Tq, Tv)}.
 *
 * <p>Weights, in this order: {@code scale} (a scalar, with useScale), {@code concat_score_weight}
 * (a scalar, with scoreMode "concat").
 *
 * <pre>{@code
 * KerasTensor context = new Attention().apply(query, value);
 * KerasTensor causal =
 *     new Attention().apply(List.of(query, value), Map.of("use_causal_mask", true)).get(0);
 * }</pre>
 */
public class Attention extends Layer {

  private static final Set<String> CALL_ARGUMENTS =
      Set.of("use_causal_mask", "return_attention_scores");

  private final boolean useScale;
  private final String scoreMode;
  private final double dropout;
  private final Long seed;
  private final long opSeed;
  private long emissions;

  private Weight scale;
  private Weight concatScoreWeight;

  /** Keras's defaults: no scale, dot scores, no dropout. */
  public Attention() {
    this(false, "dot", 0.0, null, null);
  }

  /**
   * An Attention layer.
   *
   * <pre>{@code new Attention(true, "concat", 0.1, 42L, "attention")}</pre>
   *
   * @param scoreMode {@code "dot"} or {@code "concat"}
   * @param dropout in [0, 1]
   * @param seed the dropout seed, or null
   * @param name the layer name, or null for an automatic one
   */
  public Attention(boolean useScale, String scoreMode, double dropout, Long seed, String name) {
    super(name);
    if (!"dot".equals(scoreMode) && !"concat".equals(scoreMode)) {
      throw new IllegalArgumentException(
          className()
              + ": score_mode must be one of {\"dot\", \"concat\"}, got "
              + (scoreMode == null ? "null" : "\"" + scoreMode + "\""));
    }
    if (!(dropout >= 0 && dropout <= 1)) {
      throw new IllegalArgumentException(
          className() + ": dropout must be between 0 and 1, got " + dropout);
    }
    this.useScale = useScale;
    this.scoreMode = scoreMode;
    this.dropout = dropout;
    this.seed = seed;
    this.opSeed = seed != null ? seed : GlobalSeed.nextOpSeed();
  }

  /**
   * An Attention layer from its Keras config: {@code use_scale}, {@code score_mode}, {@code
   * dropout}, {@code seed}.
   *
   * <pre>{@code Attention a = Attention.fromConfig(config);}</pre>
   */
  public static Attention fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Attention", config);
    Attention layer =
        new Attention(
            c.bool("use_scale", false),
            c.string("score_mode", "dot"),
            c.number("dropout", 0),
            c.optionalLong("seed"),
            c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  /** Whether the scores are multiplied by a learned scale. */
  public boolean useScale() {
    return useScale;
  }

  /** The dropout rate on the attention distribution. */
  public double dropout() {
    return dropout;
  }

  /** Keras's attention layers keep the query's mask. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  // ---- build -----------------------------------------------------------------------------------

  @Override
  protected void build(List<Shape> inputShapes) {
    checkInputs(inputShapes);
    if (useScale) {
      scale = addWeight("scale", Shape.scalar(), "ones");
    }
    if ("concat".equals(scoreMode)) {
      concatScoreWeight = addWeight("concat_score_weight", Shape.scalar(), "ones");
    }
  }

  /** Sets the scale weight, for a subclass whose {@code build} makes one of another shape. */
  protected final void setScale(Weight scale) {
    this.scale = scale;
  }

  /** The scale weight, or null. */
  protected final Weight scale() {
    return scale;
  }

  /** Checks that the layer got [query, value] or [query, value, key]. */
  protected final void checkInputs(List<Shape> inputShapes) {
    if (inputShapes.size() < 2 || inputShapes.size() > 3) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + ") takes a list [query, value] or [query, value, key], got "
              + inputShapes.size()
              + " input(s)");
    }
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes, Map<String, Object> kwargs) {
    checkInputs(inputShapes);
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      if (!CALL_ARGUMENTS.contains(e.getKey())
          || !(e.getValue() == null || e.getValue() instanceof Boolean)) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" ("
                + className()
                + "): call argument \""
                + e.getKey()
                + "\" = "
                + e.getValue()
                + " is not supported; it takes "
                + CALL_ARGUMENTS
                + " (true or false)");
      }
    }
    Shape query = inputShapes.get(0);
    Shape value = inputShapes.get(1);
    Shape key = inputShapes.size() > 2 ? inputShapes.get(2) : value;
    long[] q = query.asArray();
    long[] out = q.clone();
    out[out.length - 1] = value.size(value.numDimensions() - 1);
    if (Boolean.TRUE.equals(kwargs.get("return_attention_scores"))) {
      long[] scores = q.clone();
      scores[scores.length - 1] = key.size(key.numDimensions() - 2);
      return List.of(Shape.of(out), Shape.of(scores));
    }
    return List.of(Shape.of(out));
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    return computeOutputShape(inputShapes, Map.of());
  }

  // ---- call ------------------------------------------------------------------------------------

  /** The scores {@code (batch, Tq, Tv)} of this layer's kind. */
  protected Operand<TFloat32> scores(Ops tf, Operand<TFloat32> query, Operand<TFloat32> key) {
    if ("dot".equals(scoreMode)) {
      Operand<TFloat32> s = tf.linalg.einsum(List.of(query, key), "...qd,...kd->...qk");
      return useScale ? tf.math.mul(s, scale.value()) : s;
    }
    Operand<TFloat32> q = tf.expandDims(query, tf.constant(-2)); // (B, Tq, 1, dim)
    Operand<TFloat32> k = tf.expandDims(key, tf.constant(-3)); // (B, 1, Tv, dim)
    Operand<TFloat32> sum = tf.math.add(q, k);
    if (useScale) {
      sum = tf.math.mul(scale.value(), sum);
    }
    return tf.math.mul(concatScoreWeight.value(), tf.reduceSum(tf.math.tanh(sum), tf.constant(-1)));
  }

  @Override
  protected List<Operand<?>> call(
      Ops tf,
      List<Operand<?>> inputs,
      List<Operand<TBool>> masks,
      Map<String, Object> kwargs,
      boolean training) {
    Operand<TFloat32> query = DTypes.toFloat(tf, inputs.get(0));
    Operand<TFloat32> value = DTypes.toFloat(tf, inputs.get(1));
    Operand<TFloat32> key = inputs.size() > 2 ? DTypes.toFloat(tf, inputs.get(2)) : value;
    Operand<TBool> queryMask = masks.get(0);
    Operand<TBool> valueMask = masks.get(1);
    Operand<TFloat32> scores = scores(tf, query, key);

    Operand<TBool> scoresMask =
        valueMask == null ? null : tf.expandDims(valueMask, tf.constant(-2));
    if (Boolean.TRUE.equals(kwargs.get("use_causal_mask"))) {
      Operand<TInt32> shape = tf.shape(scores);
      int rank = scores.shape().numDimensions();
      Operand<TInt32> tq = tf.gather(shape, tf.constant(rank - 2), tf.constant(0));
      Operand<TInt32> tv = tf.gather(shape, tf.constant(rank - 1), tf.constant(0));
      Operand<TInt32> rows =
          tf.expandDims(tf.range(tf.constant(0), tq, tf.constant(1)), tf.constant(1));
      Operand<TInt32> cols =
          tf.expandDims(tf.range(tf.constant(0), tv, tf.constant(1)), tf.constant(0));
      Operand<TBool> causal = tf.expandDims(tf.math.greaterEqual(rows, cols), tf.constant(0));
      scoresMask = scoresMask == null ? causal : tf.math.logicalAnd(scoresMask, causal);
    }
    if (scoresMask != null) {
      // Keras subtracts 1e9 from the scores of hidden steps.
      Operand<TBool> hidden = tf.broadcastTo(tf.math.logicalNot(scoresMask), tf.shape(scores));
      scores = tf.select(hidden, tf.math.sub(scores, tf.constant(1e9f)), scores);
    }
    Operand<TFloat32> weights = tf.nn.softmax(scores);
    Operand<TFloat32> used = weights;
    if (training && dropout > 0) {
      used = dropout(tf, weights);
    }
    Operand<TFloat32> out = tf.linalg.einsum(List.of(used, value), "...qk,...kd->...qd");
    if (queryMask != null) {
      Operand<TBool> keep =
          tf.broadcastTo(tf.expandDims(queryMask, tf.constant(-1)), tf.shape(out));
      out = tf.select(keep, out, tf.zerosLike(out));
    }
    if (Boolean.TRUE.equals(kwargs.get("return_attention_scores"))) {
      return List.of(out, weights);
    }
    return List.of(out);
  }

  private Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> x) {
    // seed2 differs per emission (never 0, which TensorFlow reads as "unseeded").
    long seed2 = ++emissions;
    Operand<TFloat32> u =
        tf.random.randomUniform(
            tf.shape(x), TFloat32.class, RandomUniform.seed(opSeed), RandomUniform.seed2(seed2));
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) dropout)), TFloat32.class);
    float kept = dropout < 1 ? (float) (1.0 / (1.0 - dropout)) : 0f;
    return tf.math.mul(tf.math.mul(x, keep), tf.constant(kept));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("use_scale", useScale);
    config.put("score_mode", scoreMode);
    config.put("dropout", dropout);
    config.put("seed", seed);
    return config;
  }
}
