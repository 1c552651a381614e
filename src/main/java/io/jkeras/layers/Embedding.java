package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TIntegral;

/**
 * Turns integer ids into dense vectors of fixed size, as Keras 3's {@code keras.layers.Embedding}:
 * row {@code i} of the {@code embeddings} matrix is the vector of id {@code i}.
 *
 * <p>Arguments: {@code inputDim}, the vocabulary size (ids are {@code 0 .. inputDim-1}); {@code
 * outputDim}, the vector size; {@code embeddingsInitializer} ("uniform": RandomUniform on [-0.05,
 * 0.05)); an embeddings regularizer and constraint and an activity regularizer (none by default);
 * {@code maskZero} (false): when true, id 0 is padding, and the output carries a Keras mask (true
 * where the id is not 0) that masking layers downstream use (GlobalAveragePooling1D averages only
 * the real steps); ids then range over {@code 1 .. inputDim-1}.
 *
 * <p>Shapes: input {@code (batch, ...)} of int32 or int64 ids (any other dtype is cast to int32,
 * truncating, as Keras does); output {@code (batch, ..., outputDim)} float32.
 *
 * <p>Weight: {@code embeddings} {@code (inputDim, outputDim)}.
 *
 * <p>An id outside {@code [0, inputDim)} fails the run with a TensorFlow {@code
 * TFInvalidArgumentException} whose message names this layer and the valid range. (Keras's
 * TensorFlow backend wraps negative ids around to the end of the table, and on a GPU reads a zero
 * row for ids that are too large; jkeras refuses both.)
 *
 * <pre>{@code
 * KerasTensor tokens = Input.of("int32", 100);
 * KerasTensor vectors = new Embedding(20000, 50).apply(tokens);   // (None, 100, 50)
 * Embedding e = Embedding.builder(1000, 16).embeddingsRegularizer("l2").name("words").build();
 * }</pre>
 */
public class Embedding extends Layer {

  private final boolean maskZero;
  private final int inputDim;
  private final int outputDim;
  private final Initializer embeddingsInitializer;
  private final Regularizer embeddingsRegularizer;
  private final Constraint embeddingsConstraint;

  private Weight embeddings;

  /**
   * An embedding table of {@code inputDim} ids by {@code outputDim} values, with Keras's defaults
   * (uniform initializer, no mask).
   */
  public Embedding(int inputDim, int outputDim) {
    this(builder(inputDim, outputDim));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if a dimension is not positive
   */
  protected Embedding(Builder b) {
    super(b.name);
    if (b.inputDim <= 0) {
      throw new IllegalArgumentException(
          "Embedding: input_dim must be a positive integer, got " + b.inputDim);
    }
    if (b.outputDim <= 0) {
      throw new IllegalArgumentException(
          "Embedding: output_dim must be a positive integer, got " + b.outputDim);
    }
    this.maskZero = b.maskZero;
    this.inputDim = b.inputDim;
    this.outputDim = b.outputDim;
    this.embeddingsInitializer = b.embeddingsInitializer;
    this.embeddingsRegularizer = b.embeddingsRegularizer;
    this.embeddingsConstraint = b.embeddingsConstraint;
    setActivityRegularizer(b.activityRegularizer);
  }

  /**
   * A builder for a table of {@code inputDim} ids (the vocabulary size) by {@code outputDim}
   * values.
   */
  public static Builder builder(int inputDim, int outputDim) {
    return new Builder(inputDim, outputDim);
  }

  /**
   * An Embedding from its Keras config, as Python Keras 3 writes it; Keras 2's {@code input_length}
   * is accepted and ignored, as Keras 3 does. LoRA and quantization are not supported.
   */
  public static Embedding fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Embedding", config);
    Builder b = builder(c.positiveInt("input_dim"), c.positiveInt("output_dim")).name(c.name());
    b.embeddingsInitializer(c.initializer("embeddings_initializer", "uniform"));
    b.embeddingsRegularizer(c.regularizer("embeddings_regularizer"));
    b.activityRegularizer(c.activityRegularizer());
    b.embeddingsConstraint(c.constraint("embeddings_constraint"));
    b.maskZero(c.bool("mask_zero", false));
    c.ignore("input_length");
    c.requireDefault("sparse", false, "sparse gradients");
    c.requireDefault("quantization_config", null, "quantization");
    c.requireDefault("lora_rank", null, "LoRA");
    c.requireDefault("lora_alpha", null, "LoRA");
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  /** The vocabulary size: ids range over {@code 0 .. inputDim - 1}. */
  public int inputDim() {
    return inputDim;
  }

  /** The size of each embedding vector. */
  public int outputDim() {
    return outputDim;
  }

  /** The {@code (inputDim, outputDim)} table; null before the layer is built. */
  public Weight embeddings() {
    return embeddings;
  }

  @Override
  protected void build(Shape inputShape) {
    // The table's shape does not depend on the input.
    embeddings =
        addLookupTable(
            "embeddings",
            Shape.of(inputDim, outputDim),
            embeddingsInitializer,
            embeddingsRegularizer,
            embeddingsConstraint);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.isUnknown()) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (Embedding): the input rank must be known");
    }
    return inputShape.append(outputDim);
  }

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (Embedding) takes one input, got " + inputs.size());
    }
    Operand<?> x = inputs.get(0);
    if (x.type() == TInt64.class) {
      return List.of(lookup(tf, Embedding.<TInt64>cast(x), TInt64.class));
    }
    Operand<TInt32> ids =
        x.type() == TInt32.class ? Embedding.<TInt32>cast(x) : tf.dtypes.cast(x, TInt32.class);
    return List.of(lookup(tf, ids, TInt32.class));
  }

  @SuppressWarnings("unchecked")
  private static <T extends TIntegral> Operand<T> cast(Operand<?> x) {
    return (Operand<T>) x;
  }

  /**
   * Gathers rows of the table after an assertion that every id is in range: TensorFlow's own check
   * (CPU only) would name neither the layer nor the table, and a GPU reads zeros instead.
   */
  private <T extends TIntegral> Operand<?> lookup(Ops tf, Operand<T> ids, Class<T> type) {
    Operand<T> flat = tf.reshape(ids, tf.constant(new int[] {-1}));
    Operand<TBool> inRange =
        tf.math.logicalAnd(
            tf.math.greaterEqual(flat, tf.constant(type, 0)),
            tf.math.less(flat, tf.constant(type, inputDim)));
    Operand<TBool> all = tf.all(inRange, tf.constant(0));
    AssertThat check =
        tf.assertThat(
            all,
            List.of(
                tf.constant(
                    // No quotes: TensorFlow prints them escaped (\").
                    "Layer "
                        + name()
                        + " (Embedding): every id must be in [0, "
                        + inputDim
                        + ") (input_dim="
                        + inputDim
                        + "); got ids from"),
                tf.min(flat, tf.constant(0)),
                tf.constant("to"),
                tf.max(flat, tf.constant(0))),
            AssertThat.summarize(3L));
    // The lookup runs where the rows live (a parameter server): rows travel, not the table.
    return embeddings.gatherRows(tf.withControlDependencies(List.of(check)), ids);
  }

  /** Whether id 0 is padding, masked out downstream (Keras's {@code mask_zero}). */
  public boolean maskZero() {
    return maskZero;
  }

  /** As Keras: an Embedding keeps (makes) a mask exactly when {@code mask_zero} is true. */
  @Override
  public boolean supportsMasking() {
    return maskZero;
  }

  /** True where the id is not 0, of the ids' shape. */
  @Override
  protected Operand<TBool> computeMask(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks) {
    Operand<?> ids = inputs.get(0);
    return tf.math.notEqual(tf.dtypes.cast(ids, TFloat32.class), tf.constant(0f));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("input_dim", inputDim);
    config.put("output_dim", outputDim);
    config.put(
        "embeddings_initializer",
        KerasObjects.serialize("keras.initializers", embeddingsInitializer));
    config.put(
        "embeddings_regularizer",
        KerasObjects.serialize("keras.regularizers", embeddingsRegularizer));
    // Keras lists it here too; when set, the base config already placed it after "dtype", and
    // put() keeps that position as Python's dict merge does.
    config.put(
        "activity_regularizer",
        KerasObjects.serialize("keras.regularizers", activityRegularizer()));
    config.put(
        "embeddings_constraint", KerasObjects.serialize("keras.constraints", embeddingsConstraint));
    config.put("mask_zero", maskZero);
    config.put("quantization_config", null);
    return config;
  }

  /** Optional arguments of {@link Embedding}, with Keras 3's defaults. */
  public static final class Builder {
    private final int inputDim;
    private final int outputDim;
    private String name;
    private Initializer embeddingsInitializer = Initializers.get("uniform");
    private Regularizer embeddingsRegularizer;
    private Regularizer activityRegularizer;
    private Constraint embeddingsConstraint;
    private boolean maskZero;

    private Builder(int inputDim, int outputDim) {
      this.inputDim = inputDim;
      this.outputDim = outputDim;
    }

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The table's initializer, by Keras name (default {@code "uniform"}, on [-0.05, 0.05)). */
    public Builder embeddingsInitializer(String initializer) {
      return embeddingsInitializer(Initializers.get(initializer));
    }

    /** The table's initializer (default uniform on [-0.05, 0.05)). */
    public Builder embeddingsInitializer(Initializer initializer) {
      this.embeddingsInitializer = initializer;
      return this;
    }

    /** The table's regularizer, by Keras name (default none). */
    public Builder embeddingsRegularizer(String regularizer) {
      return embeddingsRegularizer(Regularizers.get(regularizer));
    }

    /** The table's regularizer, whose penalty is added to the training loss (default none). */
    public Builder embeddingsRegularizer(Regularizer regularizer) {
      this.embeddingsRegularizer = regularizer;
      return this;
    }

    /** A regularizer of the looked-up vectors, by Keras name (default none). */
    public Builder activityRegularizer(String regularizer) {
      return activityRegularizer(Regularizers.get(regularizer));
    }

    /**
     * A regularizer of the looked-up vectors, whose penalty is added to the training loss (default
     * none).
     */
    public Builder activityRegularizer(Regularizer regularizer) {
      this.activityRegularizer = regularizer;
      return this;
    }

    /** The table's constraint, by Keras name (default none). */
    public Builder embeddingsConstraint(String constraint) {
      return embeddingsConstraint(Constraints.get(constraint));
    }

    /** The table's constraint, applied after each optimizer step (default none). */
    public Builder embeddingsConstraint(Constraint constraint) {
      this.embeddingsConstraint = constraint;
      return this;
    }

    /** Whether id 0 is padding that the output's Keras mask hides (Keras's {@code mask_zero}). */
    public Builder maskZero(boolean maskZero) {
      this.maskZero = maskZero;
      return this;
    }

    /** The Embedding layer with these arguments. */
    public Embedding build() {
      return new Embedding(this);
    }
  }
}
