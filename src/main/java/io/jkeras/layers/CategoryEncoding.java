package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Encodes integer features as one-hot, multi-hot or count vectors, as Keras 3's {@code
 * keras.layers.CategoryEncoding}.
 *
 * <p>Arguments: {@code numTokens} (the depth: indices are {@code 0 .. numTokens-1}), {@code
 * outputMode} ("multi_hot", the default: 1 where the index occurs in the sample; "one_hot": one
 * vector per index; "count": how often each index occurs, or with the call argument {@code
 * count_weights} the sum of their weights). Sparse outputs are not supported. Indices outside [0,
 * numTokens) contribute nothing.
 *
 * <p>Shapes: input {@code (batch, n)} of integers (floats are truncated); output {@code (batch,
 * numTokens)} for multi_hot and count, {@code (batch, n, numTokens)} for one_hot ({@code (batch,
 * numTokens)} when n is 1). No weights.
 *
 * <pre>{@code
 * KerasTensor ids = Input.of("int32", 3);
 * KerasTensor counts = new CategoryEncoding(10, "count").apply(ids);   // (None, 10)
 * }</pre>
 */
public class CategoryEncoding extends Layer {

  private final int numTokens;
  private final String outputMode;

  /**
   * Multi-hot encodes integer ids in {@code [0, numTokens)}, with an automatic name.
   *
   * @throws IllegalArgumentException if {@code numTokens} is below 1
   */
  public CategoryEncoding(int numTokens) {
    this(numTokens, "multi_hot", null);
  }

  /**
   * Encodes integer ids in {@code [0, numTokens)} as {@code outputMode} ({@code "one_hot"}, {@code
   * "multi_hot"} or {@code "count"}), with an automatic name.
   *
   * @throws IllegalArgumentException if {@code numTokens} is below 1 or the mode is unknown
   */
  public CategoryEncoding(int numTokens, String outputMode) {
    this(numTokens, outputMode, null);
  }

  /**
   * Encodes integer ids in {@code [0, numTokens)} as {@code outputMode} ({@code "one_hot"}, {@code
   * "multi_hot"} or {@code "count"}).
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code numTokens} is below 1 or the mode is unknown
   */
  public CategoryEncoding(int numTokens, String outputMode, String name) {
    super(name);
    if (numTokens < 1) {
      throw new IllegalArgumentException(
          "CategoryEncoding: num_tokens must be >= 1, got " + numTokens);
    }
    this.numTokens = numTokens;
    this.outputMode =
        CategoricalOutput.mode("CategoryEncoding", outputMode, CategoricalOutput.MODES);
  }

  /** A CategoryEncoding layer from its Keras config: num_tokens, output_mode; sparse off. */
  public static CategoryEncoding fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CategoryEncoding", config);
    String name = c.name();
    int numTokens = c.positiveInt("num_tokens");
    String mode = c.string("output_mode", "multi_hot");
    c.requireDefault("sparse", false, "sparse output");
    c.requireFloat32Dtype();
    return c.finish(new CategoryEncoding(numTokens, mode, name));
  }

  /** The size of the encoded vectors: ids must lie in {@code [0, numTokens)}. */
  public int numTokens() {
    return numTokens;
  }

  /** {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}. */
  public String outputMode() {
    return outputMode;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.isUnknown()) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (CategoryEncoding): the input rank must be known");
    }
    return CategoricalOutput.shape(inputShape, outputMode, numTokens);
  }

  /**
   * The output shape; the only call argument is {@code count_weights} (Keras's, for "count"
   * output): a tensor of the inputs' shape whose entries each index adds instead of 1.
   *
   * <pre>{@code
   * KerasTensor weighted =
   *     new CategoryEncoding(10, "count").apply(List.of(ids), Map.of("count_weights", w)).get(0);
   * }</pre>
   *
   * @throws IllegalArgumentException for another argument, count weights with another output mode
   *     or of another shape than the inputs
   */
  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes, Map<String, Object> kwargs) {
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      if (!e.getKey().equals("count_weights")) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (CategoryEncoding) takes only count_weights besides its inputs, got "
                + e.getKey());
      }
      if (e.getValue() == null) {
        continue;
      }
      if (!outputMode.equals("count")) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (CategoryEncoding): count_weights are only for output_mode \"count\", got \""
                + outputMode
                + "\"");
      }
      if (!(e.getValue() instanceof Shape w) || !compatible(w, inputShapes.get(0))) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (CategoryEncoding): count_weights must be a tensor of the inputs' shape "
                + KerasShape.format(inputShapes.get(0))
                + ", got "
                + (e.getValue() instanceof Shape w ? KerasShape.format(w) : e.getValue()));
      }
    }
    return List.of(computeOutputShape(inputShapes.get(0)));
  }

  private static boolean compatible(Shape a, Shape b) {
    if (a.isUnknown() || b.isUnknown()) {
      return true;
    }
    if (a.numDimensions() != b.numDimensions()) {
      return false;
    }
    for (int i = 0; i < a.numDimensions(); i++) {
      if (a.size(i) >= 0 && b.size(i) >= 0 && a.size(i) != b.size(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  protected List<Operand<?>> call(
      Ops tf,
      List<Operand<?>> inputs,
      List<Operand<TBool>> masks,
      Map<String, Object> kwargs,
      boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (CategoryEncoding) takes one input, got " + inputs.size());
    }
    Object w = kwargs.get("count_weights");
    Operand<TFloat32> weights = w == null ? null : DTypes.toFloat(tf, (Operand<?>) w);
    return List.of(
        CategoricalOutput.encode(
            tf, indices(tf, inputs.get(0)), outputMode, numTokens, weights, this));
  }

  /** Integer indices: int32 and int64 as they are, other numbers truncated to int64. */
  @SuppressWarnings("unchecked")
  static Operand<? extends TNumber> indices(Ops tf, Operand<?> x) {
    if (x.type() == TInt32.class || x.type() == TInt64.class) {
      return (Operand<? extends TNumber>) x;
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
    config.put("num_tokens", numTokens);
    config.put("output_mode", outputMode);
    return config;
  }
}
