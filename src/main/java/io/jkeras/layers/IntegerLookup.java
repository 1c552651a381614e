package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Maps integer tokens to contiguous indices through a vocabulary, as Keras 3's {@code
 * keras.layers.IntegerLookup}; see {@link IndexLookup} for the index layout, output modes, {@code
 * invert} and where the vocabulary is kept.
 *
 * <p>Arguments (Keras defaults): {@code vocabulary} (a list, a file, or {@link #adapt}), {@code
 * numOovIndices} (1; several are picked by {@code floormod(token, n)}, or with {@code oovMethod}
 * "farmhash" by FarmHash of the decimal text, SipHash with a {@code salt}), {@code maskToken}
 * (none), {@code oovToken} (-1), {@code invert}, {@code outputMode} ("int"), {@code maxTokens},
 * {@code padToMaxTokens}, {@code idfWeights}.
 *
 * <p>Input: integers of any shape (floats are truncated). No weights.
 *
 * <pre>{@code
 * KerasTensor ids = Input.of("int64", 4);
 * KerasTensor index = new IntegerLookup(new long[] {12, 36, 1138, 42}).apply(ids); // 0 = OOV
 * }</pre>
 */
public class IntegerLookup extends IndexLookup<Long> {

  private IntegerLookup(Builder b) {
    super(b);
  }

  /**
   * A layer with the given vocabulary and Keras's defaults (one OOV index, "int" output).
   *
   * <pre>{@code new IntegerLookup(new long[] {12, 36}).vocabularySize(); // 3}</pre>
   */
  public IntegerLookup(long[] vocabulary) {
    this(builder().vocabulary(boxed(vocabulary)));
  }

  /**
   * A layer with the given vocabulary and options.
   *
   * <pre>{@code new IntegerLookup(new long[] {3, 1, 4}, 2, 0L, -1L, "count", null, "lookup");}
   * </pre>
   *
   * @param maskToken a token mapped to index 0 ("int" output) or dropped, or null
   * @param oovToken the token Keras lists for OOV indices in its vocabulary
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
    this(
        builder()
            .vocabulary(vocabulary == null ? null : boxed(vocabulary))
            .numOovIndices(numOovIndices)
            .maskToken(maskToken)
            .oovToken(oovToken)
            .outputMode(outputMode)
            .maxTokens(maxTokens)
            .name(name));
  }

  private static List<Long> boxed(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }

  /**
   * A builder for the optional arguments; with neither vocabulary nor file, {@link #adapt} the
   * layer before it runs.
   *
   * <pre>{@code IntegerLookup.builder().maskToken(0L).numOovIndices(2).outputMode("multi_hot")}
   * </pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** IntegerLookup's optional arguments, by their Keras names. */
  public static final class Builder extends IndexLookup.Builder<Long, Builder> {
    private Builder() {
      super(-1L);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The layer. */
    public IntegerLookup build() {
      return new IntegerLookup(this);
    }
  }

  /**
   * An IntegerLookup layer from its Keras config. A null {@code vocabulary} means Keras keeps it in
   * the archive's assets: {@link #loadAssets} sets it.
   */
  public static IntegerLookup fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("IntegerLookup", config);
    Builder b = builder();
    IndexLookup.readCommon(c, b, IntegerLookup::token);
    c.requireDefault("vocabulary_dtype", "int64", "a vocabulary dtype other than int64");
    IntegerLookup layer = IndexLookup.build(c, b, b::build);
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  private static Long token(Object v) {
    Long t = ConfigReader.integral(v);
    if (t == null) {
      throw new IllegalArgumentException("expected an integer token, got " + ConfigReader.show(v));
    }
    return t;
  }

  /**
   * Computes the vocabulary from {@code data}, as Keras's {@code adapt}: tokens by how often they
   * occur, ties from the largest down. Each value is its own document (for TF-IDF).
   *
   * <pre>{@code lookup.adapt(new long[] {7, 3, 7}); // vocabulary -1, 7, 3}</pre>
   */
  public void adapt(long[] data) {
    List<List<Long>> docs = new ArrayList<>();
    for (long v : data) {
      docs.add(List.of(v));
    }
    adaptDocuments(docs);
  }

  /**
   * {@link #adapt(long[])} on rows of tokens; each row is one document.
   *
   * <pre>{@code lookup.adapt(new long[][] {{1, 2}, {2, 0}});}</pre>
   */
  public void adapt(long[][] data) {
    List<List<Long>> docs = new ArrayList<>();
    for (long[] row : data) {
      docs.add(boxed(row));
    }
    adaptDocuments(docs);
  }

  /**
   * {@link #adapt(long[][])} for int rows.
   *
   * <pre>{@code lookup.adapt(new int[][] {{1, 2}, {2, 0}});}</pre>
   */
  public void adapt(int[][] data) {
    long[][] wide = new long[data.length][];
    for (int i = 0; i < data.length; i++) {
      wide[i] = Arrays.stream(data[i]).asLongStream().toArray();
    }
    adapt(wide);
  }

  @Override
  protected String tokenDtype() {
    return "int64";
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Operand<?> keys(Ops tf, Operand<?> x) {
    if (x.type() == TInt64.class) {
      return x;
    }
    if (x.type() == TInt32.class) {
      return tf.dtypes.cast(x, TInt64.class);
    }
    if (x.type() == TString.class) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (IntegerLookup) takes integers, got strings; use StringLookup");
    }
    return tf.dtypes.cast(DTypes.toFloat(tf, x), TInt64.class);
  }

  /** Binary search in the sorted vocabulary (TensorFlow's LowerBound), then the hit's position. */
  @Override
  @SuppressWarnings("unchecked")
  protected Operand<TInt64> positions(Ops tf, Operand<?> flatKeys, List<Long> tokens) {
    Operand<TInt64> keys = (Operand<TInt64>) flatKeys;
    if (tokens.isEmpty()) {
      return tf.fill(tf.shape(keys, TInt64.class), tf.constant(-1L));
    }
    Integer[] order = new Integer[tokens.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(tokens::get));
    long[] sorted = new long[order.length];
    long[] position = new long[order.length];
    for (int i = 0; i < order.length; i++) {
      sorted[i] = tokens.get(order[i]);
      position[i] = order[i];
    }
    Operand<TInt32> at =
        tf.math.minimum(
            tf.reshape(
                tf.lowerBound(
                    tf.constant(new long[][] {sorted}),
                    tf.reshape(keys, tf.constant(new int[] {1, -1}))),
                tf.constant(new int[] {-1})),
            tf.constant(sorted.length - 1));
    Operand<TBool> hit = tf.math.equal(tf.gather(tf.constant(sorted), at, tf.constant(0)), keys);
    return tf.select(
        hit,
        tf.gather(tf.constant(position), at, tf.constant(0)),
        tf.fill(tf.shape(keys, TInt64.class), tf.constant(-1L)));
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Operand<TBool> equalsToken(Ops tf, Operand<?> keys, Long token) {
    return tf.math.equal((Operand<TInt64>) keys, tf.constant(token.longValue()));
  }

  /** floormod by default; "farmhash" hashes the decimal text, as Keras does. */
  @Override
  @SuppressWarnings("unchecked")
  protected Operand<TInt64> oovSlot(Ops tf, Operand<?> flatKeys, int numOovIndices) {
    Operand<TInt64> keys = (Operand<TInt64>) flatKeys;
    if (!oovMethod().equals("farmhash")) {
      return tf.math.floorMod(keys, tf.constant((long) numOovIndices));
    }
    Operand<TString> text = tf.dtypes.asString(keys);
    long[] salt = salt();
    return salt == null
        ? tf.strings.toHashBucketFast(text, (long) numOovIndices)
        : tf.strings.toHashBucketStrong(text, (long) numOovIndices, List.of(salt[0], salt[1]));
  }

  @Override
  protected Operand<?> tokenConstant(Ops tf, List<Long> tokens) {
    long[] values = new long[tokens.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tokens.get(i);
    }
    return tf.constant(values);
  }

  @Override
  protected Long parseToken(String line) {
    try {
      return Long.parseLong(line.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer token, got \"" + line + "\"");
    }
  }

  @Override
  protected Comparator<Long> tokenOrder() {
    return Comparator.naturalOrder();
  }

  /** Keras's IntegerLookup config: IndexLookup's keys and {@code vocabulary_dtype}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    Map<String, Object> ordered = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Object> e : config.entrySet()) {
      ordered.put(e.getKey(), e.getValue());
      if (e.getKey().equals("pad_to_max_tokens")) {
        ordered.put("vocabulary_dtype", "int64");
      }
    }
    return ordered;
  }
}
