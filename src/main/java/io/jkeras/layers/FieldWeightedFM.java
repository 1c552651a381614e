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
 * The interaction term of the Field-weighted Factorization Machine (Pan et al., "Field-weighted
 * Factorization Machines for Click-Through Rate Prediction in Display Advertising", WWW 2018): each
 * pair of fields gets its own learned weight, {@code y = sum_{i<j} r_ij <e_i, e_j>}.
 *
 * <p>Arguments: {@code kernelInitializer} of the pair weights (default {@code "ones"}, so training
 * starts from the plain FM term).
 *
 * <p>Shapes: input {@code (batch, fields, k)}; output {@code (batch, 1)}.
 *
 * <p>Weight: {@code field_pair_weights} {@code (F(F-1)/2, 1)}, pairs {@code i < j} in row-major
 * order {@code (0,1), (0,2), ..., (1,2), ...}.
 *
 * <pre>{@code
 * KerasTensor fwfm = new FieldWeightedFM().apply(embeddings);   // 10 fields: 45 weights
 * }</pre>
 */
@KerasClass(registeredName = FieldWeightedFM.REGISTERED_NAME)
public class FieldWeightedFM extends Layer {

  /** The Keras registered name of this layer in {@code .keras} files. */
  public static final String REGISTERED_NAME = "jkeras>FieldWeightedFM";

  private final Initializer kernelInitializer;
  private FieldPairs pairs;
  private Weight pairWeights;

  /** A FwFM whose pair weights start at ones (the plain FM term), with an automatic name. */
  public FieldWeightedFM() {
    this(Initializers.get("ones"), null);
  }

  /**
   * A FwFM.
   *
   * @param kernelInitializer the initializer of the field-pair weights
   * @param name the layer name, or null for an automatic one
   */
  public FieldWeightedFM(Initializer kernelInitializer, String name) {
    super(name);
    this.kernelInitializer = kernelInitializer;
    setInputSpec(InputSpec.rank(3));
  }

  /** From the Keras config: {@code kernel_initializer} ("ones" when absent). */
  public static FieldWeightedFM fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("FieldWeightedFM", config);
    FieldWeightedFM layer =
        new FieldWeightedFM(c.initializer("kernel_initializer", "ones"), c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  @Override
  protected void build(Shape inputShape) {
    FieldPairs.checkFieldInput(name(), className(), inputShape);
    pairs = new FieldPairs((int) inputShape.size(1));
    pairWeights =
        addWeight(
            "field_pair_weights", Shape.of(pairs.count(), 1), kernelInitializer, null, null, true);
    setInputSpec(InputSpec.rank(3).withAxis(1, inputShape.size(1)));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(inputShape.size(0), 1);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> e, boolean training) {
    return tf.linalg.matMul(pairs.dots(tf, e), pairWeights.value());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    return config;
  }
}
