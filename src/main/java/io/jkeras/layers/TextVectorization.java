package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.strings.StringNGrams;
import org.tensorflow.op.strings.StringSplit;
import org.tensorflow.op.strings.UnicodeDecode;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Turns raw text into token indices or token counts, as Keras 3's {@code
 * keras.layers.TextVectorization}: each string is standardized, split into tokens, optionally
 * combined into n-grams, and looked up in a vocabulary by an inner {@link StringLookup} whose mask
 * token is {@code ""} (index 0 in "int" output) and whose OOV token is "[UNK]".
 *
 * <p>The steps run the TensorFlow kernels Keras runs, so tokens match Keras's exactly: {@code
 * standardize} "lower_and_strip_punctuation" (default), "lower", "strip_punctuation" or null
 * (lowercasing is ASCII-only, as {@code tf.strings.lower}; punctuation is Keras's ASCII punctuation
 * class); {@code split} "whitespace" (default), "character" (one token per Unicode code point) or
 * null (each string, or each entry of a rank-2 input, is one token); {@code ngrams} null, n (widths
 * 1 to n) or a list of widths.
 *
 * <p>Outputs: "int" (int64 indices, one row per string, padded with 0 to the longest row or padded
 * and cut to {@code outputSequenceLength}), "multi_hot", "count" and "tf_idf" (float32 over {@link
 * #vocabularySize()} indices, or {@code max_tokens} with {@code padToMaxTokens}). Ragged and sparse
 * outputs are not supported.
 *
 * <p>Input: a "string" tensor of shape {@code (batch,)} or {@code (batch, 1)} (with {@code split}
 * null, also {@code (batch, tokens)}). The vocabulary comes from a list, a file or {@link #adapt};
 * a list is kept in the Keras config, the others in the {@code .keras} archive's assets as Keras
 * keeps them ({@code assets/layers/<layer>/vocabulary.txt}, and again under {@code
 * _lookup_layer/}). TF-IDF weights are kept in the weights file.
 *
 * <pre>{@code
 * TextVectorization vectorize =
 *     TextVectorization.builder().maxTokens(1000).outputSequenceLength(8).build();
 * vectorize.adapt(List.of("The cat sat.", "The dog ran!"));
 * KerasTensor text = Input.of("string", 1);
 * KerasTensor ids = vectorize.apply(text); // int64 (batch, 8): 0 pads, 1 = "[UNK]"
 * KerasTensor x = new Embedding(vectorize.vocabularySize(), 16).apply(ids);
 * }</pre>
 */
public class TextVectorization extends Layer {

  /** Keras's punctuation class ({@code DEFAULT_STRIP_REGEX}), for RE2. */
  static final String STRIP_REGEX = "[!\"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~\\']";

  private static final List<String> STANDARDIZE =
      List.of("lower_and_strip_punctuation", "lower", "strip_punctuation");
  private static final List<String> SPLIT = List.of("whitespace", "character");
  private static final List<String> MODES = List.of("int", "multi_hot", "count", "tf_idf");

  private final String standardize;
  private final String split;

  /** {@code ngrams} as given (null, an Integer or a List of Integers), for the config. */
  private final Object ngramsArgument;

  /** The n-gram widths, or null for none. */
  private final List<Long> ngrams;

  private final String outputMode;
  private final Integer outputSequenceLength;
  private final String encoding;
  private final StringLookup lookup;

  private TextVectorization(Builder b) {
    super(b.name);
    String cls = "TextVectorization";
    if (b.standardize != null && !STANDARDIZE.contains(b.standardize)) {
      throw new IllegalArgumentException(
          cls
              + ": standardize must be one of "
              + STANDARDIZE
              + " or null, got \""
              + b.standardize
              + "\"");
    }
    if (b.split != null && !SPLIT.contains(b.split)) {
      throw new IllegalArgumentException(
          cls + ": split must be one of " + SPLIT + " or null, got \"" + b.split + "\"");
    }
    String mode = b.outputMode == null ? "int" : b.outputMode;
    mode = mode.equals("binary") ? "multi_hot" : mode.equals("tf-idf") ? "tf_idf" : mode;
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException(
          cls + ": output_mode must be one of " + MODES + ", got \"" + b.outputMode + "\"");
    }
    if (b.outputSequenceLength != null) {
      if (!mode.equals("int")) {
        throw new IllegalArgumentException(
            cls + ": output_sequence_length is only for output_mode \"int\", got \"" + mode + "\"");
      }
      if (b.outputSequenceLength < 1) {
        throw new IllegalArgumentException(
            cls + ": output_sequence_length must be positive, got " + b.outputSequenceLength);
      }
    }
    List<Long> widths = null;
    if (b.ngrams instanceof Integer n) {
      if (n < 1) {
        throw new IllegalArgumentException(cls + ": ngrams must be at least 1, got " + n);
      }
      widths = new ArrayList<>();
      for (long w = 1; w <= n; w++) {
        widths.add(w);
      }
    } else if (b.ngrams instanceof List<?> list) {
      widths = new ArrayList<>();
      for (Object w : list) {
        if (!(w instanceof Integer n) || n < 1) {
          throw new IllegalArgumentException(
              cls + ": ngrams widths must be integers of at least 1, got " + list);
        }
        widths.add((long) n);
      }
      if (widths.isEmpty()) {
        throw new IllegalArgumentException(cls + ": ngrams is an empty list");
      }
    }
    this.standardize = b.standardize;
    this.split = b.split;
    this.ngramsArgument = b.ngrams;
    this.ngrams = widths == null ? null : List.copyOf(widths);
    this.outputMode = mode;
    this.outputSequenceLength = b.outputSequenceLength;
    this.encoding = b.encoding;
    StringLookup.Builder l =
        StringLookup.builder()
            .maskToken("")
            .maxTokens(b.maxTokens)
            .padToMaxTokens(b.padToMaxTokens)
            .outputMode(mode)
            .encoding(b.encoding)
            .vocabulary(b.vocabulary)
            .vocabularyFile(b.vocabularyFile)
            .idfWeights(b.idfWeights)
            .recordedVocabularySize(b.vocabularySize);
    try {
      this.lookup = addLayer("_lookup_layer", l.build());
    } catch (IllegalArgumentException e) {
      // The inner lookup's checks speak of Keras arguments this layer passes on as they came.
      throw new IllegalArgumentException(
          cls + ": " + e.getMessage().replaceFirst("^StringLookup: ", ""), e);
    }
  }

  /**
   * A builder for the arguments; with neither vocabulary nor file, {@link #adapt} the layer before
   * it runs.
   *
   * <pre>{@code TextVectorization.builder().split("character").ngrams(2).outputMode("count")}</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** TextVectorization's arguments, by their Keras names, with Keras's defaults. */
  public static final class Builder {
    private Integer maxTokens;
    private String standardize = "lower_and_strip_punctuation";
    private String split = "whitespace";
    private Object ngrams;
    private String outputMode = "int";
    private Integer outputSequenceLength;
    private boolean padToMaxTokens;
    private List<String> vocabulary;
    private Path vocabularyFile;
    private List<Double> idfWeights;
    private String encoding = "utf-8";
    private String name;
    private Integer vocabularySize;

    private Builder() {}

    /** The largest vocabulary size, the mask ("int" output) and OOV indices included. */
    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** "lower_and_strip_punctuation" (default), "lower", "strip_punctuation" or null (none). */
    public Builder standardize(String standardize) {
      this.standardize = standardize;
      return this;
    }

    /** "whitespace" (default), "character" or null (no splitting). */
    public Builder split(String split) {
      this.split = split;
      return this;
    }

    /** Tokens become the n-grams of widths 1 to {@code upTo}, joined by a space. */
    public Builder ngrams(int upTo) {
      this.ngrams = upTo;
      return this;
    }

    /** Tokens become the n-grams of exactly these widths, in this order (a Keras tuple). */
    public Builder ngrams(List<Integer> widths) {
      this.ngrams = widths == null ? null : List.copyOf(widths);
      return this;
    }

    /** "int" (default), "multi_hot", "count" or "tf_idf". */
    public Builder outputMode(String mode) {
      this.outputMode = mode;
      return this;
    }

    /** Pads with 0 or cuts each row of "int" output to this many tokens (null: longest row). */
    public Builder outputSequenceLength(Integer length) {
      this.outputSequenceLength = length;
      return this;
    }

    /** Encoded outputs take {@code max_tokens} as their depth, whatever the vocabulary size. */
    public Builder padToMaxTokens(boolean pad) {
      this.padToMaxTokens = pad;
      return this;
    }

    /** The vocabulary, without or with the special tokens ("" then "[UNK]" for "int") first. */
    public Builder vocabulary(List<String> vocabulary) {
      this.vocabulary = vocabulary == null ? null : new ArrayList<>(vocabulary);
      return this;
    }

    /** A UTF-8 text file holding the vocabulary, one token a line; kept in the assets. */
    public Builder vocabularyFile(Path file) {
      this.vocabularyFile = file;
      return this;
    }

    /** The inverse document frequencies of "tf_idf" output, one per vocabulary token. */
    public Builder idfWeights(List<Double> weights) {
      this.idfWeights = weights == null ? null : new ArrayList<>(weights);
      return this;
    }

    /** The text encoding Keras records ("utf-8"). */
    public Builder encoding(String encoding) {
      this.encoding = encoding;
      return this;
    }

    /** The layer name (automatic when null). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The layer. */
    public TextVectorization build() {
      return new TextVectorization(this);
    }
  }

  /**
   * A TextVectorization layer from its Keras config. A null {@code vocabulary} means Keras keeps it
   * in the archive's assets: {@link #loadAssets} sets it. Callables for {@code standardize} or
   * {@code split}, {@code ragged} and {@code sparse} output are refused.
   */
  public static TextVectorization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("TextVectorization", config);
    Builder b = builder().name(c.name());
    Object max = c.raw("max_tokens");
    if (max != null) {
      Long m = ConfigReader.integral(max);
      if (m == null || m > Integer.MAX_VALUE) {
        throw c.wrongValue("max_tokens", "null or a positive integer", max);
      }
      b.maxTokens(m.intValue());
    }
    b.standardize(choice(c, "standardize", "lower_and_strip_punctuation", STANDARDIZE));
    b.split(choice(c, "split", "whitespace", SPLIT));
    Object ngrams = c.raw("ngrams");
    if (ngrams != null) {
      Long n = ConfigReader.integral(ngrams);
      if (n != null && n >= 1 && n <= Integer.MAX_VALUE) {
        b.ngrams(n.intValue());
      } else if (ngrams instanceof List<?> list && !list.isEmpty()) {
        List<Integer> widths = new ArrayList<>();
        for (Object w : list) {
          Long v = ConfigReader.integral(w);
          if (v == null || v < 1 || v > Integer.MAX_VALUE) {
            throw c.wrongValue("ngrams", "null, a positive integer or a list of them", ngrams);
          }
          widths.add(v.intValue());
        }
        b.ngrams(widths);
      } else {
        throw c.wrongValue("ngrams", "null, a positive integer or a list of them", ngrams);
      }
    }
    b.outputMode(c.string("output_mode", "int"));
    Object length = c.raw("output_sequence_length");
    if (length != null) {
      Long n = ConfigReader.integral(length);
      if (n == null || n < 1 || n > Integer.MAX_VALUE) {
        throw c.wrongValue("output_sequence_length", "null or a positive integer", length);
      }
      b.outputSequenceLength(n.intValue());
    }
    b.padToMaxTokens(c.bool("pad_to_max_tokens", false));
    c.requireDefault("sparse", false, "sparse output");
    if (c.bool("ragged", false)) {
      throw c.fail(
          "ragged",
          "got true: jkeras has no ragged tensors; save the model with ragged=False (rows padded"
              + " with 0, or cut to output_sequence_length)");
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
        throw c.wrongValue("vocabulary", "a list of strings or null", vocab);
      }
      List<String> tokens = new ArrayList<>();
      for (Object v : list) {
        if (!(v instanceof String s)) {
          throw c.wrongValue("vocabulary", "a list of strings or null", vocab);
        }
        tokens.add(s);
      }
      b.vocabulary(tokens);
    }
    Object idf = c.raw("idf_weights");
    if (idf != null) {
      if (!(idf instanceof List<?> list)) {
        throw c.wrongValue("idf_weights", "a list of numbers or null", idf);
      }
      List<Double> weights = new ArrayList<>();
      for (Object v : list) {
        if (!(v instanceof Number n)) {
          throw c.wrongValue("idf_weights", "a list of numbers or null", idf);
        }
        weights.add(n.doubleValue());
      }
      b.idfWeights(weights);
    }
    b.encoding(c.string("encoding", "utf-8"));
    Object size = c.raw("vocabulary_size");
    if (size != null) {
      Long n = ConfigReader.integral(size);
      if (n == null || n < 0 || n > Integer.MAX_VALUE) {
        throw c.wrongValue("vocabulary_size", "null or a non-negative integer", size);
      }
      b.vocabularySize = n.intValue();
    }
    TextVectorization layer;
    try {
      layer = b.build();
    } catch (IllegalArgumentException e) {
      // The messages start with the argument they are about; others concern the vocabulary.
      String detail = e.getMessage().replaceFirst("^TextVectorization: ", "");
      String key = detail.split("[ =]", 2)[0];
      throw c.fail(config.containsKey(key) ? key : "vocabulary", detail);
    }
    if (b.vocabularySize != null
        && b.vocabulary != null
        && layer.vocabularySize() != b.vocabularySize) {
      throw c.fail(
          "vocabulary_size",
          "the file says "
              + b.vocabularySize
              + ", but the vocabulary gives "
              + layer.vocabularySize());
    }
    return c.finish(layer);
  }

  /** One of {@code allowed} or null; a serialized Python function is refused by name. */
  private static String choice(ConfigReader c, String key, String absent, List<String> allowed) {
    if (!c.has(key)) {
      c.raw(key);
      return absent;
    }
    Object v = c.raw(key);
    if (v == null || (v instanceof String s && allowed.contains(s))) {
      return (String) v;
    }
    if (v instanceof Map<?, ?> m) {
      throw c.fail(
          key,
          "got the Python callable "
              + ConfigReader.show(m.get("config"))
              + ": a function cannot be loaded into Java; use one of "
              + allowed
              + " or null");
    }
    throw c.wrongValue(key, "one of " + allowed + " or null", v);
  }

  // ---- the vocabulary ------------------------------------------------------------------------

  /**
   * Computes the vocabulary from {@code texts}, as Keras's {@code adapt}: each text is
   * standardized, split and n-grammed as in a call; tokens are ordered by how often they occur,
   * ties from the highest (UTF-8 byte order) down, at most {@code max_tokens} indices. Each text is
   * one document (for TF-IDF).
   *
   * <pre>{@code vectorize.adapt(List.of("b a", "b")); // vocabulary ["", "[UNK]", "b", "a"]}</pre>
   */
  public void adapt(List<String> texts) {
    for (String t : texts) {
      if (t == null) {
        throw new IllegalArgumentException(
            "TextVectorization \"" + name() + "\": adapt data holds null");
      }
    }
    String[][] documents = new String[texts.size()][];
    if (!texts.isEmpty()) {
      try (EagerSession session = EagerSession.create()) {
        Ops e = Ops.create(session);
        Operand<TString> in = e.constant(StandardCharsets.UTF_8, texts.toArray(new String[0]));
        Operand<TString> s = standardized(e, split == null ? e.expandDims(in, e.constant(-1)) : in);
        Tokens t = tokens(e, s);
        long[] splits = new long[texts.size() + 1];
        try (TInt64 rows = t.splits().asTensor()) {
          rows.copyTo(DataBuffers.of(splits, false, false));
        }
        try (TString values = t.values().asTensor()) {
          NdArray<byte[]> bytes = values.asBytes();
          for (int i = 0; i < documents.length; i++) {
            documents[i] = new String[(int) (splits[i + 1] - splits[i])];
            for (int j = 0; j < documents[i].length; j++) {
              documents[i][j] = new String(bytes.getObject(splits[i] + j), StandardCharsets.UTF_8);
            }
          }
        }
      }
    }
    lookup.adapt(documents);
  }

  /**
   * The vocabulary with its special tokens ("" in "int" output, then "[UNK]"), so that a token's
   * position is its index (Keras's {@code get_vocabulary()}).
   *
   * <pre>{@code vectorize.vocabulary(); // ["", "[UNK]", "the", "cat"]}</pre>
   */
  public List<String> vocabulary() {
    return lookup.vocabulary();
  }

  /**
   * The number of indices, mask and OOV included (Keras's {@code vocabulary_size()}): the input
   * dimension of an Embedding after "int" output.
   *
   * <pre>{@code new Embedding(vectorize.vocabularySize(), 16)}</pre>
   */
  public int vocabularySize() {
    return lookup.vocabularySize();
  }

  // ---- shapes and the call -------------------------------------------------------------------

  /** The input rank and shape the steps take; a clear error otherwise. */
  private void checkInputShape(Shape in) {
    int rank = in.numDimensions();
    boolean ok =
        split != null
            ? rank == 1 || (rank == 2 && (in.size(1) == 1 || in.size(1) < 0))
            : rank == 2
                || (rank == 1 && direct(split, ngrams, outputSequenceLength, rank, outputMode));
    if (!ok) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (TextVectorization) takes strings of shape (batch,) or (batch, 1)"
              + (split == null
                  ? ", or (batch, tokens) with split=None (Keras takes (batch,) then only for"
                      + " \"int\" output without ngrams and output_sequence_length: its other"
                      + " modes encode the whole batch as one sample)"
                  : "")
              + ", got "
              + in);
    }
  }

  /**
   * Whether the strings go straight to the lookup, one token each: split=None, no n-grams and no
   * sequence length, rank 1, "int" output (indices of the input's shape, as Keras).
   */
  private static boolean direct(
      String split, List<Long> ngrams, Integer length, int rank, String mode) {
    return split == null && ngrams == null && length == null && rank == 1 && mode.equals("int");
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    checkInputShape(inputShape);
    long batch = inputShape.size(0);
    if (outputMode.equals("int")) {
      if (direct(split, ngrams, outputSequenceLength, inputShape.numDimensions(), outputMode)) {
        return inputShape;
      }
      return Shape.of(batch, outputSequenceLength == null ? -1 : outputSequenceLength);
    }
    return lookup.computeOutputShape(Shape.of(batch, -1));
  }

  @Override
  protected List<String> computeOutputDtypes(List<String> inputDtypes, int outputCount) {
    if (!inputDtypes.get(0).equals("string")) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (TextVectorization) takes string inputs, got "
              + inputDtypes.get(0));
    }
    return List.of(outputMode.equals("int") ? "int64" : "float32");
  }

  /** Keras writes a build_config with the input shape. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (TextVectorization) takes one input, got " + inputs.size());
    }
    Operand<?> input = inputs.get(0);
    if (input.type() != TString.class) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (TextVectorization) takes string inputs, got "
              + DTypes.name(input.type()));
    }
    Shape shape = input.shape();
    checkInputShape(shape);
    Operand<TString> text = standardized(tf, (Operand<TString>) input);
    Operand<TString> dense;
    if (direct(split, ngrams, outputSequenceLength, shape.numDimensions(), outputMode)) {
      dense = text;
    } else {
      Tokens t = tokens(tf, text);
      Operand<TInt64> width =
          outputSequenceLength != null
              ? tf.constant((long) outputSequenceLength)
              : tf.math.maximum(
                  tf.max(rowLengths(tf, t.splits()), tf.constant(0)), tf.constant(0L));
      dense = padded(tf, t, width);
    }
    return lookup.call(tf, List.of(dense), training);
  }

  /** The strings standardized as Keras does, with TensorFlow's own kernels. */
  private Operand<TString> standardized(Ops tf, Operand<TString> text) {
    Operand<TString> out = text;
    if ("lower".equals(standardize) || "lower_and_strip_punctuation".equals(standardize)) {
      out = tf.strings.lower(out); // ASCII letters only, as tf.strings.lower by default
    }
    if ("strip_punctuation".equals(standardize)
        || "lower_and_strip_punctuation".equals(standardize)) {
      out = tf.strings.staticRegexReplace(out, STRIP_REGEX, "");
    }
    return out;
  }

  /** Tokens of all rows, one after another, and where each row's tokens start (a ragged row). */
  private record Tokens(Operand<TString> values, Operand<TInt64> splits) {}

  /**
   * Splits standardized strings into rows of tokens and makes their n-grams: {@code text} is
   * (batch,) or (batch, 1) with a split, (batch, tokens) without.
   */
  private Tokens tokens(Ops tf, Operand<TString> text) {
    Tokens t;
    if (split == null) {
      Operand<TInt64> rows = tf.shape(text, TInt64.class);
      Operand<TInt64> width = tf.gather(rows, tf.constant(1), tf.constant(0));
      Operand<TInt64> batch = tf.gather(rows, tf.constant(0), tf.constant(0));
      t =
          new Tokens(
              tf.reshape(text, tf.constant(new int[] {-1})),
              tf.math.mul(
                  tf.range(tf.constant(0L), tf.math.add(batch, tf.constant(1L)), tf.constant(1L)),
                  width));
    } else {
      Operand<TString> flat = tf.reshape(text, tf.constant(new int[] {-1}));
      if (split.equals("whitespace")) {
        // Runs of whitespace separate tokens; leading and trailing whitespace gives none.
        StringSplit parts = tf.strings.stringSplit(flat, tf.constant(""));
        Operand<TInt64> row = tf.gather(parts.indices(), tf.constant(0), tf.constant(1));
        Operand<TInt64> counts =
            tf.math.unsortedSegmentSum(tf.onesLike(row), row, tf.size(flat, TInt64.class));
        t =
            new Tokens(
                parts.values(),
                tf.concat(
                    List.of(tf.constant(new long[] {0}), tf.math.cumsum(counts, tf.constant(0))),
                    tf.constant(0)));
      } else {
        // One token per code point, invalid UTF-8 replaced by U+FFFD, as tf.strings.unicode_split.
        UnicodeDecode<TInt64> chars =
            tf.strings.unicodeDecode(
                flat,
                "UTF-8",
                TInt64.class,
                UnicodeDecode.errors("replace"),
                UnicodeDecode.replacementChar(0xFFFDL),
                UnicodeDecode.replaceControlCharacters(false));
        Operand<TInt64> count = tf.shape(chars.charValues(), TInt64.class);
        Operand<TInt64> each =
            tf.range(
                tf.constant(0L),
                tf.math.add(tf.reshape(count, tf.constant(new int[0])), tf.constant(1L)),
                tf.constant(1L));
        t =
            new Tokens(
                tf.strings.unicodeEncode(chars.charValues(), each, "UTF-8"), chars.rowSplits());
      }
    }
    if (ngrams == null) {
      return t;
    }
    StringNGrams<TInt64> grams =
        tf.strings.stringNGrams(t.values(), t.splits(), " ", ngrams, "", "", 0L, false);
    return new Tokens(grams.ngrams(), grams.ngramsSplits());
  }

  private static Operand<TInt64> rowLengths(Ops tf, Operand<TInt64> splits) {
    return tf.math.sub(
        tf.stridedSlice(splits, Indices.sliceFrom(1)),
        tf.stridedSlice(splits, Indices.sliceTo(-1)));
  }

  /** The rows as a (batch, width) matrix: cut to {@code width}, padded with "" (the mask). */
  private static Operand<TString> padded(Ops tf, Tokens t, Operand<TInt64> width) {
    Operand<TInt64> starts = tf.stridedSlice(t.splits(), Indices.sliceTo(-1));
    Operand<TInt64> lengths = rowLengths(tf, t.splits());
    Operand<TInt64> column =
        tf.expandDims(tf.range(tf.constant(0L), width, tf.constant(1L)), tf.constant(0));
    Operand<TInt64> at = tf.math.add(tf.expandDims(starts, tf.constant(1)), column);
    Operand<TBool> inside = tf.math.less(column, tf.expandDims(lengths, tf.constant(1)));
    Operand<TInt64> none =
        tf.fill(
            tf.shape(at, TInt64.class),
            tf.reshape(tf.size(t.values(), TInt64.class), tf.constant(new int[0])));
    Operand<TString> withPad =
        tf.concat(
            List.of(t.values(), tf.constant(StandardCharsets.UTF_8, new String[] {""})),
            tf.constant(0));
    return tf.gather(withPad, tf.select(inside, at, none), tf.constant(0));
  }

  // ---- assets, variables and config ----------------------------------------------------------

  /**
   * The vocabulary file of an adapted or file vocabulary, which Keras writes both here and under
   * the inner lookup's {@code _lookup_layer/} folder; none for a vocabulary kept in the config.
   *
   * <pre>{@code vectorize.saveAssets(); // {"vocabulary.txt": "\n[UNK]\nthe\ncat"}}</pre>
   */
  @Override
  public Map<String, byte[]> saveAssets() {
    return lookup.saveAssets();
  }

  /**
   * Reads the vocabulary Keras wrote beside this layer ({@code vocabulary.txt}), when the config
   * did not hold it.
   *
   * <pre>{@code vectorize.loadAssets(Map.of("vocabulary.txt", bytes));}</pre>
   */
  @Override
  public void loadAssets(Map<String, byte[]> files) {
    lookup.loadAssets(files);
  }

  /**
   * "tf_idf" output's {@code idf_weights}, which Keras keeps both under this layer and under its
   * inner lookup in the weights file; none for other modes.
   *
   * <pre>{@code vectorize.namedVariables().get("idf_weights");}</pre>
   */
  @Override
  public Map<String, float[]> namedVariables() {
    return lookup.namedVariables();
  }

  /**
   * Sets the TF-IDF weights read from a weights file.
   *
   * <pre>{@code vectorize.setNamedVariables(Map.of("idf_weights", weights));}</pre>
   */
  @Override
  public void setNamedVariables(Map<String, float[]> values) {
    lookup.setNamedVariables(values);
  }

  /** Keras 3's TextVectorization config, in its key order. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> inner = lookup.getConfig();
    Map<String, Object> config = super.getConfig();
    config.put("max_tokens", inner.get("max_tokens"));
    config.put("standardize", standardize);
    config.put("split", split);
    config.put(
        "ngrams",
        ngramsArgument instanceof List<?> l ? new ArrayList<>(l) : (Object) ngramsArgument);
    config.put("output_mode", outputMode);
    config.put("output_sequence_length", outputSequenceLength);
    config.put("pad_to_max_tokens", inner.get("pad_to_max_tokens"));
    config.put("sparse", false);
    config.put("ragged", false);
    config.put("vocabulary", inner.get("vocabulary"));
    config.put("idf_weights", inner.get("idf_weights"));
    config.put("encoding", encoding);
    // Keras's vocabulary_size(): before a vocabulary is set, the mask and OOV indices alone.
    config.put(
        "vocabulary_size",
        lookup.hasVocabulary() ? lookup.vocabularySize() : (outputMode.equals("int") ? 2 : 1));
    return config;
  }
}
