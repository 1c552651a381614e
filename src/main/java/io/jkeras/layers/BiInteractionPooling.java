package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The Bi-Interaction pooling of the Neural Factorization Machine (He and Chua, "Neural
 * Factorization Machines for Sparse Predictive Analytics", SIGIR 2017): the sum of the element-wise
 * products of every pair of field embeddings, {@code y = sum_{i<j} e_i ⊙ e_j = 0.5 * [(sum_i e_i)^2
 * - sum_i e_i^2]}, in O(F·k). No weights; NFM feeds y to a Dense stack.
 *
 * <p>Shapes: input {@code (batch, fields, k)}; output {@code (batch, k)}. Summing y over k gives
 * the {@link FactorizationMachine} term.
 *
 * <pre>{@code
 * KerasTensor pooled = new BiInteractionPooling().apply(embeddings);   // (None, k)
 * KerasTensor h = new Dense(64, "relu").apply(pooled);
 * }</pre>
 */
@KerasClass(registeredName = BiInteractionPooling.REGISTERED_NAME)
public class BiInteractionPooling extends Layer {

  /** The Keras registered name of this layer in {@code .keras} files. */
  public static final String REGISTERED_NAME = "jkeras>BiInteractionPooling";

  /** A bi-interaction pooling layer with an automatic name. */
  public BiInteractionPooling() {
    this(null);
  }

  /** A bi-interaction pooling layer named {@code name} (null for an automatic name). */
  public BiInteractionPooling(String name) {
    super(name);
    setInputSpec(InputSpec.rank(3));
  }

  /** From the Keras config (only the base keys). */
  public static BiInteractionPooling fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("BiInteractionPooling", config);
    BiInteractionPooling layer = new BiInteractionPooling(c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(inputShape.size(0), inputShape.size(2));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> e, boolean training) {
    return FactorizationMachine.pairwiseSum(tf, e, false);
  }
}
