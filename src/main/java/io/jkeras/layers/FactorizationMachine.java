package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * The second-order term of a Factorization Machine over field embeddings (Rendle, "Factorization
 * Machines", ICDM 2010), as DeepFM's FM component uses it (Guo et al., IJCAI 2017): no weights.
 *
 * <p>For a row with field embeddings {@code e_1 .. e_F} (each of size k): {@code y = sum_{i<j}
 * <e_i, e_j> = 0.5 * sum_f [(sum_i e_if)^2 - sum_i e_if^2]}, computed in O(F·k).
 *
 * <p>Arguments: {@code reduceSum} (default true). With false, the sum over f is left out and the
 * output is the k-vector {@code 0.5 * [(sum_i e_i)^2 - sum_i e_i^2]} (the Bi-Interaction pooling of
 * NFM; see also {@link BiInteractionPooling}).
 *
 * <p>Shapes: input {@code (batch, fields, k)}; output {@code (batch, 1)}, or {@code (batch, k)}
 * without the sum. For a flat {@code (batch, n)} input with its own weights, see {@link FMLayer}.
 *
 * <pre>{@code
 * KerasTensor e = new Embedding(5382, 16).apply(ids);        // (None, 10, 16)
 * KerasTensor fm = new FactorizationMachine().apply(e);       // (None, 1)
 * }</pre>
 */
@KerasClass(registeredName = FactorizationMachine.REGISTERED_NAME)
public class FactorizationMachine extends Layer {

  /** The Keras registered name of this layer in {@code .keras} files. */
  public static final String REGISTERED_NAME = "jkeras>FactorizationMachine";

  private final boolean reduceSum;

  /** The FM term summed to {@code (batch, 1)}, with an automatic name. */
  public FactorizationMachine() {
    this(true, null);
  }

  /**
   * @param reduceSum false to return the k-vector before the sum over factors
   * @param name the layer name, or null for an automatic one
   */
  public FactorizationMachine(boolean reduceSum, String name) {
    super(name);
    this.reduceSum = reduceSum;
    setInputSpec(InputSpec.rank(3));
  }

  /** From the Keras config: {@code reduce_sum} (true when absent). */
  public static FactorizationMachine fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("FactorizationMachine", config);
    FactorizationMachine layer = new FactorizationMachine(c.bool("reduce_sum", true), c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  /**
   * True if the output is summed over the embedding axis to {@code (batch, 1)}; false leaves the
   * {@code (batch, k)} vector.
   */
  public boolean reduceSum() {
    return reduceSum;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(inputShape.size(0), reduceSum ? 1 : inputShape.size(2));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> e, boolean training) {
    return pairwiseSum(tf, e, reduceSum);
  }

  /** {@code 0.5 * [(sum_i e_i)^2 - sum_i e_i^2]} over axis 1, summed over k when asked. */
  static Operand<TFloat32> pairwiseSum(Ops tf, Operand<TFloat32> e, boolean reduceSum) {
    Operand<TFloat32> sum = tf.reduceSum(e, tf.constant(1));
    // Products, not Square: TF Java's Square crashes the JVM under gradients.
    Operand<TFloat32> sumOfSquares = tf.reduceSum(tf.math.mul(e, e), tf.constant(1));
    Operand<TFloat32> half =
        tf.math.mul(tf.constant(0.5f), tf.math.sub(tf.math.mul(sum, sum), sumOfSquares));
    return reduceSum ? tf.reduceSum(half, tf.constant(1), ReduceSum.keepDims(true)) : half;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("reduce_sum", reduceSum);
    return config;
  }
}
