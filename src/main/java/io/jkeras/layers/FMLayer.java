package io.jkeras.layers;

import io.jkeras.activations.Activations;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * A Factorization Machine layer (Rendle, 2010), the second-order feature-interaction layer of CTR
 * models: a linear part per unit plus one pairwise-interaction value shared by every unit.
 *
 * <p>Arguments: {@code outputDim} (positive), {@code factorOrder} k, the size of each feature's
 * latent vector (positive), {@code activation} (none by default), and {@code interaction}:
 *
 * <ul>
 *   <li>{@code "fm"} (default): the Factorization Machine term {@code p = sum_{i<j} <v_i, v_j> x_i
 *       x_j}, computed in O(n·k) with the identity {@code p = 0.5 * sum_f [(sum_i x_i v_if)^2 -
 *       sum_i x_i^2 v_if^2]}.
 *   <li>{@code "seed"}: the expression of the widely copied Keras FMLayer this project started
 *       from, which omits the first square: {@code 0.5 * sum_f [sum_i x_i v_if - sum_i x_i^2
 *       v_if^2]}. Use it to reproduce outputs of models trained with that layer.
 * </ul>
 *
 * <p>Shapes: input {@code (batch, n)}, output {@code (batch, outputDim)}: {@code activation(x·one +
 * p + bias)}, p broadcast to every unit.
 *
 * <p>Weights, in this order: {@code one} {@code (n, outputDim)} glorot_uniform, {@code two} {@code
 * (n, factorOrder)} glorot_uniform, {@code bias} {@code (outputDim,)} zeros.
 *
 * <p>FMLayer takes a flat feature vector and owns its factors. For field-structured CTR input,
 * field embeddings {@code (batch, fields, k)} from an {@link Embedding}, use {@link
 * FactorizationMachine}, {@link FieldWeightedFM}, {@link BiInteractionPooling}, {@link
 * AttentionalFM}, {@link InnerProduct}, {@link CIN}, or {@link CrossNet} and {@link FeatureCross}
 * on the flattened embeddings; {@code io.jkeras.ctr.CtrModels} builds whole models from them.
 *
 * <pre>{@code
 * KerasTensor h = new FMLayer(200, 100).apply(pooled);   // 250 inputs -> 75,200 params
 * FMLayer relu = new FMLayer(200, 100, "relu");
 * FMLayer legacy = FMLayer.builder(200, 100).interaction("seed").build();
 * }</pre>
 */
@KerasClass(registeredName = FMLayer.REGISTERED_NAME, aliases = "FMLayer")
public class FMLayer extends Layer {

  /** The Keras registered name of this layer in {@code .keras} files. */
  public static final String REGISTERED_NAME = "jkeras>FMLayer";

  private final int outputDim;
  private final int factorOrder;
  private final io.jkeras.activations.Activation activation;
  private final String interaction;

  private Weight one;
  private Weight two;
  private Weight bias;

  /**
   * An FM layer of {@code outputDim} units with latent vectors of size {@code factorOrder}, the
   * {@code "fm"} interaction and no activation.
   */
  public FMLayer(int outputDim, int factorOrder) {
    this(builder(outputDim, factorOrder));
  }

  /**
   * An FM layer of {@code outputDim} units with latent vectors of size {@code factorOrder},
   * followed by the activation named {@code activation}.
   */
  public FMLayer(int outputDim, int factorOrder, String activation) {
    this(builder(outputDim, factorOrder).activation(activation));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if a size is not positive or the interaction is unknown
   */
  protected FMLayer(Builder b) {
    super(b.name);
    if (b.outputDim <= 0) {
      throw new IllegalArgumentException(
          "FMLayer: output_dim must be a positive integer, got " + b.outputDim);
    }
    if (b.factorOrder <= 0) {
      throw new IllegalArgumentException(
          "FMLayer: factor_order must be a positive integer, got " + b.factorOrder);
    }
    String mode = b.interaction.toLowerCase(Locale.ROOT);
    if (!mode.equals("fm") && !mode.equals("seed")) {
      throw new IllegalArgumentException(
          "FMLayer: interaction must be one of [fm, seed], got \"" + b.interaction + "\"");
    }
    this.outputDim = b.outputDim;
    this.factorOrder = b.factorOrder;
    this.activation = Activations.get(b.activation);
    this.interaction = mode;
    setInputSpec(InputSpec.rank(2));
  }

  /** A builder for {@code outputDim} units with latent vectors of size {@code factorOrder}. */
  public static Builder builder(int outputDim, int factorOrder) {
    return new Builder(outputDim, factorOrder);
  }

  /**
   * An FMLayer from its Keras config, as the Python twin ({@code jkeras>FMLayer}) and the seed
   * project's {@code kfm>FMLayer} write it: {@code output_dim}, {@code factor_order}, {@code
   * activation} and {@code interaction} ({@code "fm"} when absent).
   */
  public static FMLayer fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("FMLayer", config);
    Builder b = builder(c.positiveInt("output_dim"), c.positiveInt("factor_order")).name(c.name());
    b.activation(c.activation("activation").name());
    b.interaction(c.string("interaction", "fm"));
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  /** The number of output units. */
  public int outputDim() {
    return outputDim;
  }

  /** The size k of each feature's latent vector. */
  public int factorOrder() {
    return factorOrder;
  }

  /** {@code "fm"} or {@code "seed"}: which interaction expression the layer computes. */
  public String interaction() {
    return interaction;
  }

  @Override
  public String className() {
    return "FMLayer";
  }

  @Override
  protected void build(Shape inputShape) {
    long n = inputShape.size(1);
    if (n < 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (FMLayer): the feature axis must be known, got "
              + KerasShape.format(inputShape));
    }
    one = addWeight("one", Shape.of(n, outputDim), "glorot_uniform");
    two = addWeight("two", Shape.of(n, factorOrder), "glorot_uniform");
    bias = addWeight("bias", Shape.of(outputDim), "zeros");
    setInputSpec(InputSpec.rank(2).withAxis(-1, n));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(inputShape.size(0), outputDim);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    Operand<TFloat32> v = two.value();
    Operand<TFloat32> linear = tf.linalg.matMul(x, one.value());
    // x·V: (batch, k), the sum over features of x_i v_if for each factor f.
    Operand<TFloat32> xv = tf.linalg.matMul(x, v);
    // (x²)·(V²): (batch, k), the sum of x_i² v_if². Squares are products: TF Java's Square op
    // crashes the JVM when gradients are taken through it.
    Operand<TFloat32> x2v2 = tf.linalg.matMul(tf.math.mul(x, x), tf.math.mul(v, v));
    Operand<TFloat32> first = interaction.equals("fm") ? tf.math.mul(xv, xv) : xv;
    Operand<TFloat32> pairwise =
        tf.math.mul(
            tf.constant(0.5f),
            tf.reduceSum(tf.math.sub(first, x2v2), tf.constant(1), ReduceSum.keepDims(true)));
    Operand<TFloat32> y = tf.nn.biasAdd(tf.math.add(linear, pairwise), bias.value());
    return activation.apply(tf, y);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("output_dim", outputDim);
    config.put("factor_order", factorOrder);
    config.put("activation", activation.name());
    config.put("interaction", interaction);
    return config;
  }

  /** Optional arguments of {@link FMLayer}. */
  public static final class Builder {
    private final int outputDim;
    private final int factorOrder;
    private String name;
    private String activation = "linear";
    private String interaction = "fm";

    private Builder(int outputDim, int factorOrder) {
      this.outputDim = outputDim;
      this.factorOrder = factorOrder;
    }

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The activation applied to the output, by Keras name (default {@code "linear"}). */
    public Builder activation(String activation) {
      this.activation = activation;
      return this;
    }

    /** {@code "fm"} (default) or {@code "seed"}; see the class documentation. */
    public Builder interaction(String interaction) {
      this.interaction = interaction;
      return this;
    }

    /** The FMLayer with these arguments. */
    public FMLayer build() {
      return new FMLayer(this);
    }
  }
}
