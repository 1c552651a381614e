package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The attention-based pooling of the Attentional Factorization Machine (Xiao et al., "Attentional
 * Factorization Machines: Learning the Weight of Feature Interactions via Attention Networks",
 * IJCAI 2017). For every pair {@code i < j} of field embeddings, {@code p_ij = e_i ⊙ e_j}; an
 * attention network scores it, {@code s_ij = h^T ReLU(W^T p_ij + b)}; the scores are normalized
 * over the pairs, {@code a = softmax(s)}; and the output projects the weighted sum: {@code y = P^T
 * sum_{i<j} a_ij p_ij}.
 *
 * <p>Arguments: {@code attentionUnits} t, the attention network's width (default 8); {@code
 * kernelInitializer} of W, h and P (default glorot_uniform); b starts at zero.
 *
 * <p>Shapes: input {@code (batch, fields, k)}; output {@code (batch, 1)}.
 *
 * <p>Weights, in this order: {@code attention_kernel} W {@code (k, t)}, {@code attention_bias} b
 * {@code (t,)}, {@code attention_projection} h {@code (t, 1)}, {@code projection} P {@code (k, 1)}.
 *
 * <pre>{@code
 * KerasTensor afm = new AttentionalFM(8).apply(embeddings);   // (None, 1)
 * }</pre>
 */
@KerasClass(registeredName = AttentionalFM.REGISTERED_NAME)
public class AttentionalFM extends Layer {

  /** The Keras registered name of this layer in {@code .keras} files. */
  public static final String REGISTERED_NAME = "jkeras>AttentionalFM";

  private final int attentionUnits;
  private final Initializer kernelInitializer;
  private FieldPairs pairs;
  private Weight attentionKernel;
  private Weight attentionBias;
  private Weight attentionProjection;
  private Weight projection;

  /**
   * An attentional FM whose attention network has {@code attentionUnits} hidden units,
   * Glorot-uniform kernels and an automatic name.
   *
   * @throws IllegalArgumentException if {@code attentionUnits} is not positive
   */
  public AttentionalFM(int attentionUnits) {
    this(attentionUnits, Initializers.get("glorot_uniform"), null);
  }

  /**
   * An attentional FM whose attention network has {@code attentionUnits} hidden units.
   *
   * @param kernelInitializer the initializer of the attention network's kernels and projection
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code attentionUnits} is not positive
   */
  public AttentionalFM(int attentionUnits, Initializer kernelInitializer, String name) {
    super(name);
    if (attentionUnits <= 0) {
      throw new IllegalArgumentException(
          "AttentionalFM: attention_units must be a positive integer, got " + attentionUnits);
    }
    this.attentionUnits = attentionUnits;
    this.kernelInitializer = kernelInitializer;
    setInputSpec(InputSpec.rank(3));
  }

  /** From the Keras config: {@code attention_units} (8), {@code kernel_initializer}. */
  public static AttentionalFM fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("AttentionalFM", config);
    int units = c.has("attention_units") ? c.positiveInt("attention_units") : 8;
    AttentionalFM layer =
        new AttentionalFM(units, c.initializer("kernel_initializer", "glorot_uniform"), c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  /** The number of hidden units of the attention network. */
  public int attentionUnits() {
    return attentionUnits;
  }

  @Override
  protected void build(Shape inputShape) {
    FieldPairs.checkFieldInput(name(), className(), inputShape);
    long k = inputShape.size(2);
    pairs = new FieldPairs((int) inputShape.size(1));
    attentionKernel =
        addWeight(
            "attention_kernel", Shape.of(k, attentionUnits), kernelInitializer, null, null, true);
    attentionBias =
        addWeight(
            "attention_bias",
            Shape.of(attentionUnits),
            Initializers.get("zeros"),
            null,
            null,
            true);
    attentionProjection =
        addWeight(
            "attention_projection",
            Shape.of(attentionUnits, 1),
            kernelInitializer,
            null,
            null,
            true);
    projection = addWeight("projection", Shape.of(k, 1), kernelInitializer, null, null, true);
    setInputSpec(InputSpec.rank(3).withAxis(1, inputShape.size(1)).withAxis(2, k));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(inputShape.size(0), 1);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> e, boolean training) {
    int k = (int) e.shape().size(2);
    int n = pairs.count();
    Operand<TFloat32> p = pairs.products(tf, e); // (batch, pairs, k)
    Operand<TFloat32> flat = tf.reshape(p, tf.constant(new int[] {-1, k}));
    Operand<TFloat32> hidden =
        tf.nn.relu(
            tf.nn.biasAdd(tf.linalg.matMul(flat, attentionKernel.value()), attentionBias.value()));
    Operand<TFloat32> scores =
        tf.reshape(
            tf.linalg.matMul(hidden, attentionProjection.value()), tf.constant(new int[] {-1, n}));
    Operand<TFloat32> a = tf.nn.softmax(scores); // over the pairs
    Operand<TFloat32> weighted =
        tf.reduceSum(tf.math.mul(p, tf.expandDims(a, tf.constant(2))), tf.constant(1));
    return tf.linalg.matMul(weighted, projection.value());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("attention_units", attentionUnits);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    return config;
  }
}
