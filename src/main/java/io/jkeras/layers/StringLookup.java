package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Maps strings to integer indices through a vocabulary, as Keras 3's {@code
 * keras.layers.StringLookup}; see {@link IndexLookup} for the index layout, output modes, {@code
 * invert} and where the vocabulary is kept.
 *
 * <p>Arguments (Keras defaults): {@code vocabulary} (a list, a file, or {@link #adapt}), {@code
 * numOovIndices} (1; several are picked by FarmHash of the token, or a SipHash keyed by {@code
 * salt}), {@code maskToken} (none), {@code oovToken} ("[UNK]"), {@code invert} (false), {@code
 * outputMode} ("int"), {@code maxTokens}, {@code padToMaxTokens}, {@code idfWeights}, {@code
 * encoding} ("utf-8": tokens are matched as UTF-8 bytes, as Keras's lookup table holds them; the
 * encoding is kept for the config).
 *
 * <p>Input: a "string" tensor of any shape (int indices with {@code invert}). No weights.
 *
 * <pre>{@code
 * KerasTensor words = Input.of("string", 3);
 * StringLookup lookup = StringLookup.builder().vocabulary(List.of("a", "b", "c")).build();
 * KerasTensor ids = lookup.apply(words);                   // int64: 0 = "[UNK]", 1 = "a", ...
 * KerasTensor vectors = new Embedding(lookup.vocabularySize(), 8).apply(ids);
 * }</pre>
 */
public class StringLookup extends IndexLookup<String> {

  private final String encoding;

  /** The vocabulary sorted by its tokens' 63-bit fingerprints, for binary search in the graph. */
  private Table table;

  private record Table(List<String> tokens, long[] hashes, long[] positions, String[] sorted) {}

  private StringLookup(Builder b) {
    super(b);
    try {
      Charset.forName(b.encoding);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "StringLookup: encoding \"" + b.encoding + "\" is not a known character set");
    }
    this.encoding = b.encoding;
  }

  /**
   * A layer with the given vocabulary and Keras's defaults (one OOV index, "[UNK]", "int" output).
   *
   * <pre>{@code new StringLookup(List.of("a", "b")).vocabularySize(); // 3}</pre>
   */
  public StringLookup(List<String> vocabulary) {
    this(builder().vocabulary(vocabulary));
  }

  /**
   * A builder for the optional arguments; with neither vocabulary nor file, {@link #adapt} the
   * layer before it runs.
   *
   * <pre>{@code StringLookup.builder().maskToken("").numOovIndices(2).outputMode("one_hot")}</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** StringLookup's optional arguments, by their Keras names. */
  public static final class Builder extends IndexLookup.Builder<String, Builder> {
    private String encoding = "utf-8";

    private Builder() {
      super("[UNK]");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The text encoding Keras records ("utf-8"). */
    public Builder encoding(String encoding) {
      this.encoding = encoding;
      return this;
    }

    /** The layer. */
    public StringLookup build() {
      return new StringLookup(this);
    }
  }

  /**
   * A StringLookup layer from its Keras config. A null {@code vocabulary} means Keras keeps it in
   * the archive's assets: {@link #loadAssets} sets it.
   */
  public static StringLookup fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("StringLookup", config);
    Builder b = builder();
    IndexLookup.readCommon(c, b, StringLookup::token);
    b.encoding(c.string("encoding", "utf-8"));
    StringLookup layer = IndexLookup.build(c, b, b::build);
    return c.finish(layer);
  }

  private static String token(Object v) {
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("expected a string token, got " + ConfigReader.show(v));
    }
    return s;
  }

  /**
   * Computes the vocabulary from {@code data}, as Keras's {@code adapt}: tokens by how often they
   * occur, ties from the highest (byte order) down. Each token is its own document (for TF-IDF).
   *
   * <pre>{@code lookup.adapt(new String[] {"b", "a", "b"}); // vocabulary [UNK], b, a}</pre>
   */
  public void adapt(String[] data) {
    List<List<String>> docs = new ArrayList<>();
    for (String s : data) {
      docs.add(List.of(s));
    }
    adaptDocuments(docs);
  }

  /**
   * {@link #adapt(String[])} on rows of tokens; each row is one document.
   *
   * <pre>{@code lookup.adapt(new String[][] {{"a", "b"}, {"b", ""}});}</pre>
   */
  public void adapt(String[][] data) {
    List<List<String>> docs = new ArrayList<>();
    for (String[] row : data) {
      docs.add(Arrays.asList(row));
    }
    adaptDocuments(docs);
  }

  @Override
  protected String tokenDtype() {
    return "string";
  }

  @Override
  protected Operand<?> keys(Ops tf, Operand<?> input) {
    if (input.type() != TString.class) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (StringLookup) takes string inputs, got "
              + DTypes.name(input.type())
              + "; use IntegerLookup for integers");
    }
    return input;
  }

  /**
   * Binary search of each key's fingerprint among the vocabulary's, then an exact comparison with
   * the token found there, so a key matches only its own token.
   */
  @Override
  @SuppressWarnings("unchecked")
  protected Operand<TInt64> positions(Ops tf, Operand<?> flatKeys, List<String> tokens) {
    Operand<TString> keys = (Operand<TString>) flatKeys;
    if (tokens.isEmpty()) {
      return tf.fill(tf.shape(keys, TInt64.class), tf.constant(-1L));
    }
    Table t = table(tokens);
    Operand<TInt64> hash = tf.strings.toHashBucketFast(keys, Long.MAX_VALUE);
    Operand<TInt32> at =
        tf.math.minimum(
            tf.reshape(
                tf.lowerBound(
                    tf.constant(new long[][] {t.hashes()}),
                    tf.reshape(hash, tf.constant(new int[] {1, -1}))),
                tf.constant(new int[] {-1})),
            tf.constant(t.hashes().length - 1));
    Operand<TBool> hit =
        tf.math.equal(
            tf.gather(tf.constant(StandardCharsets.UTF_8, t.sorted()), at, tf.constant(0)), keys);
    return tf.select(
        hit,
        tf.gather(tf.constant(t.positions()), at, tf.constant(0)),
        tf.fill(tf.shape(keys, TInt64.class), tf.constant(-1L)));
  }

  /** The fingerprints of {@code tokens}, computed once by TensorFlow's own kernel. */
  private synchronized Table table(List<String> tokens) {
    if (table != null && table.tokens() == tokens) {
      return table;
    }
    int n = tokens.size();
    long[] hashes = new long[n];
    try (EagerSession session = EagerSession.create()) {
      Ops e = Ops.create(session);
      Operand<TInt64> h =
          e.strings.toHashBucketFast(
              e.constant(StandardCharsets.UTF_8, tokens.toArray(new String[0])), Long.MAX_VALUE);
      try (TInt64 values = h.asTensor()) {
        values.copyTo(DataBuffers.of(hashes, false, false));
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingLong(i -> hashes[i]));
    long[] sortedHashes = new long[n];
    long[] positions = new long[n];
    String[] sorted = new String[n];
    for (int i = 0; i < n; i++) {
      sortedHashes[i] = hashes[order[i]];
      positions[i] = order[i];
      sorted[i] = tokens.get(order[i]);
      if (i > 0 && sortedHashes[i] == sortedHashes[i - 1]) {
        // 63-bit fingerprints of distinct tokens practically never collide; refuse rather than
        // miss one of the two.
        throw new IllegalStateException(
            "StringLookup \""
                + name()
                + "\": the tokens \""
                + sorted[i - 1]
                + "\" and \""
                + sorted[i]
                + "\" share a fingerprint; jkeras cannot tell them apart");
      }
    }
    table = new Table(tokens, sortedHashes, positions, sorted);
    return table;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Operand<TBool> equalsToken(Ops tf, Operand<?> keys, String token) {
    return tf.math.equal((Operand<TString>) keys, tf.constant(StandardCharsets.UTF_8, token));
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Operand<TInt64> oovSlot(Ops tf, Operand<?> flatKeys, int numOovIndices) {
    Operand<TString> keys = (Operand<TString>) flatKeys;
    long[] salt = salt();
    return salt == null
        ? tf.strings.toHashBucketFast(keys, (long) numOovIndices)
        : tf.strings.toHashBucketStrong(keys, (long) numOovIndices, List.of(salt[0], salt[1]));
  }

  @Override
  protected Operand<?> tokenConstant(Ops tf, List<String> tokens) {
    return tf.constant(StandardCharsets.UTF_8, tokens.toArray(new String[0]));
  }

  @Override
  protected String parseToken(String line) {
    return line;
  }

  /** Keras sorts the UTF-8 bytes of tokens (NumPy's lexsort on bytes). */
  @Override
  protected Comparator<String> tokenOrder() {
    return (a, b) ->
        Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** Keras's StringLookup config: IndexLookup's keys and {@code encoding}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("encoding", encoding);
    return config;
  }
}
