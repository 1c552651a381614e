package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * What {@link StringLookup} and {@link IntegerLookup} share, as Keras 3's {@code IndexLookup}: a
 * vocabulary of tokens mapped to contiguous indices, laid out as Keras does. With "int" output and
 * a mask token, index 0 is the mask; then come {@code numOovIndices} indices for tokens outside the
 * vocabulary (with several, an unknown token goes to one by hashing, or for integers by {@code
 * floormod}); then the vocabulary in its order. With no OOV index, an unknown token fails the run.
 *
 * <p>The vocabulary comes from a list (kept in the Keras config), a text file or {@code adapt} on
 * data (both kept, as Keras keeps them, in the {@code .keras} archive's {@code assets/<layer
 * path>/vocabulary.txt}, one token a line, special tokens first).
 *
 * <p>Outputs: "int" (int64 indices, input shape), "one_hot", "multi_hot", "count" and "tf_idf"
 * (float32 over {@link #vocabularySize()} indices, or {@code max_tokens} with {@code
 * padToMaxTokens}, as {@link CategoryEncoding}). With {@code invert}, indices go back to tokens.
 * Sparse outputs are not supported.
 *
 * <pre>{@code
 * StringLookup lookup = StringLookup.builder().vocabulary(List.of("a", "b")).build();
 * lookup.vocabulary(); // ["[UNK]", "a", "b"]
 * }</pre>
 *
 * @param <T> the token type: String or Long
 */
public abstract class IndexLookup<T> extends Layer {

  private static final List<String> MODES =
      List.of("int", "one_hot", "multi_hot", "count", "tf_idf");

  /** The asset file Keras writes for a vocabulary that is not in the config. */
  static final String VOCABULARY_ASSET = "vocabulary.txt";

  private final int numOovIndices;
  private final T maskToken;
  private final T oovToken;
  private final boolean invert;
  private final String outputMode;
  private final Integer maxTokens;
  private final boolean padToMaxTokens;
  private final String oovMethod;
  private final long[] salt;
  private final List<Double> configIdfWeights;

  /** The vocabulary without special tokens, or null before it is set (an adapted file's layer). */
  private List<T> tokens;

  /** The list the vocabulary was given as, written back to the config; null for assets. */
  private List<T> configVocabulary;

  /** The size Keras recorded ({@code vocabulary_size}), checked against the assets. */
  private Integer frozenVocabularySize;

  /** TF-IDF weights over the output depth, or null. */
  private float[] idfWeights;

  /**
   * A lookup layer from the arguments collected by a builder.
   *
   * @param args the arguments, by their Keras names
   */
  protected IndexLookup(Builder<T, ?> args) {
    super(args.name);
    String cls = getClass().getSimpleName();
    if (args.maxTokens != null && args.maxTokens <= 1) {
      throw new IllegalArgumentException(
          cls + ": max_tokens must be greater than 1 when set, got " + args.maxTokens);
    }
    if (args.padToMaxTokens && args.maxTokens == null) {
      throw new IllegalArgumentException(cls + ": pad_to_max_tokens needs max_tokens");
    }
    if (args.numOovIndices < 0) {
      throw new IllegalArgumentException(
          cls + ": num_oov_indices must be >= 0, got " + args.numOovIndices);
    }
    if (!args.oovMethod.equals("floormod") && !args.oovMethod.equals("farmhash")) {
      throw new IllegalArgumentException(
          cls
              + ": oov_method must be \"floormod\" or \"farmhash\", got \""
              + args.oovMethod
              + "\"");
    }
    this.numOovIndices = args.numOovIndices;
    this.maskToken = args.maskToken;
    this.oovToken = args.oovToken;
    this.invert = args.invert;
    String mode = args.outputMode == null ? "int" : args.outputMode;
    this.outputMode = CategoricalOutput.mode(cls, mode.equals("tf-idf") ? "tf_idf" : mode, MODES);
    if (invert && !outputMode.equals("int")) {
      throw new IllegalArgumentException(
          cls + ": output_mode must be \"int\" when invert is true, got \"" + outputMode + "\"");
    }
    if (args.idfWeights != null && !outputMode.equals("tf_idf")) {
      throw new IllegalArgumentException(
          cls + ": idf_weights are only for output_mode \"tf_idf\", got \"" + outputMode + "\"");
    }
    if (invert && oovToken == null) {
      throw new IllegalArgumentException(cls + ": invert needs an oov_token");
    }
    this.maxTokens = args.maxTokens;
    this.padToMaxTokens = args.padToMaxTokens;
    this.oovMethod = args.oovMethod;
    this.salt = args.salt;
    this.configIdfWeights = args.idfWeights == null ? null : List.copyOf(args.idfWeights);
    this.frozenVocabularySize = args.vocabularySize;
    if (args.vocabulary != null && args.vocabularyFile != null) {
      throw new IllegalArgumentException(cls + ": give a vocabulary list or a file, not both");
    }
    if (args.vocabulary != null) {
      if (args.vocabulary.isEmpty()) {
        throw new IllegalArgumentException(
            cls + ": the vocabulary is empty; give tokens, or adapt the layer instead");
      }
      setVocabulary(args.vocabulary, configIdfWeights);
      configVocabulary = List.copyOf(args.vocabulary);
    } else if (args.vocabularyFile != null) {
      if (outputMode.equals("tf_idf")) {
        throw new IllegalArgumentException(
            cls + ": output_mode \"tf_idf\" cannot read its vocabulary from a file");
      }
      setVocabulary(readVocabularyFile(args.vocabularyFile), null);
    } else if (outputMode.equals("tf_idf") && configIdfWeights != null) {
      throw new IllegalArgumentException(cls + ": idf_weights need a vocabulary");
    }
  }

  // ---- what the token type decides --------------------------------------------------------------

  /** The input as the key type (int64 or string), or a clear error for another type. */
  protected abstract Operand<?> keys(Ops tf, Operand<?> input);

  /** Each key's 0-based position in {@code tokens}, or -1 when it is not there. */
  protected abstract Operand<TInt64> positions(Ops tf, Operand<?> flatKeys, List<T> tokens);

  /** Where the keys equal {@code token}. */
  protected abstract Operand<TBool> equalsToken(Ops tf, Operand<?> keys, T token);

  /** The OOV slot in {@code [0, numOovIndices)} of each key (Keras's floormod or hash). */
  protected abstract Operand<TInt64> oovSlot(Ops tf, Operand<?> flatKeys, int numOovIndices);

  /** A rank-1 constant holding {@code tokens}. */
  protected abstract Operand<?> tokenConstant(Ops tf, List<T> tokens);

  /** The token a line of a vocabulary file stands for. */
  protected abstract T parseToken(String line);

  /** The order of tokens of equal count after {@code adapt}: Keras sorts them high to low. */
  protected abstract Comparator<T> tokenOrder();

  // ---- the vocabulary ------------------------------------------------------------------------

  /**
   * Sets the vocabulary, as Keras's {@code set_vocabulary}: special tokens (mask, then OOV) at the
   * start of the list are dropped, repeats and a misplaced mask token are refused.
   */
  private void setVocabulary(List<T> vocabulary, List<Double> idf) {
    String cls = getClass().getSimpleName();
    for (T t : vocabulary) {
      if (t == null) {
        throw new IllegalArgumentException(cls + ": the vocabulary holds null");
      }
    }
    List<T> special = specialTokens();
    boolean withSpecials =
        vocabulary.size() >= special.size()
            && vocabulary.subList(0, special.size()).equals(special);
    List<T> words =
        withSpecials ? vocabulary.subList(special.size(), vocabulary.size()) : vocabulary;
    Set<T> seen = new HashSet<>();
    for (T t : words) {
      if (!seen.add(t)) {
        throw new IllegalArgumentException(
            cls + ": the vocabulary has " + show(t) + " more than once; uniquify it");
      }
    }
    if (maskToken != null && seen.contains(maskToken)) {
      throw new IllegalArgumentException(
          cls
              + ": the vocabulary holds the mask token "
              + show(maskToken)
              + "; leave it out, or put the special tokens "
              + show(special)
              + " first");
    }
    if (invert && oovToken != null && seen.contains(oovToken)) {
      throw new IllegalArgumentException(
          cls + ": the vocabulary holds the OOV token " + show(oovToken) + "; leave it out");
    }
    int size = tokenStart() + words.size();
    if (maxTokens != null && size > maxTokens) {
      throw new IllegalArgumentException(
          cls
              + ": the vocabulary size "
              + size
              + " (with mask and OOV indices) exceeds max_tokens="
              + maxTokens);
    }
    if (frozenVocabularySize != null
        && !outputMode.equals("int")
        && !padToMaxTokens
        && frozenVocabularySize != size
        && !inboundNodes().isEmpty()) {
      throw new IllegalArgumentException(
          cls
              + " \""
              + name()
              + "\": the vocabulary size cannot change after the layer is called with output_mode "
              + outputMode
              + " (was "
              + frozenVocabularySize
              + ", now "
              + size
              + ")");
    }
    List<T> newTokens = List.copyOf(words);
    if (outputMode.equals("tf_idf")) {
      if (idf == null) {
        throw new IllegalArgumentException(
            cls + ": output_mode \"tf_idf\" with a given vocabulary needs idf_weights");
      }
      if (idf.size() != vocabulary.size()) {
        throw new IllegalArgumentException(
            cls
                + ": idf_weights must be as long as the vocabulary ("
                + vocabulary.size()
                + "), got "
                + idf.size());
      }
      int front = withSpecials ? 0 : tokenStart();
      double average = idf.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      idfWeights =
          new float[padToMaxTokens ? Math.max(maxTokens, front + idf.size()) : front + idf.size()];
      for (int i = 0; i < front; i++) {
        idfWeights[i] = (float) average;
      }
      for (int i = 0; i < idf.size(); i++) {
        idfWeights[front + i] = idf.get(i).floatValue();
      }
    }
    tokens = newTokens;
    frozenVocabularySize = size;
  }

  private List<T> readVocabularyFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          getClass().getSimpleName() + ": cannot read the vocabulary file " + file + ": " + e, e);
    }
    List<T> out = new ArrayList<>();
    for (String line : lines(text)) {
      out.add(parseToken(line));
    }
    return out;
  }

  /**
   * The lines of a vocabulary text as Python's {@code str.splitlines} splits them, trailing empty
   * lines dropped, as Keras's {@code load_assets} reads them.
   */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char ch = text.charAt(i);
      if (isLineBreak(ch)) {
        out.add(text.substring(start, i));
        i += ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** Python's line boundaries for {@code str.splitlines}. */
  private static boolean isLineBreak(char ch) {
    return ch == '\n'
        || ch == '\r'
        || ch == 0x0b
        || ch == 0x0c
        || (ch >= 0x1c && ch <= 0x1e)
        || ch == 0x85
        || ch == 0x2028
        || ch == 0x2029;
  }

  /** The mask token (for "int" output) then the OOV tokens: the first indices. */
  private List<T> specialTokens() {
    List<T> out = new ArrayList<>();
    if (oovStart() == 1) {
      out.add(maskToken);
    }
    for (int i = 0; i < numOovIndices; i++) {
      out.add(oovToken);
    }
    return out;
  }

  private int oovStart() {
    return maskToken != null && outputMode.equals("int") ? 1 : 0;
  }

  private int tokenStart() {
    return oovStart() + numOovIndices;
  }

  private List<T> requireTokens() {
    if (tokens == null) {
      throw new IllegalStateException(
          getClass().getSimpleName()
              + " \""
              + name()
              + "\" has no vocabulary: give one, adapt the layer, or load it from a .keras file"
              + " that holds its assets/.../"
              + VOCABULARY_ASSET);
    }
    return tokens;
  }

  /**
   * The number of indices: the vocabulary plus the OOV indices plus, for "int" output, the mask
   * index (Keras's {@code vocabulary_size()}).
   *
   * <pre>{@code StringLookup.builder().vocabulary(List.of("a")).build().vocabularySize(); // 2}
   * </pre>
   */
  public int vocabularySize() {
    if (tokens == null && frozenVocabularySize != null) {
      return frozenVocabularySize;
    }
    return requireTokens().size() + tokenStart();
  }

  /**
   * The vocabulary with its special tokens, so that a token's position is its index (Keras's {@code
   * get_vocabulary()}).
   *
   * <pre>{@code lookup.vocabulary(); // ["[UNK]", "a", "b"]}</pre>
   */
  public List<T> vocabulary() {
    List<T> out = specialTokens();
    out.addAll(requireTokens());
    return out;
  }

  /** Whether an adapted or file vocabulary is waiting to be set (a loaded file's assets). */
  boolean hasVocabulary() {
    return tokens != null;
  }

  /**
   * Computes the vocabulary from {@code documents} as Keras's {@code adapt}: tokens by how often
   * they occur, ties high to low, without the mask and OOV tokens, at most {@code max_tokens}
   * indices. Each document is one row (for TF-IDF's document frequencies).
   */
  protected final void adaptDocuments(List<List<T>> documents) {
    if (configVocabulary != null) {
      throw new IllegalStateException(
          getClass().getSimpleName()
              + " \""
              + name()
              + "\": cannot adapt a layer given its vocabulary");
    }
    Map<T, Long> counts = new HashMap<>();
    Map<T, Long> documentCounts = new HashMap<>();
    for (List<T> doc : documents) {
      for (T t : doc) {
        counts.merge(Objects.requireNonNull(t, "a token is null"), 1L, Long::sum);
      }
      for (T t : new HashSet<>(doc)) {
        documentCounts.merge(t, 1L, Long::sum);
      }
    }
    if (maskToken != null) {
      counts.remove(maskToken);
    }
    if (oovToken != null) {
      counts.remove(oovToken);
    }
    List<T> sorted = new ArrayList<>(counts.keySet());
    Comparator<T> byCount = Comparator.comparing(counts::get);
    sorted.sort(byCount.thenComparing(tokenOrder()).reversed());
    if (maxTokens != null) {
      sorted = sorted.subList(0, Math.min(sorted.size(), Math.max(0, maxTokens - tokenStart())));
    }
    List<Double> idf = null;
    if (outputMode.equals("tf_idf")) {
      // Keras: log(1 + documents / (1 + document count)), OOV indices get the mean.
      idf = new ArrayList<>();
      for (T t : sorted) {
        idf.add(Math.log(1 + (double) documents.size() / (1 + documentCounts.get(t))));
      }
    }
    frozenVocabularySize = null;
    setVocabulary(sorted, idf);
    configVocabulary = null;
  }

  // ---- shapes and dtypes -----------------------------------------------------------------------

  /** The depth of "one_hot", "multi_hot", "count" and "tf_idf" outputs. */
  private int depth() {
    return padToMaxTokens ? maxTokens : vocabularySize();
  }

  /** The Keras dtype of the tokens: "string" or "int64". */
  protected abstract String tokenDtype();

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return outputMode.equals("int")
        ? inputShape
        : CategoricalOutput.shape(
            inputShape, outputMode.equals("tf_idf") ? "count" : outputMode, depth());
  }

  @Override
  protected List<String> computeOutputDtypes(List<String> inputDtypes, int outputCount) {
    if (!outputMode.equals("int")) {
      return List.of("float32");
    }
    return List.of(invert ? tokenDtype() : "int64");
  }

  // ---- call ------------------------------------------------------------------------------------

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (" + className() + ") takes one input, got " + inputs.size());
    }
    List<T> words = requireTokens();
    if (invert) {
      return List.of(invertLookup(tf, inputs.get(0)));
    }
    Operand<TInt64> index = lookup(tf, keys(tf, inputs.get(0)), words);
    if (outputMode.equals("int")) {
      return List.of(index);
    }
    boolean tfIdf = outputMode.equals("tf_idf");
    Operand<TFloat32> encoded =
        CategoricalOutput.encode(tf, index, tfIdf ? "count" : outputMode, depth(), this);
    if (tfIdf) {
      encoded = tf.math.mul(encoded, tf.constant(idfWeights));
    }
    return List.of(encoded);
  }

  /** Keras's {@code _lookup_dense}: vocabulary hits, OOV indices, the mask token. */
  private Operand<TInt64> lookup(Ops tf, Operand<?> keys, List<T> words) {
    int oovStart = oovStart();
    Operand<TInt32> shape = tf.shape(keys);
    Operand<?> flat = tf.reshape(keys, tf.constant(new int[] {-1}));
    Operand<TInt64> at = positions(tf, flat, words);
    Operand<TBool> hit = tf.math.greaterEqual(at, tf.constant(0L));
    Operand<TInt64> found = tf.math.add(at, tf.constant((long) tokenStart()));
    Operand<TBool> masked = maskToken == null ? null : equalsToken(tf, flat, maskToken);
    List<Op> checks = new ArrayList<>();
    Operand<TInt64> missed;
    if (numOovIndices == 0) {
      Operand<TBool> known = masked == null ? hit : tf.math.logicalOr(hit, masked);
      checks.add(
          tf.assertThat(
              tf.all(known, tf.constant(new int[] {0})),
              List.of(
                  tf.constant(
                      "Layer "
                          + name()
                          + " ("
                          + className()
                          + "): num_oov_indices=0 but a token is not in the vocabulary; set"
                          + " num_oov_indices=1")),
              AssertThat.summarize(3L)));
      missed = tf.fill(tf.shape(at, TInt64.class), tf.constant(-1L));
    } else if (numOovIndices == 1) {
      missed = tf.fill(tf.shape(at, TInt64.class), tf.constant((long) oovStart));
    } else {
      missed = tf.math.add(oovSlot(tf, flat, numOovIndices), tf.constant((long) oovStart));
    }
    Operand<TInt64> index = tf.select(hit, found, missed);
    if (masked != null) {
      // Index 0 for "int"; otherwise one past the depth, which the encodings drop.
      long value = oovStart == 1 ? 0 : depth();
      index = tf.select(masked, tf.fill(tf.shape(index, TInt64.class), tf.constant(value)), index);
    }
    Ops scoped = checks.isEmpty() ? tf : tf.withControlDependencies(checks);
    return scoped.reshape(index, shape);
  }

  /** Indices back to tokens: the mask token at 0 (when set), the OOV token for the rest. */
  @SuppressWarnings("unchecked")
  private Operand<?> invertLookup(Ops tf, Operand<?> input) {
    if (input.type() != TInt32.class && input.type() != TInt64.class) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + ", invert=true) takes integer indices, got "
              + io.jkeras.backend.DTypes.name(input.type()));
    }
    Operand<TInt64> index =
        input.type() == TInt64.class
            ? (Operand<TInt64>) input
            : tf.dtypes.cast(input, TInt64.class);
    List<T> table = vocabulary();
    Operand<TBool> valid =
        tf.math.logicalAnd(
            tf.math.greaterEqual(index, tf.constant(0L)),
            tf.math.less(index, tf.constant((long) table.size())));
    Operand<TInt64> safe = tf.select(valid, index, tf.zerosLike(index));
    Operand<?> gathered = tf.gather(tokenConstant(tf, table), safe, tf.constant(0));
    Operand<?> fallback = tf.fill(tf.shape(index), scalar(tf, oovToken));
    return tf.select(valid, (Operand) gathered, (Operand) fallback);
  }

  @SuppressWarnings("unchecked")
  private Operand<?> scalar(Ops tf, T token) {
    Operand<?> one = tokenConstant(tf, List.of(token));
    return tf.reshape((Operand) one, tf.constant(new int[0]));
  }

  // ---- assets and variables --------------------------------------------------------------------

  /**
   * A TF-IDF lookup's {@code idf_weights} over the output depth, which Keras keeps in the weights
   * file (its {@code save_own_variables}); none for other modes. Before an adapted layer's file is
   * read, the array is zeros of the recorded size.
   *
   * <pre>{@code tfIdfLookup.namedVariables().get("idf_weights"); // [mean, idf(a), idf(b)]}</pre>
   */
  @Override
  public Map<String, float[]> namedVariables() {
    if (!outputMode.equals("tf_idf")) {
      return Map.of();
    }
    return Map.of("idf_weights", idfWeights != null ? idfWeights.clone() : new float[depth()]);
  }

  /**
   * Sets the TF-IDF weights read from a weights file (Keras's {@code load_own_variables}).
   *
   * <pre>{@code lookup.setNamedVariables(Map.of("idf_weights", weights));}</pre>
   */
  @Override
  public void setNamedVariables(Map<String, float[]> values) {
    float[] idf = values.get("idf_weights");
    if (outputMode.equals("tf_idf") && idf != null) {
      idfWeights = idf.clone();
    }
  }

  /**
   * The vocabulary file Keras keeps for a layer whose vocabulary is not in its config (adapted or
   * read from a file): {@code vocabulary.txt}, every token of {@link #vocabulary()} on its own line
   * (without a final newline), as Keras's {@code save_assets} writes it.
   *
   * <pre>{@code layer.saveAssets(); // {"vocabulary.txt": "[UNK]\nb\na"} for an adapted layer}
   * </pre>
   *
   * @throws IllegalStateException when a token holds a line break, which the file cannot keep
   */
  @Override
  public Map<String, byte[]> saveAssets() {
    if (configVocabulary != null) {
      return Map.of();
    }
    List<String> lines = new ArrayList<>();
    for (T t : vocabulary()) {
      String s = String.valueOf(t);
      for (int i = 0; i < s.length(); i++) {
        if (isLineBreak(s.charAt(i))) {
          throw new IllegalStateException(
              className()
                  + " \""
                  + name()
                  + "\": the token "
                  + show(t)
                  + " holds a line break, which Keras's "
                  + VOCABULARY_ASSET
                  + " cannot keep; give the vocabulary as a list instead");
        }
      }
      lines.add(s);
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put(VOCABULARY_ASSET, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    return out;
  }

  /**
   * Reads the vocabulary from {@code vocabulary.txt} in {@code files} when the config did not hold
   * it, as Keras's {@code load_assets}; a layer given its vocabulary ignores the assets.
   *
   * <pre>{@code layer.loadAssets(Map.of("vocabulary.txt", bytes));}</pre>
   *
   * @throws IllegalArgumentException when the file is missing or its vocabulary does not fit the
   *     config's {@code vocabulary_size}
   */
  @Override
  public void loadAssets(Map<String, byte[]> files) {
    if (configVocabulary != null) {
      return;
    }
    byte[] bytes = files.get(VOCABULARY_ASSET);
    if (bytes == null) {
      throw new IllegalArgumentException(
          className()
              + " \""
              + name()
              + "\": its config has no vocabulary, and its assets hold no "
              + VOCABULARY_ASSET
              + " (assets found: "
              + new java.util.TreeSet<>(files.keySet())
              + ")");
    }
    List<T> values = new ArrayList<>();
    for (String line : lines(new String(bytes, StandardCharsets.UTF_8))) {
      try {
        values.add(parseToken(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            className() + " \"" + name() + "\": " + VOCABULARY_ASSET + ": " + e.getMessage(), e);
      }
    }
    Integer recorded = frozenVocabularySize;
    List<Double> idf = null;
    if (outputMode.equals("tf_idf")) {
      // Keras: the weights file's idf_weights, over the whole vocabulary, specials first.
      if (idfWeights == null) {
        throw new IllegalArgumentException(
            className() + " \"" + name() + "\": no idf_weights were read for output_mode tf_idf");
      }
      idf = new ArrayList<>();
      for (int i = 0; i < Math.min(idfWeights.length, values.size()); i++) {
        idf.add((double) idfWeights[i]);
      }
    }
    frozenVocabularySize = null;
    setVocabulary(values, idf);
    if (recorded != null && recorded != vocabularySize()) {
      throw new IllegalArgumentException(
          className()
              + " \""
              + name()
              + "\": the config says vocabulary_size "
              + recorded
              + ", but "
              + VOCABULARY_ASSET
              + " gives "
              + vocabularySize());
    }
  }

  // ---- config ----------------------------------------------------------------------------------

  /** The token as Keras's messages show it. */
  private static String show(Object t) {
    return t instanceof String s ? "\"" + s + "\"" : String.valueOf(t);
  }

  /** Keras writes an empty build_config for its lookup layers, which build at init. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  /** The keys Keras 3's IndexLookup writes, in its order. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("invert", invert);
    config.put("max_tokens", maxTokens);
    config.put("num_oov_indices", numOovIndices);
    config.put("oov_token", oovToken);
    config.put("mask_token", maskToken);
    config.put("output_mode", outputMode);
    config.put("sparse", false);
    config.put("pad_to_max_tokens", padToMaxTokens);
    config.put("idf_weights", configIdfWeights == null ? null : new ArrayList<>(configIdfWeights));
    config.put("vocabulary", configVocabulary == null ? null : new ArrayList<>(configVocabulary));
    config.put("vocabulary_size", frozenVocabularySize);
    config.put("oov_method", oovMethod);
    config.put("salt", salt == null ? null : new ArrayList<>(List.of(salt[0], salt[1])));
    return config;
  }

  /** The salt pair of a hashed OOV lookup, or null. */
  protected long[] salt() {
    return salt == null ? null : salt.clone();
  }

  /** "floormod" or "farmhash": how integer keys pick one of several OOV indices. */
  protected String oovMethod() {
    return oovMethod;
  }

  /**
   * Reads the keys both lookups share into {@code b}, tokens converted by {@code token} (which
   * throws IllegalArgumentException for a value of the wrong type).
   */
  static <T> void readCommon(ConfigReader c, Builder<T, ?> b, Function<Object, T> token) {
    b.name(c.name());
    b.invert(c.bool("invert", false));
    Object max = c.raw("max_tokens");
    if (max != null) {
      Long m = ConfigReader.integral(max);
      if (m == null || m > Integer.MAX_VALUE) {
        throw c.wrongValue("max_tokens", "null or a positive integer", max);
      }
      b.maxTokens(m.intValue());
    }
    b.numOovIndices(c.integer("num_oov_indices", 1));
    if (c.has("oov_token")) {
      b.oovToken(tokenAt(c, "oov_token", c.raw("oov_token"), token));
    }
    b.maskToken(tokenAt(c, "mask_token", c.raw("mask_token"), token));
    b.outputMode(c.string("output_mode", "int"));
    c.requireDefault("sparse", false, "sparse output");
    b.padToMaxTokens(c.bool("pad_to_max_tokens", false));
    Object idf = c.raw("idf_weights");
    if (idf != null) {
      if (!(idf instanceof List<?> list)) {
        throw c.wrongValue("idf_weights", "a list of numbers", idf);
      }
      List<Double> weights = new ArrayList<>();
      for (Object v : list) {
        if (!(v instanceof Number n)) {
          throw c.wrongValue("idf_weights", "a list of numbers", idf);
        }
        weights.add(n.doubleValue());
      }
      b.idfWeights(weights);
    }
    Object vocab = c.raw("vocabulary");
    if (vocab instanceof String) {
      throw c.fail(
          "vocabulary",
          "a file path; Keras refuses vocabulary files named in a config in safe mode, and writes"
              + " vocabularies it read from a file into the archive's assets instead");
    }
    if (vocab != null) {
      if (!(vocab instanceof List<?> list)) {
        throw c.wrongValue("vocabulary", "a list of tokens or null", vocab);
      }
      List<T> tokens = new ArrayList<>();
      for (Object v : list) {
        tokens.add(tokenAt(c, "vocabulary", v, token));
      }
      b.vocabulary(tokens);
    }
    Object size = c.raw("vocabulary_size");
    if (size != null) {
      Long n = ConfigReader.integral(size);
      if (n == null || n < 0 || n > Integer.MAX_VALUE) {
        throw c.wrongValue("vocabulary_size", "null or a non-negative integer", size);
      }
      b.vocabularySize = n.intValue();
    }
    b.oovMethod(c.string("oov_method", "floormod"));
    Object s = c.raw("salt");
    if (s != null) {
      Long one = ConfigReader.integral(s);
      if (one != null) {
        b.salt(one, one);
      } else if (s instanceof List<?> l
          && l.size() == 2
          && ConfigReader.integral(l.get(0)) != null
          && ConfigReader.integral(l.get(1)) != null) {
        b.salt(ConfigReader.integral(l.get(0)), ConfigReader.integral(l.get(1)));
      } else {
        throw c.wrongValue("salt", "null, an integer or a list of two integers", s);
      }
    }
  }

  private static <T> T tokenAt(ConfigReader c, String key, Object v, Function<Object, T> token) {
    if (v == null) {
      return null;
    }
    try {
      return token.apply(v);
    } catch (IllegalArgumentException e) {
      throw c.fail(key, e.getMessage());
    }
  }

  /**
   * Builds the layer from {@code b}, turning argument errors into config errors under {@code
   * vocabulary}, then checks the config's {@code vocabulary_size} against the vocabulary.
   */
  static <L extends IndexLookup<?>> L build(ConfigReader c, Builder<?, ?> b, Supplier<L> f) {
    L layer;
    try {
      layer = f.get();
    } catch (IllegalArgumentException e) {
      throw c.fail("vocabulary", e.getMessage());
    }
    if (b.vocabularySize != null
        && layer.hasVocabulary()
        && layer.vocabularySize() != b.vocabularySize) {
      throw c.fail(
          "vocabulary_size",
          "the file says "
              + b.vocabularySize
              + ", but the vocabulary gives "
              + layer.vocabularySize());
    }
    return layer;
  }

  // ---- builder
  // -----------------------------------------------------------------------------------

  /**
   * The optional arguments of a lookup layer, by their Keras names.
   *
   * @param <T> the token type
   * @param <B> the concrete builder
   */
  public abstract static class Builder<T, B extends Builder<T, B>> {
    private List<T> vocabulary;
    private Path vocabularyFile;
    private int numOovIndices = 1;
    private T maskToken;
    private T oovToken;
    private boolean invert;
    private String outputMode = "int";
    private Integer maxTokens;
    private boolean padToMaxTokens;
    private List<Double> idfWeights;
    private String oovMethod = "floormod";
    private long[] salt;
    private String name;
    private Integer vocabularySize;

    /**
     * A builder whose OOV token is {@code defaultOovToken}.
     *
     * @param defaultOovToken Keras's default OOV token ("[UNK]" or -1)
     */
    protected Builder(T defaultOovToken) {
      this.oovToken = defaultOovToken;
    }

    /** This builder, typed as the concrete one. */
    protected abstract B self();

    /**
     * The vocabulary, without or with the special tokens first (mask, then OOV), as Keras takes it.
     */
    public B vocabulary(List<T> vocabulary) {
      this.vocabulary = vocabulary == null ? null : new ArrayList<>(vocabulary);
      return self();
    }

    /**
     * A text file holding the vocabulary, one token a line (UTF-8); kept in the {@code .keras}
     * archive's assets, as Keras keeps it.
     */
    public B vocabularyFile(Path file) {
      this.vocabularyFile = file;
      return self();
    }

    /** How many indices tokens outside the vocabulary get (1; 0 makes them an error). */
    public B numOovIndices(int n) {
      this.numOovIndices = n;
      return self();
    }

    /** The token that means "no value" (index 0 in "int" output; dropped in the others). */
    public B maskToken(T token) {
      this.maskToken = token;
      return self();
    }

    /** The token the OOV indices stand for in the vocabulary and in inverted output. */
    public B oovToken(T token) {
      this.oovToken = token;
      return self();
    }

    /** Maps indices back to tokens instead (output_mode "int" only). */
    public B invert(boolean invert) {
      this.invert = invert;
      return self();
    }

    /** "int" (default), "one_hot", "multi_hot", "count" or "tf_idf". */
    public B outputMode(String mode) {
      this.outputMode = mode;
      return self();
    }

    /** The largest vocabulary size, special indices included (null: unbounded). */
    public B maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return self();
    }

    /** Encoded outputs take {@code max_tokens} as their depth, whatever the vocabulary size. */
    public B padToMaxTokens(boolean pad) {
      this.padToMaxTokens = pad;
      return self();
    }

    /** The inverse document frequencies of "tf_idf" output, one per vocabulary token. */
    public B idfWeights(List<Double> weights) {
      this.idfWeights = weights == null ? null : new ArrayList<>(weights);
      return self();
    }

    /** How integer keys pick one of several OOV indices: "floormod" (default) or "farmhash". */
    public B oovMethod(String method) {
      this.oovMethod = method;
      return self();
    }

    /** Keys a SipHash of OOV tokens to several OOV indices (Keras's salt pair). */
    public B salt(long first, long second) {
      this.salt = new long[] {first, second};
      return self();
    }

    /** The layer name (automatic when null). */
    public B name(String name) {
      this.name = name;
      return self();
    }

    /**
     * The {@code vocabulary_size} a saved config recorded, which gives the output depth before the
     * assets are read (null: none).
     */
    B recordedVocabularySize(Integer size) {
      this.vocabularySize = size;
      return self();
    }
  }
}
