package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The inner-product layer of the Product-based Neural Network (Qu et al., "Product-based Neural
 * Networks for User Response Prediction", ICDM 2016): the inner product of every pair of field
 * embeddings, {@code y_p = <e_i, e_j>} for the pairs {@code i < j} in row-major order {@code (0,1),
 * (0,2), ..., (0,F-1), (1,2), ...}. No weights; PNN concatenates y with the embeddings and feeds a
 * Dense stack.
 *
 * <p>Shapes: input {@code (batch, fields, k)}; output {@code (batch, F(F-1)/2)}.
 *
 * <pre>{@code
 * KerasTensor products = new InnerProduct().apply(embeddings);   // 10 fields -> (None, 45)
 * }</pre>
 */
@KerasClass(registeredName = InnerProduct.REGISTERED_NAME)
public class InnerProduct extends Layer {

  /** The Keras registered name of this layer in {@code .keras} files. */
  public static final String REGISTERED_NAME = "jkeras>InnerProduct";

  private FieldPairs pairs;

  /** An InnerProduct layer with an automatic name. */
  public InnerProduct() {
    this(null);
  }

  /** An InnerProduct layer named {@code name} (null for an automatic name). */
  public InnerProduct(String name) {
    super(name);
    setInputSpec(InputSpec.rank(3));
  }

  /** From the Keras config (only the base keys). */
  public static InnerProduct fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("InnerProduct", config);
    InnerProduct layer = new InnerProduct(c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  @Override
  protected void build(Shape inputShape) {
    FieldPairs.checkFieldInput(name(), className(), inputShape);
    pairs = new FieldPairs((int) inputShape.size(1));
    setInputSpec(InputSpec.rank(3).withAxis(1, inputShape.size(1)));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long f = inputShape.size(1);
    return Shape.of(inputShape.size(0), f * (f - 1) / 2);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> e, boolean training) {
    return pairs.dots(tf, e);
  }
}
