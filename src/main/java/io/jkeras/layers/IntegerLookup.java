package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Maps integer tokens to contiguous indices through a fixed vocabulary, as Keras 3's {@code
 * keras.layers.IntegerLookup}. The indices are laid out as Keras does: the mask token (if any, and
 * only for "int" output) at 0, then {@code numOovIndices} indices for tokens outside the
 * vocabulary, then the vocabulary in its given order. With several OOV indices, an unknown token t
 * goes to {@code floormod(t, numOovIndices)} (Keras's "floormod" method); with none, an unknown
 * token fails the run.
 *
 * <p>Arguments: {@code vocabulary} (required in jkeras: vocabularies adapted in Python are stored
 * in the file's assets, which jkeras does not read yet), {@code numOovIndices} (1), {@code
 * maskToken} (none), {@code oovToken} (-1, only named in the config), {@code outputMode} ("int":
 * int64 indices; "one_hot", "multi_hot", "count" over {@code vocabularySize()} as {@link
 * CategoryEncoding}). Inverting, TF-IDF, sparse output and max_tokens padding are not supported.
 *
 * <p>Shapes: "int" keeps the input shape; other modes as {@link CategoryEncoding}. No weights.
 *
 * <pre>{@code
 * KerasTensor ids = Input.of("int64", 4);
 * KerasTensor index = new IntegerLookup(new long[] {12, 36, 1138, 42}).apply(ids); // 0 = OOV
 * }</pre>
 */
public class IntegerLookup extends Layer {

  private static final List<String> MODES = List.of("int", "one_hot", "multi_hot", "count");

  private final long[] vocabulary;
  private final int numOovIndices;
  private final Long maskToken;
  private final Long oovToken;
  private final String outputMode;
  private final Integer maxTokens;

  /**
   * Looks tokens up in {@code vocabulary} with one OOV index (index 0), no mask token, int64 output
   * and an automatic name.
   *
   * @throws IllegalArgumentException if the vocabulary is null, holds a token twice or holds the
   *     OOV token -1
   */
  public IntegerLookup(long[] vocabulary) {
    this(vocabulary, 1, null, -1L, "int", null, null);
  }

  /**
   * @param maskToken a token mapped to index 0, or null
   * @param oovToken the token Keras lists for OOV indices in its vocabulary; only kept for the
   *     config
   * @param maxTokens Keras's upper bound on the vocabulary size, or null
   */
  public IntegerLookup(
      long[] vocabulary,
      int numOovIndices,
      Long maskToken,
      Long oovToken,
      String outputMode,
      Integer maxTokens,
      String name) {
    super(name);
    if (vocabulary == null) {
      throw new IllegalArgumentException(
          "IntegerLookup: a vocabulary is required (jkeras does not adapt or read assets)");
    }
    if (numOovIndices < 0) {
      throw new IllegalArgumentException(
          "IntegerLookup: num_oov_indices must be >= 0, got " + numOovIndices);
    }
    Set<Long> seen = new HashSet<>();
    for (long t : vocabulary) {
      if (!seen.add(t)) {
        throw new IllegalArgumentException(
            "IntegerLookup: the vocabulary has " + t + " more than once");
      }
      if (maskToken != null && t == maskToken) {
        throw new IllegalArgumentException(
            "IntegerLookup: the vocabulary holds the mask token " + t + "; leave it out");
      }
      if (numOovIndices > 0 && oovToken != null && t == oovToken) {
        throw new IllegalArgumentException(
            "IntegerLookup: the vocabulary holds the OOV token " + t + "; leave it out");
      }
    }
    this.vocabulary = vocabulary.clone();
    this.numOovIndices = numOovIndices;
    this.maskToken = maskToken;
    this.oovToken = oovToken;
    this.outputMode = CategoricalOutput.mode("IntegerLookup", outputMode, MODES);
    this.maxTokens = maxTokens;
    if (maxTokens != null && vocabularySize() > maxTokens) {
      throw new IllegalArgumentException(
          "IntegerLookup: the vocabulary size "
              + vocabularySize()
              + " (with mask and OOV indices) exceeds max_tokens="
              + maxTokens);
    }
  }

  /**
   * An IntegerLookup layer from its Keras config, as Keras writes it for a layer given its
   * vocabulary.
   */
  public static IntegerLookup fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("IntegerLookup", config);
    String name = c.name();
    c.requireDefault("invert", false, "inverting (indices back to tokens)");
    Object max = c.raw("max_tokens");
    Integer maxTokens = null;
    if (max != null) {
      Long m = ConfigReader.integral(max);
      if (m == null || m < 1 || m > Integer.MAX_VALUE) {
        throw c.wrongValue("max_tokens", "null or a positive integer", max);
      }
      maxTokens = m.intValue();
    }
    int oov = c.integer("num_oov_indices", 1);
    Long oovToken = c.has("oov_token") ? c.optionalLong("oov_token") : Long.valueOf(-1);
    Long mask = c.optionalLong("mask_token");
    String mode = c.string("output_mode", "int");
    c.requireDefault("sparse", false, "sparse output");
    c.requireDefault("pad_to_max_tokens", false, "padding to max_tokens");
    c.requireDefault("vocabulary_dtype", "int64", "a vocabulary dtype other than int64");
    c.requireDefault("idf_weights", null, "TF-IDF weights");
    c.requireDefault("oov_method", "floormod", "an OOV method other than floormod");
    c.requireDefault("salt", null, "a salted OOV hash");
    Object vocab = c.raw("vocabulary");
    if (vocab == null) {
      throw c.fail(
          "vocabulary",
          "null: the layer was adapted and Keras keeps its vocabulary in the file's assets, which"
              + " jkeras does not read; give the vocabulary to the layer in Python instead");
    }
    if (!(vocab instanceof List<?> list)) {
      throw c.wrongValue("vocabulary", "a list of integers", vocab);
    }
    long[] tokens = new long[list.size()];
    for (int i = 0; i < tokens.length; i++) {
      Long t = ConfigReader.integral(list.get(i));
      if (t == null) {
        throw c.wrongValue("vocabulary", "a list of integers", vocab);
      }
      tokens[i] = t;
    }
    Object size = c.raw("vocabulary_size");
    IntegerLookup layer;
    try {
      layer = new IntegerLookup(tokens, oov, mask, oovToken, mode, maxTokens, name);
    } catch (IllegalArgumentException e) {
      throw c.fail("vocabulary", e.getMessage());
    }
    if (size != null && !size.equals(layer.vocabularySize())) {
      Long n = ConfigReader.integral(size);
      if (n == null || n != layer.vocabularySize()) {
        throw c.fail(
            "vocabulary_size",
            "the file says " + size + ", but the vocabulary gives " + layer.vocabularySize());
      }
    }
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  /**
   * The number of indices: the vocabulary plus the OOV indices plus, for "int" output, the mask
   * index (other modes give the mask no slot: masked tokens add nothing, as in Keras).
   */
  public int vocabularySize() {
    return vocabulary.length + numOovIndices + (maskSlot() ? 1 : 0);
  }

  private boolean maskSlot() {
    return maskToken != null && outputMode.equals("int");
  }

  /** A copy of the vocabulary, in index order (without mask and OOV indices). */
  public long[] vocabulary() {
    return vocabulary.clone();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return outputMode.equals("int")
        ? inputShape
        : CategoricalOutput.shape(inputShape, outputMode, vocabularySize());
  }

  @Override
  protected List<String> computeOutputDtypes(List<String> inputDtypes, int outputCount) {
    return List.of(outputMode.equals("int") ? "int64" : "float32");
  }

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (IntegerLookup) takes one input, got " + inputs.size());
    }
    Operand<TInt64> x = asInt64(tf, inputs.get(0));
    Operand<TInt64> index = lookup(tf, x);
    if (outputMode.equals("int")) {
      return List.of(index);
    }
    return List.of(CategoricalOutput.encode(tf, index, outputMode, vocabularySize(), this));
  }

  /**
   * Binary search in the sorted vocabulary (TensorFlow's LowerBound), then the vocabulary position
   * of each hit; misses go to the OOV indices, the mask token to 0.
   */
  private Operand<TInt64> lookup(Ops tf, Operand<TInt64> x) {
    int oovStart = maskSlot() ? 1 : 0;
    int tokenStart = oovStart + numOovIndices;
    Operand<TInt32> shape = tf.shape(x);
    Operand<TInt64> flat = tf.reshape(x, tf.constant(new int[] {1, -1}));
    Operand<TInt64> found;
    Operand<TBool> hit;
    if (vocabulary.length == 0) {
      found = tf.zerosLike(flat);
      hit = tf.math.notEqual(flat, flat);
    } else {
      Integer[] order = new Integer[vocabulary.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(vocabulary[a], vocabulary[b]));
      long[] sorted = new long[order.length];
      long[] position = new long[order.length];
      for (int i = 0; i < order.length; i++) {
        sorted[i] = vocabulary[order[i]];
        position[i] = order[i] + tokenStart;
      }
      Operand<TInt64> table = tf.constant(new long[][] {sorted});
      Operand<TInt32> at =
          tf.math.minimum(tf.lowerBound(table, flat), tf.constant(sorted.length - 1));
      hit = tf.math.equal(tf.gather(tf.constant(sorted), at, tf.constant(0)), flat);
      found = tf.gather(tf.constant(position), at, tf.constant(0));
    }
    Operand<TInt64> missed;
    List<org.tensorflow.op.Op> checks = new ArrayList<>();
    if (numOovIndices == 0) {
      Operand<TBool> known = maskToken == null ? hit : tf.math.logicalOr(hit, isMask(tf, flat));
      checks.add(
          tf.assertThat(
              tf.all(known, tf.constant(new int[] {0, 1})),
              List.of(
                  tf.constant(
                      "Layer "
                          + name()
                          + " (IntegerLookup): num_oov_indices=0 but a token is not in the"
                          + " vocabulary; set num_oov_indices=1")),
              AssertThat.summarize(3L)));
      missed = tf.zerosLike(flat);
    } else if (numOovIndices == 1) {
      missed = tf.fill(tf.shape(flat, TInt64.class), tf.constant((long) oovStart));
    } else {
      missed =
          tf.math.add(
              tf.math.floorMod(flat, tf.constant((long) numOovIndices)),
              tf.constant((long) oovStart));
    }
    Operand<TInt64> index = tf.select(hit, found, missed);
    if (maskToken != null) {
      // Index 0 for "int"; otherwise an index past the depth, which the encoding drops.
      long masked = maskSlot() ? 0 : vocabularySize();
      index =
          tf.select(
              isMask(tf, flat), tf.fill(tf.shape(index, TInt64.class), tf.constant(masked)), index);
    }
    Ops scoped = checks.isEmpty() ? tf : tf.withControlDependencies(checks);
    return scoped.reshape(index, shape);
  }

  private Operand<TBool> isMask(Ops tf, Operand<TInt64> flat) {
    return tf.math.equal(flat, tf.constant(maskToken.longValue()));
  }

  @SuppressWarnings("unchecked")
  private static Operand<TInt64> asInt64(Ops tf, Operand<?> x) {
    if (x.type() == TInt64.class) {
      return (Operand<TInt64>) x;
    }
    if (x.type() == TInt32.class) {
      return tf.dtypes.cast(x, TInt64.class);
    }
    return tf.dtypes.cast(DTypes.toFloat(tf, x), TInt64.class);
  }

  /** Keras writes a build_config for its preprocessing layers, which build at init. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("invert", false);
    config.put("max_tokens", maxTokens);
    config.put("num_oov_indices", numOovIndices);
    config.put("oov_token", oovToken);
    config.put("mask_token", maskToken);
    config.put("output_mode", outputMode);
    config.put("sparse", false);
    config.put("pad_to_max_tokens", false);
    config.put("vocabulary_dtype", "int64");
    config.put("idf_weights", null);
    List<Long> vocab = new ArrayList<>();
    for (long t : vocabulary) {
      vocab.add(t);
    }
    config.put("vocabulary", vocab);
    config.put("vocabulary_size", vocabularySize());
    config.put("oov_method", "floormod");
    config.put("salt", null);
    return config;
  }
}
