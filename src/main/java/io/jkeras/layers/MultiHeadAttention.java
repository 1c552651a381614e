package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Multi-head attention ("Attention is all you need"), as Keras 3's {@code
 * keras.layers.MultiHeadAttention}: the query, key and value are projected to {@code numHeads}
 * heads by {@link EinsumDense} sub-layers, each head takes the softmax of its scaled query-key dot
 * products over the attention axes, averages the values with them, and an output EinsumDense
 * projects the heads back.
 *
 * <p>Arguments: {@code numHeads}, {@code keyDim} (size of each query/key head), {@code valueDim}
 * (keyDim by default), {@code dropout} on the attention probabilities in training (0), {@code
 * useBias} (true), {@code outputShape} (the query's last axis by default), {@code attentionAxes}
 * (all axes but batch, heads and features by default), kernel/bias initializers, regularizers,
 * constraints and an activity regularizer (given to the projections, as in Keras), {@code seed},
 * {@code slidingWindow} (none; w lets query step t attend only to key steps s with {@code |t - s| <
 * w}, ANDed with the other masks), {@code useGate} (false; true adds a sigmoid projection of the
 * query, {@code _gate_dense}, that multiplies the heads before the output projection).
 *
 * <p>Call: {@code (query, value)} positionally, and keyword arguments {@code key} (the value by
 * default), {@code attention_mask} (a boolean {@code (batch, T, S)} tensor, true where a query may
 * attend), {@code use_causal_mask} and {@code return_attention_scores}. Keras masks of the query,
 * value and key (Embedding(mask_zero), Masking) mask the attention as in Keras, and the query's
 * mask passes to the output.
 *
 * <p>Shapes: query {@code (batch, T, dim)}, value and key {@code (batch, S, dim)} (or higher rank
 * with {@code attentionAxes}); output {@code (batch, T, outputShape or dim)}; scores {@code (batch,
 * numHeads, T, S)} (the symbolic shape, as Keras's, says {@code T} twice).
 *
 * <p>Weights, in this order, in sub-layers saved as Keras does ({@code query_dense}, {@code
 * key_dense}, {@code _gate_dense} with useGate, {@code value_dense}, {@code output_dense}, each
 * with kernel and bias).
 *
 * <pre>{@code
 * MultiHeadAttention mha = MultiHeadAttention.builder(2, 16).build();
 * KerasTensor y = mha.apply(x, x); // self-attention
 * KerasTensor causal =
 *     MultiHeadAttention.builder(2, 16).build().apply(List.of(x, x), Map.of("use_causal_mask", true)).get(0);
 * }</pre>
 */
public class MultiHeadAttention extends Layer {

  private static final Set<String> CALL_ARGUMENTS =
      Set.of("key", "attention_mask", "use_causal_mask", "return_attention_scores");

  private final int numHeads;
  private final int keyDim;
  private final int valueDim;
  private final double dropout;
  private final boolean useBias;
  private final List<Long> outputShape;
  private List<Integer> attentionAxes;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final Regularizer biasRegularizer;
  private final Regularizer projectionActivityRegularizer;
  private final Constraint kernelConstraint;
  private final Constraint biasConstraint;
  private final Long seed;
  private final Integer slidingWindow;
  private final boolean useGate;

  private EinsumDense queryDense;
  private EinsumDense keyDense;
  private EinsumDense gateDense;
  private EinsumDense valueDense;
  private Dropout dropoutLayer;
  private EinsumDense outputDense;
  private String dotProductEquation;
  private String combineEquation;
  private int scoresRank;

  /** The layer of a {@link Builder}; subclasses call this. */
  protected MultiHeadAttention(Builder b) {
    super(b.name);
    if (b.numHeads <= 0) {
      throw new IllegalArgumentException(
          "MultiHeadAttention: num_heads must be a positive integer, got " + b.numHeads);
    }
    if (b.keyDim <= 0) {
      throw new IllegalArgumentException(
          "MultiHeadAttention: key_dim must be a positive integer, got " + b.keyDim);
    }
    if (b.valueDim != null && b.valueDim <= 0) {
      throw new IllegalArgumentException(
          "MultiHeadAttention: value_dim must be a positive integer or null, got " + b.valueDim);
    }
    if (b.slidingWindow != null && b.slidingWindow <= 0) {
      throw new IllegalArgumentException(
          "MultiHeadAttention: sliding_window must be null or a positive integer, got "
              + b.slidingWindow);
    }
    if (!(b.dropout >= 0 && b.dropout <= 1)) {
      throw new IllegalArgumentException(
          "MultiHeadAttention: dropout must be between 0 and 1, got " + b.dropout);
    }
    this.numHeads = b.numHeads;
    this.keyDim = b.keyDim;
    this.valueDim = b.valueDim != null ? b.valueDim : b.keyDim;
    this.dropout = b.dropout;
    this.useBias = b.useBias;
    this.outputShape = b.outputShape;
    this.attentionAxes = b.attentionAxes;
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.biasRegularizer = b.biasRegularizer;
    this.projectionActivityRegularizer = b.activityRegularizer;
    this.kernelConstraint = b.kernelConstraint;
    this.biasConstraint = b.biasConstraint;
    this.seed = b.seed;
    this.slidingWindow = b.slidingWindow;
    this.useGate = b.useGate;
  }

  /**
   * The optional arguments of a MultiHeadAttention with {@code numHeads} heads of size {@code
   * keyDim}.
   *
   * <pre>{@code MultiHeadAttention.builder(4, 8).dropout(0.1).outputShape(16L).build()}</pre>
   */
  public static Builder builder(int numHeads, int keyDim) {
    return new Builder(numHeads, keyDim);
  }

  /**
   * A MultiHeadAttention from its Keras config.
   *
   * <pre>{@code MultiHeadAttention mha = MultiHeadAttention.fromConfig(config);}</pre>
   */
  public static MultiHeadAttention fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MultiHeadAttention", config);
    Builder b = builder(c.positiveInt("num_heads"), c.positiveInt("key_dim")).name(c.name());
    if (c.raw("value_dim") != null) {
      b.valueDim(c.positiveInt("value_dim"));
    }
    b.dropout(c.number("dropout", 0));
    b.useBias(c.bool("use_bias", true));
    Object shape = c.raw("output_shape");
    if (shape instanceof List<?>) {
      b.outputShape(c.optionalDims("output_shape").toArray(Long[]::new));
    } else if (shape != null) {
      Long n = ConfigReader.integral(shape);
      if (n == null || n <= 0) {
        throw c.wrongValue("output_shape", "a positive integer, a list of them, or null", shape);
      }
      b.outputShape(n);
    }
    Object axes = c.raw("attention_axes");
    if (axes instanceof List<?>) {
      b.attentionAxes(c.optionalInts("attention_axes").stream().mapToInt(i -> i).toArray());
    } else if (axes != null) {
      Long n = ConfigReader.integral(axes);
      if (n == null) {
        throw c.wrongValue("attention_axes", "an integer, a list of them, or null", axes);
      }
      b.attentionAxes(n.intValue());
    }
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.biasInitializer(c.initializer("bias_initializer", "zeros"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.biasRegularizer(c.regularizer("bias_regularizer"));
    b.activityRegularizer(c.activityRegularizer());
    b.kernelConstraint(c.constraint("kernel_constraint"));
    b.biasConstraint(c.constraint("bias_constraint"));
    b.seed(c.optionalLong("seed"));
    b.useGate(c.bool("use_gate", false));
    if (c.raw("sliding_window") != null) {
      b.slidingWindow(c.positiveInt("sliding_window"));
    }
    c.requireDefault("flash_attention", null, "flash attention");
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  /** The number of heads. */
  public int numHeads() {
    return numHeads;
  }

  /** The size of each query and key head. */
  public int keyDim() {
    return keyDim;
  }

  /** The size of each value head. */
  public int valueDim() {
    return valueDim;
  }

  /** Whether a sigmoid gate on the query multiplies the heads before the output projection. */
  public boolean useGate() {
    return useGate;
  }

  /** The sliding window's width w (attention only where {@code |t - s| < w}), or null for none. */
  public Integer slidingWindow() {
    return slidingWindow;
  }

  /** Keras's MultiHeadAttention keeps masks: the query's mask passes to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Query and value are separate positional arguments: {@code mha(query, value)}. */
  @Override
  public boolean callTakesSeparateInputs() {
    return true;
  }

  // ---- build -----------------------------------------------------------------------------------

  @Override
  protected void build(List<Shape> inputShapes, Map<String, Object> kwargs) {
    checkCall(inputShapes, kwargs);
    Shape query = inputShapes.get(0);
    Shape value = inputShapes.get(1);
    Shape key = kwargs.get("key") instanceof Shape k ? k : value;
    int queryRank = query.numDimensions();
    queryDense =
        addLayer(
            "query_dense",
            projection("query", queryRank - 1, 1, List.of((long) numHeads, (long) keyDim), null));
    queryDense.ensureBuilt(query);
    keyDense =
        addLayer(
            "key_dense",
            projection(
                "key", key.numDimensions() - 1, 1, List.of((long) numHeads, (long) keyDim), null));
    keyDense.ensureBuilt(key);
    if (useGate) {
      // Keras builds the gate between the key and the value projections (its weight order).
      gateDense =
          addLayer(
              "_gate_dense",
              projection(
                  "gate", queryRank - 1, 1, List.of((long) numHeads, (long) valueDim), "sigmoid"));
      gateDense.ensureBuilt(query);
    }
    int valueRank = value.numDimensions();
    valueDense =
        addLayer(
            "value_dense",
            projection("value", valueRank - 1, 1, List.of((long) numHeads, (long) valueDim), null));
    valueDense.ensureBuilt(value);

    int rank = valueRank + 1; // the projected value: (batch, <axes>, heads, valueDim)
    List<Integer> axes = new ArrayList<>();
    if (attentionAxes == null) {
      for (int i = 1; i < rank - 2; i++) {
        axes.add(i);
      }
    } else {
      for (int a : attentionAxes) {
        axes.add(a >= 0 ? a : rank - 1 + a);
      }
    }
    attentionAxes = Collections.unmodifiableList(axes);
    buildAttentionEquations(rank);
    addLayer("_softmax", new Softmax(-1, "softmax"));
    dropoutLayer =
        addLayer("_dropout_layer", Dropout.builder(dropout).seed(seed).name("dropout").build());

    List<Long> outDims = outputShape != null ? outputShape : List.of(query.size(queryRank - 1));
    outputDense =
        addLayer("output_dense", projection("attention_output", queryRank - 1, 2, outDims, null));
    long[] projected = queryDense.computeOutputShape(query).asArray();
    projected[projected.length - 1] = valueDim;
    outputDense.ensureBuilt(Shape.of(projected));
  }

  /**
   * An EinsumDense of Keras's {@code _build_proj_equation}: {@code free} axes kept, {@code bound}
   * axes contracted, {@code outDims.size()} new axes (with a bias on them when {@code useBias}),
   * then {@code activation} (null: none).
   */
  private EinsumDense projection(
      String name, int free, int bound, List<Long> outDims, String activation) {
    StringBuilder input = new StringBuilder();
    StringBuilder kernel = new StringBuilder();
    StringBuilder output = new StringBuilder();
    StringBuilder bias = new StringBuilder();
    int letter = 0;
    for (int i = 0; i < free; i++, letter++) {
      input.append((char) ('a' + letter));
      output.append((char) ('a' + letter));
    }
    for (int i = 0; i < bound; i++, letter++) {
      input.append((char) ('a' + letter));
      kernel.append((char) ('a' + letter));
    }
    for (int i = 0; i < outDims.size(); i++, letter++) {
      kernel.append((char) ('a' + letter));
      output.append((char) ('a' + letter));
      bias.append((char) ('a' + letter));
    }
    List<Long> shape = new ArrayList<>();
    for (int i = 0; i < output.length() - 1 - outDims.size(); i++) {
      shape.add(null);
    }
    shape.addAll(outDims);
    EinsumDense.Builder b =
        EinsumDense.builder(input + "," + kernel + "->" + output, shape.toArray(Long[]::new))
            .name(name)
            .kernelInitializer(kernelInitializer)
            .biasInitializer(biasInitializer)
            .kernelRegularizer(kernelRegularizer)
            .biasRegularizer(biasRegularizer)
            .activityRegularizer(projectionActivityRegularizer)
            .kernelConstraint(kernelConstraint)
            .biasConstraint(biasConstraint);
    if (useBias) {
      b.biasAxes(bias.toString());
    }
    if (activation != null) {
      b.activation(activation);
    }
    return b.build();
  }

  /** Keras's {@code _build_attention_equation}, for projected tensors of this rank. */
  private void buildAttentionEquations(int rank) {
    StringBuilder target = new StringBuilder();
    for (int i = 0; i < rank; i++) {
      target.append((char) ('a' + i));
    }
    List<Integer> batchDims = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      if (!attentionAxes.contains(i) && i != rank - 1) {
        batchDims.add(i);
      }
    }
    StringBuilder source = new StringBuilder();
    int letter = rank;
    for (int i = 0; i < rank; i++) {
      if (batchDims.contains(i) || i == rank - 1) {
        source.append(target.charAt(i));
      } else {
        source.append((char) ('a' + letter++));
      }
    }
    StringBuilder product = new StringBuilder();
    for (int i : batchDims) {
      product.append(target.charAt(i));
    }
    for (int i : attentionAxes) {
      product.append(target.charAt(i));
    }
    for (int i : attentionAxes) {
      product.append(source.charAt(i));
    }
    dotProductEquation = source + "," + target + "->" + product;
    combineEquation = product + "," + source + "->" + target;
    scoresRank = product.length();
  }

  private void checkCall(List<Shape> inputShapes, Map<String, Object> kwargs) {
    if (inputShapes.size() != 2) {
      throw problem(
          "call it on (query, value) and give the key as the keyword argument \"key\"; got "
              + inputShapes.size()
              + " positional inputs");
    }
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      if (!CALL_ARGUMENTS.contains(k)) {
        throw problem("unknown call argument \"" + k + "\"; expected some of " + CALL_ARGUMENTS);
      }
      boolean tensor = k.equals("key") || k.equals("attention_mask");
      if (tensor ? !(v instanceof Shape || v == null) : !(v instanceof Boolean || v == null)) {
        throw problem(
            "call argument \""
                + k
                + "\" must be "
                + (tensor ? "a tensor" : "true or false")
                + ", got "
                + v);
      }
    }
    Shape value = inputShapes.get(1);
    if (kwargs.get("key") instanceof Shape key) {
      long[] v = value.asArray();
      long[] k = key.asArray();
      boolean same = v.length == k.length;
      for (int i = 1; same && i < v.length - 1; i++) {
        same = v[i] == k[i];
      }
      if (!same) {
        throw problem(
            "all dimensions of value and key, except the last one, must be equal; got value "
                + KerasShape.format(value)
                + " and key "
                + KerasShape.format(key));
      }
    }
  }

  private IllegalArgumentException problem(String detail) {
    return new IllegalArgumentException("Layer \"" + name() + "\" (MultiHeadAttention): " + detail);
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes, Map<String, Object> kwargs) {
    checkCall(inputShapes, kwargs);
    Shape query = inputShapes.get(0);
    long[] q = query.asArray();
    Shape out = query;
    if (outputShape != null) {
      out = Shape.of(Arrays.copyOf(q, q.length - 1));
      for (Long d : outputShape) {
        out = out.append(d == null ? Shape.UNKNOWN_SIZE : d);
      }
    }
    if (Boolean.TRUE.equals(kwargs.get("return_attention_scores"))) {
      // Keras's symbolic scores shape repeats the query length (the real one ends in S).
      return List.of(out, Shape.of(q[0], numHeads, q[1], q[1]));
    }
    return List.of(out);
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    return computeOutputShape(inputShapes, Map.of());
  }

  // ---- call ------------------------------------------------------------------------------------

  @Override
  protected List<Operand<?>> call(
      Ops tf,
      List<Operand<?>> inputs,
      List<Operand<TBool>> masks,
      Map<String, Object> kwargs,
      boolean training) {
    Operand<TFloat32> query = DTypes.toFloat(tf, inputs.get(0));
    Operand<TFloat32> value = DTypes.toFloat(tf, inputs.get(1));
    Operand<?> keyInput = (Operand<?>) kwargs.get("key");
    Operand<TFloat32> key = keyInput == null ? value : DTypes.toFloat(tf, keyInput);
    boolean causal = Boolean.TRUE.equals(kwargs.get("use_causal_mask"));
    boolean returnScores = Boolean.TRUE.equals(kwargs.get("return_attention_scores"));

    Operand<TBool> mask =
        attentionMask(
            tf,
            query,
            value,
            masks.get(0),
            masks.get(1),
            keyInput == null ? null : maskOf(keyInput),
            (Operand<?>) kwargs.get("attention_mask"),
            causal);

    // Keras's MultiHeadAttention removes its inputs' masks for the layers that run after it.
    dropMask(inputs.get(0));
    dropMask(inputs.get(1));
    if (keyInput != null) {
      dropMask(keyInput);
    }
    Operand<TFloat32> gate = useGate ? callSublayer(gateDense, query) : null;
    Operand<TFloat32> q = callSublayer(queryDense, query);
    Operand<TFloat32> k = callSublayer(keyDense, key);
    Operand<TFloat32> v = callSublayer(valueDense, value);
    q = tf.math.mul(q, tf.constant((float) (1.0 / Math.sqrt(keyDim))));
    Operand<TFloat32> scores = tf.linalg.einsum(List.of(k, q), dotProductEquation);
    // Keras takes a fused path (no zeroing of fully masked rows) unless it must return the scores,
    // apply dropout, or attend over more than one axis.
    boolean zeroMasked = dropout > 0 || returnScores || query.shape().numDimensions() != 3;
    Operand<TFloat32> probs = maskedSoftmax(tf, scores, mask, zeroMasked);
    Operand<TFloat32> dropped = dropout > 0 ? callSublayer(dropoutLayer, probs) : probs;
    Operand<TFloat32> heads = tf.linalg.einsum(List.of(dropped, v), combineEquation);
    Operand<TFloat32> out = callSublayer(outputDense, useGate ? tf.math.mul(heads, gate) : heads);
    return returnScores ? List.of(out, probs) : List.of(out);
  }

  /** Keras's {@code _compute_attention_mask}: every mask that applies, ANDed; null for none. */
  private Operand<TBool> attentionMask(
      Ops tf,
      Operand<TFloat32> query,
      Operand<TFloat32> value,
      Operand<TBool> queryMask,
      Operand<TBool> valueMask,
      Operand<TBool> keyMask,
      Operand<?> explicit,
      boolean causal) {
    Operand<TBool> auto = null;
    if (queryMask != null) {
      auto = tf.expandDims(queryMask, tf.constant(-1)); // (B, T, 1)
    }
    if (valueMask != null) {
      auto = and(tf, auto, tf.expandDims(valueMask, tf.constant(-2))); // (B, 1, S)
    }
    if (keyMask != null) {
      auto = and(tf, auto, tf.expandDims(keyMask, tf.constant(-2)));
    }
    if (causal) {
      auto = and(tf, auto, causalMask(tf, query, value));
    }
    if (slidingWindow != null) {
      auto = and(tf, auto, slidingWindowMask(tf, query, value));
    }
    Operand<TBool> given = null;
    if (explicit != null) {
      given =
          explicit.type() == TBool.class
              ? explicit.asOutput().expect(TBool.class)
              : tf.dtypes.cast(explicit, TBool.class);
    }
    if (auto == null) {
      return given;
    }
    return given == null ? auto : tf.math.logicalAnd(given, auto);
  }

  private static Operand<TBool> and(Ops tf, Operand<TBool> a, Operand<TBool> b) {
    return a == null ? b : tf.math.logicalAnd(a, b);
  }

  /** {@code (1, T, S)}: true where the query step is at or after the key step. */
  private static Operand<TBool> causalMask(
      Ops tf, Operand<TFloat32> query, Operand<TFloat32> value) {
    Operand<TInt32> t = tf.gather(tf.shape(query), tf.constant(1), tf.constant(0));
    Operand<TInt32> s = tf.gather(tf.shape(value), tf.constant(1), tf.constant(0));
    Operand<TInt32> rows =
        tf.expandDims(tf.range(tf.constant(0), t, tf.constant(1)), tf.constant(1));
    Operand<TInt32> cols =
        tf.expandDims(tf.range(tf.constant(0), s, tf.constant(1)), tf.constant(0));
    return tf.expandDims(tf.math.greaterEqual(rows, cols), tf.constant(0));
  }

  /** {@code (1, T, S)}: true where the query and key steps are less than slidingWindow apart. */
  private Operand<TBool> slidingWindowMask(
      Ops tf, Operand<TFloat32> query, Operand<TFloat32> value) {
    Operand<TInt32> t = tf.gather(tf.shape(query), tf.constant(1), tf.constant(0));
    Operand<TInt32> s = tf.gather(tf.shape(value), tf.constant(1), tf.constant(0));
    Operand<TInt32> rows =
        tf.expandDims(tf.range(tf.constant(0), t, tf.constant(1)), tf.constant(1));
    Operand<TInt32> cols =
        tf.expandDims(tf.range(tf.constant(0), s, tf.constant(1)), tf.constant(0));
    Operand<TBool> band =
        tf.math.less(tf.math.abs(tf.math.sub(rows, cols)), tf.constant(slidingWindow));
    return tf.expandDims(band, tf.constant(0));
  }

  /**
   * Softmax over the attention axes (the last ones of the scores) with masked scores set to -1e9,
   * as Keras's Softmax layer; {@code zeroMasked} then also zeroes the masked probabilities.
   */
  private Operand<TFloat32> maskedSoftmax(
      Ops tf, Operand<TFloat32> scores, Operand<TBool> mask, boolean zeroMasked) {
    Operand<TBool> full = null;
    if (mask != null) {
      full = mask;
      int axis = -attentionAxes.size() * 2 - 1;
      for (int r = mask.shape().numDimensions(); r < scoresRank; r++) {
        full = tf.expandDims(full, tf.constant(axis));
      }
      full = tf.broadcastTo(full, tf.shape(scores));
      scores = tf.select(full, scores, tf.fill(tf.shape(scores), tf.constant(-1e9f)));
    }
    Operand<TFloat32> probs;
    if (attentionAxes.size() == 1) {
      probs = tf.nn.softmax(scores);
    } else {
      int[] axes = new int[attentionAxes.size()];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = scoresRank - axes.length + i;
      }
      Operand<TFloat32> max =
          tf.stopGradient(
              tf.reduceMax(
                  scores, tf.constant(axes), org.tensorflow.op.core.ReduceMax.keepDims(true)));
      Operand<TFloat32> shifted = tf.math.sub(scores, max);
      Operand<TFloat32> sum =
          tf.reduceSum(
              tf.math.exp(shifted),
              tf.constant(axes),
              org.tensorflow.op.core.ReduceSum.keepDims(true));
      probs = tf.math.exp(tf.math.sub(shifted, tf.math.log(sum)));
    }
    if (full != null && zeroMasked) {
      probs = tf.select(full, probs, tf.zerosLike(probs));
    }
    return probs;
  }

  // ---- config ----------------------------------------------------------------------------------

  /**
   * {@code {"shapes_dict": {"query_shape", "value_shape", "key_shape"}}}, the named shapes Keras's
   * {@code build(query_shape, value_shape, key_shape)} takes back.
   */
  @Override
  public Map<String, Object> buildConfig() {
    if (buildShapes() == null) {
      return null;
    }
    Map<String, Object> shapes = new LinkedHashMap<>();
    shapes.put("query_shape", KerasShape.toConfig(buildShapes().get(0)));
    shapes.put("value_shape", KerasShape.toConfig(buildShapes().get(1)));
    Shape key = buildKwargShapes().get("key");
    if (key != null) {
      shapes.put("key_shape", KerasShape.toConfig(key));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("shapes_dict", shapes);
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("num_heads", numHeads);
    config.put("key_dim", keyDim);
    config.put("value_dim", valueDim);
    config.put("dropout", dropout);
    config.put("use_bias", useBias);
    config.put("use_gate", useGate);
    config.put("output_shape", outputShape == null ? null : new ArrayList<>(outputShape));
    config.put("attention_axes", attentionAxes == null ? null : new ArrayList<>(attentionAxes));
    config.put("sliding_window", slidingWindow);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put("bias_initializer", KerasObjects.serialize("keras.initializers", biasInitializer));
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put("bias_regularizer", KerasObjects.serialize("keras.regularizers", biasRegularizer));
    config.put(
        "activity_regularizer",
        KerasObjects.serialize("keras.regularizers", projectionActivityRegularizer));
    config.put("kernel_constraint", KerasObjects.serialize("keras.constraints", kernelConstraint));
    config.put("bias_constraint", KerasObjects.serialize("keras.constraints", biasConstraint));
    config.put("seed", seed);
    return config;
  }

  /**
   * Optional arguments of {@link MultiHeadAttention}, with Keras 3's defaults.
   *
   * <pre>{@code MultiHeadAttention.builder(2, 8).valueDim(4).useBias(false).build()}</pre>
   */
  public static final class Builder {
    private final int numHeads;
    private final int keyDim;
    private String name;
    private Integer valueDim;
    private double dropout;
    private boolean useBias = true;
    private List<Long> outputShape;
    private List<Integer> attentionAxes;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Regularizer activityRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    private Long seed;
    private Integer slidingWindow;
    private boolean useGate;

    private Builder(int numHeads, int keyDim) {
      this.numHeads = numHeads;
      this.keyDim = keyDim;
    }

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The size of each value head; key_dim by default. */
    public Builder valueDim(int valueDim) {
      this.valueDim = valueDim;
      return this;
    }

    /**
     * Lets query step t attend only to key steps s with {@code |t - s| < slidingWindow} (a band
     * ANDed with the other masks; with {@code use_causal_mask}, the causal sliding window); null,
     * the default, for no band.
     */
    public Builder slidingWindow(Integer slidingWindow) {
      this.slidingWindow = slidingWindow;
      return this;
    }

    /**
     * Whether a sigmoid projection of the query ({@code _gate_dense}, {@code (numHeads, valueDim)}
     * per step) multiplies the heads before the output projection; false by default.
     */
    public Builder useGate(boolean useGate) {
      this.useGate = useGate;
      return this;
    }

    /** The dropout rate on the attention probabilities, in training; 0 by default. */
    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /** Whether the projections have biases; true by default. */
    public Builder useBias(boolean useBias) {
      this.useBias = useBias;
      return this;
    }

    /** The output's shape after the query axes; the query's last axis by default. */
    public Builder outputShape(Long... outputShape) {
      this.outputShape = List.copyOf(Arrays.asList(outputShape));
      return this;
    }

    /** The axes attention runs over (of the query, without heads); all but batch/features. */
    public Builder attentionAxes(int... axes) {
      this.attentionAxes = Arrays.stream(axes).boxed().toList();
      return this;
    }

    /** The projections' kernel initializer; glorot_uniform by default. */
    public Builder kernelInitializer(Initializer initializer) {
      this.kernelInitializer = initializer;
      return this;
    }

    /** The projections' kernel initializer by Keras name. */
    public Builder kernelInitializer(String initializer) {
      return kernelInitializer(Initializers.get(initializer));
    }

    /** The projections' bias initializer; zeros by default. */
    public Builder biasInitializer(Initializer initializer) {
      this.biasInitializer = initializer;
      return this;
    }

    /** The projections' bias initializer by Keras name. */
    public Builder biasInitializer(String initializer) {
      return biasInitializer(Initializers.get(initializer));
    }

    /** A penalty on the projections' kernels. */
    public Builder kernelRegularizer(Regularizer regularizer) {
      this.kernelRegularizer = regularizer;
      return this;
    }

    /** A penalty on the projections' kernels, by Keras name. */
    public Builder kernelRegularizer(String regularizer) {
      return kernelRegularizer(Regularizers.get(regularizer));
    }

    /** A penalty on the projections' biases. */
    public Builder biasRegularizer(Regularizer regularizer) {
      this.biasRegularizer = regularizer;
      return this;
    }

    /** A penalty on the projections' outputs (Keras gives it to each projection). */
    public Builder activityRegularizer(Regularizer regularizer) {
      this.activityRegularizer = regularizer;
      return this;
    }

    /** A constraint on the projections' kernels. */
    public Builder kernelConstraint(Constraint constraint) {
      this.kernelConstraint = constraint;
      return this;
    }

    /** A constraint on the projections' kernels, by Keras name. */
    public Builder kernelConstraint(String constraint) {
      return kernelConstraint(Constraints.get(constraint));
    }

    /** A constraint on the projections' biases. */
    public Builder biasConstraint(Constraint constraint) {
      this.biasConstraint = constraint;
      return this;
    }

    /** The seed of the attention dropout; null draws from the global seed. */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The layer.
     *
     * <pre>{@code MultiHeadAttention mha = builder.build();}</pre>
     */
    public MultiHeadAttention build() {
      return new MultiHeadAttention(this);
    }
  }
}
