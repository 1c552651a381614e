package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Hashes string or integer features into {@code numBins} bins, as Keras 3's {@code
 * keras.layers.Hashing}: each string (integers as their decimal text) is hashed with FarmHash
 * Fingerprint64 (or, with a {@code salt}, keyed SipHash), modulo the number of bins. jkeras runs
 * the same TensorFlow kernels Keras calls ({@code AsString}, {@code StringToHashBucketFast} /
 * {@code Strong}), so the bins are Keras's bit for bit. Float inputs are truncated to int64 first,
 * as Keras does.
 *
 * <p>Arguments: {@code numBins} (positive; with a {@code maskValue}, bin 0 is reserved for it and
 * the others hash into {@code numBins - 1} bins shifted by one), {@code maskValue} (none; a string
 * for string inputs, an integer for integers), {@code salt} (none; one integer stands for the pair
 * (salt, salt)), {@code outputMode} ("int": int64 bins, or int32 with {@code dtype("int32")};
 * "one_hot", "multi_hot", "count" as {@link CategoryEncoding}, in float32).
 *
 * <p>Shapes: "int" keeps the input shape; other modes as {@link CategoryEncoding}. No weights.
 *
 * <pre>{@code
 * KerasTensor userIds = Input.of("int64", 1);
 * KerasTensor bins = new Hashing(1000).apply(userIds);            // int64 in [0, 1000)
 * KerasTensor vectors = new Embedding(1000, 16).apply(bins);
 * KerasTensor words = Input.of("string", 3);
 * KerasTensor wordBins = Hashing.builder(64).maskValue("").salt(7).build().apply(words);
 * }</pre>
 */
public class Hashing extends Layer {

  private static final List<String> MODES = List.of("int", "one_hot", "multi_hot", "count");

  private final int numBins;
  private final Object maskValue;
  private final long[] salt;
  private final String outputMode;
  private final String outputDtype;

  /**
   * Hashing into {@code numBins} bins with Keras's defaults (FarmHash, no mask, "int" output).
   *
   * <pre>{@code new Hashing(1000).apply(ids);}</pre>
   */
  public Hashing(int numBins) {
    this(numBins, null, null, "int", null, null);
  }

  /**
   * Hashing with an integer mask value.
   *
   * <pre>{@code new Hashing(6, 0L, new long[] {13}, "multi_hot", "hashed");}</pre>
   *
   * @param maskValue a value that goes to bin 0 (null for none)
   * @param salt null, one value or two values keying a SipHash instead of FarmHash
   */
  public Hashing(int numBins, Long maskValue, long[] salt, String outputMode, String name) {
    this(numBins, (Object) maskValue, salt, outputMode, null, name);
  }

  private Hashing(
      int numBins, Object maskValue, long[] salt, String outputMode, String dtype, String name) {
    super(name);
    if (numBins <= 0) {
      throw new IllegalArgumentException(
          "Hashing: num_bins must be a positive integer, got " + numBins);
    }
    if (salt != null && salt.length != 1 && salt.length != 2) {
      throw new IllegalArgumentException(
          "Hashing: salt must be one integer or two, got " + java.util.Arrays.toString(salt));
    }
    this.numBins = numBins;
    this.maskValue = maskValue;
    this.salt =
        salt == null ? null : salt.length == 1 ? new long[] {salt[0], salt[0]} : salt.clone();
    this.outputMode = CategoricalOutput.mode("Hashing", outputMode, MODES);
    String standard = this.outputMode.equals("int") ? "int64" : "float32";
    if (dtype != null
        && !dtype.equals(standard)
        && !(this.outputMode.equals("int") && dtype.equals("int32"))) {
      throw new IllegalArgumentException(
          "Hashing: dtype \""
              + dtype
              + "\" is not supported with output_mode \""
              + this.outputMode
              + "\" (only "
              + (this.outputMode.equals("int") ? "int64 or int32" : "float32")
              + ")");
    }
    this.outputDtype = dtype == null ? standard : dtype;
  }

  /**
   * A Hashing layer from its Keras config: num_bins, salt, mask_value, output_mode, sparse false;
   * dtype int64 or int32 for "int" output, float32 otherwise.
   */
  public static Hashing fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Hashing", config);
    String name = c.name();
    int numBins = c.positiveInt("num_bins");
    Object s = c.raw("salt");
    long[] salt = null;
    if (s != null) {
      Long one = ConfigReader.integral(s);
      if (one != null) {
        salt = new long[] {one};
      } else if (s instanceof List<?> l
          && l.size() == 2
          && ConfigReader.integral(l.get(0)) != null
          && ConfigReader.integral(l.get(1)) != null) {
        salt = new long[] {ConfigReader.integral(l.get(0)), ConfigReader.integral(l.get(1))};
      } else {
        throw c.wrongValue("salt", "null, an integer or a list of two integers", s);
      }
    }
    Object mask = c.raw("mask_value");
    if (mask != null && !(mask instanceof String)) {
      mask = ConfigReader.integral(mask);
      if (mask == null) {
        throw c.wrongValue("mask_value", "null, a string or an integer", c.raw("mask_value"));
      }
    }
    String mode = c.string("output_mode", "int");
    c.requireDefault("sparse", false, "sparse output");
    String dtype = dtypeName(c.raw("dtype"));
    Hashing layer;
    try {
      layer = new Hashing(numBins, mask, salt, mode, dtype, name);
    } catch (IllegalArgumentException e) {
      throw c.fail("dtype", e.getMessage());
    }
    return c.finish(layer);
  }

  /** The name of a dtype policy as Keras writes it (an object or a plain name), or null. */
  static String dtypeName(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> inner) {
      return String.valueOf(inner.get("name"));
    }
    return null;
  }

  /**
   * A builder for Hashing's optional arguments.
   *
   * <pre>{@code Hashing.builder(64).maskValue("").salt(7).outputMode("multi_hot").build();}</pre>
   */
  public static Builder builder(int numBins) {
    return new Builder(numBins);
  }

  /** Hashing's optional arguments, by their Keras names. */
  public static final class Builder {
    private final int numBins;
    private Object maskValue;
    private long[] salt;
    private String outputMode = "int";
    private String dtype;
    private String name;

    private Builder(int numBins) {
      this.numBins = numBins;
    }

    /** A string input value that goes to bin 0. */
    public Builder maskValue(String value) {
      this.maskValue = value;
      return this;
    }

    /** An integer input value that goes to bin 0. */
    public Builder maskValue(long value) {
      this.maskValue = value;
      return this;
    }

    /** Keys a SipHash with the pair (salt, salt) instead of FarmHash. */
    public Builder salt(long salt) {
      this.salt = new long[] {salt, salt};
      return this;
    }

    /** Keys a SipHash with the pair (first, second) instead of FarmHash. */
    public Builder salt(long first, long second) {
      this.salt = new long[] {first, second};
      return this;
    }

    /** "int" (default), "one_hot", "multi_hot" or "count". */
    public Builder outputMode(String mode) {
      this.outputMode = mode;
      return this;
    }

    /**
     * The output dtype: "int64" (default) or "int32" for "int" output, as Keras's {@code dtype};
     * "float32" for the other modes.
     */
    public Builder dtype(String dtype) {
      this.dtype = dtype;
      return this;
    }

    /** The layer name (automatic when null). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The layer. */
    public Hashing build() {
      return new Hashing(numBins, maskValue, salt, outputMode, dtype, name);
    }
  }

  /** The number of bins, counting bin 0 that a mask value reserves. */
  public int numBins() {
    return numBins;
  }

  /** {@code "int"}, {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}. */
  public String outputMode() {
    return outputMode;
  }

  @Override
  public String dtype() {
    return outputDtype;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (outputMode.equals("int")) {
      return inputShape;
    }
    int n = inputShape.numDimensions();
    return n == 0 ? Shape.of(numBins) : inputShape.take(n - 1).append(numBins);
  }

  @Override
  protected List<String> computeOutputDtypes(List<String> inputDtypes, int outputCount) {
    return List.of(dtype());
  }

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (Hashing) takes one input, got " + inputs.size());
    }
    Operand<?> x = inputs.get(0);
    if (outputMode.equals("one_hot") && x.shape().numDimensions() > 0 && x.shape().size(-1) == 1) {
      x = tf.squeeze(x, Squeeze.axis(List.of(-1L)));
    }
    long bins = numBins;
    boolean masking = maskValue != null && numBins > 1;
    if (masking) {
      bins -= 1;
    }
    Operand<TString> text;
    Operand<TBool> masked = null;
    if (x.type() == TString.class) {
      @SuppressWarnings("unchecked")
      Operand<TString> strings = (Operand<TString>) x;
      text = strings;
      if (masking) {
        if (!(maskValue instanceof String m)) {
          throw new IllegalArgumentException(
              "Layer \""
                  + name()
                  + "\" (Hashing): string inputs need a string mask_value, got "
                  + maskValue);
        }
        masked = tf.math.equal(strings, tf.constant(StandardCharsets.UTF_8, m));
      }
    } else {
      Operand<TInt64> values = asInt64(tf, x);
      text = tf.dtypes.asString(values);
      if (masking) {
        if (!(maskValue instanceof Long m)) {
          throw new IllegalArgumentException(
              "Layer \""
                  + name()
                  + "\" (Hashing): number inputs need an integer mask_value, got \""
                  + maskValue
                  + "\"");
        }
        masked = maskedNumbers(tf, x, values, m);
      }
    }
    Operand<TInt64> hashed =
        salt == null
            ? tf.strings.toHashBucketFast(text, bins)
            : tf.strings.toHashBucketStrong(text, bins, List.of(salt[0], salt[1]));
    if (masking) {
      hashed = tf.select(masked, tf.zerosLike(hashed), tf.math.add(hashed, tf.constant(1L)));
    }
    if (outputMode.equals("int")) {
      return List.of(outputDtype.equals("int32") ? tf.dtypes.cast(hashed, TInt32.class) : hashed);
    }
    return List.of(CategoricalOutput.encode(tf, hashed, outputMode, numBins, this));
  }

  /**
   * Where number inputs equal the mask value. Keras compares the inputs as they come, before
   * truncating floats: with mask 0, the float 0.5 is not masked yet hashes as "0".
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Operand<TBool> maskedNumbers(
      Ops tf, Operand<?> x, Operand<TInt64> values, long mask) {
    if (org.tensorflow.types.family.TFloating.class.isAssignableFrom(x.type())) {
      return tf.math.equal(
          (Operand) x, (Operand) tf.dtypes.cast(tf.constant((double) mask), (Class) x.type()));
    }
    return tf.math.equal(values, tf.constant(mask));
  }

  /** Integers as int64; floats truncated toward zero, as Keras's cast does. */
  @SuppressWarnings("unchecked")
  private static Operand<TInt64> asInt64(Ops tf, Operand<?> x) {
    if (x.type() == TInt64.class) {
      return (Operand<TInt64>) x;
    }
    if (x.type() == TInt32.class || x.type() == TFloat32.class || x.type() == TFloat64.class) {
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
    config.put("num_bins", numBins);
    List<Long> saltList = null;
    if (salt != null) {
      saltList = new ArrayList<>(List.of(salt[0], salt[1]));
    }
    config.put("salt", saltList);
    config.put("mask_value", maskValue);
    config.put("output_mode", outputMode);
    config.put("sparse", false);
    return config;
  }
}
