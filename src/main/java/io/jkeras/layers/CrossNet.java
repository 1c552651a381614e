package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The cross network of the Deep &amp; Cross Network (Wang et al., "Deep &amp; Cross Network for Ad
 * Click Predictions", ADKDD 2017), with vector weights: from {@code x_0}, each of L layers computes
 * {@code x_{l+1} = x_0 (x_l^T w_l) + b_l + x_l}, so layer l holds every cross term of degree up to
 * l+1 with only 2d parameters. For DCN-v2's matrix form see {@link FeatureCross}.
 *
 * <p>Arguments: {@code numLayers} L (default 2); {@code kernelInitializer} of the w_l (default
 * glorot_uniform); the b_l start at zero.
 *
 * <p>Shapes: input {@code (batch, d)} (DCN feeds the concatenated embeddings and numeric features);
 * output {@code (batch, d)}.
 *
 * <p>Weights, in this order: {@code kernel_0} {@code (d, 1)}, {@code bias_0} {@code (d,)}, {@code
 * kernel_1}, {@code bias_1}, ...
 *
 * <pre>{@code
 * KerasTensor crossed = new CrossNet(3).apply(flat);   // d = 160 -> 960 params
 * }</pre>
 */
@KerasClass(registeredName = CrossNet.REGISTERED_NAME)
public class CrossNet extends Layer {

  /** The Keras registered name of this layer in {@code .keras} files. */
  public static final String REGISTERED_NAME = "jkeras>CrossNet";

  private final int numLayers;
  private final Initializer kernelInitializer;
  private final List<Weight> kernels = new ArrayList<>();
  private final List<Weight> biases = new ArrayList<>();

  /**
   * A stack of {@code numLayers} cross layers with Glorot-uniform kernels and an automatic name.
   */
  public CrossNet(int numLayers) {
    this(numLayers, Initializers.get("glorot_uniform"), null);
  }

  /**
   * A stack of {@code numLayers} cross layers.
   *
   * @param kernelInitializer the initializer of every cross layer's kernel
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code numLayers} is not positive
   */
  public CrossNet(int numLayers, Initializer kernelInitializer, String name) {
    super(name);
    if (numLayers <= 0) {
      throw new IllegalArgumentException(
          "CrossNet: num_layers must be a positive integer, got " + numLayers);
    }
    this.numLayers = numLayers;
    this.kernelInitializer = kernelInitializer;
    setInputSpec(InputSpec.rank(2));
  }

  /** From the Keras config: {@code num_layers} (2 when absent), {@code kernel_initializer}. */
  public static CrossNet fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CrossNet", config);
    int layers = c.has("num_layers") ? c.positiveInt("num_layers") : 2;
    CrossNet layer =
        new CrossNet(layers, c.initializer("kernel_initializer", "glorot_uniform"), c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  /** The number of stacked cross layers. */
  public int numLayers() {
    return numLayers;
  }

  @Override
  protected void build(Shape inputShape) {
    long d = inputShape.size(1);
    if (d < 1) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (CrossNet): the feature axis must be known, got "
              + KerasShape.format(inputShape));
    }
    for (int l = 0; l < numLayers; l++) {
      kernels.add(addWeight("kernel_" + l, Shape.of(d, 1), kernelInitializer, null, null, true));
      biases.add(addWeight("bias_" + l, Shape.of(d), Initializers.get("zeros"), null, null, true));
    }
    setInputSpec(InputSpec.rank(2).withAxis(-1, d));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x0, boolean training) {
    Operand<TFloat32> x = x0;
    for (int l = 0; l < numLayers; l++) {
      Operand<TFloat32> xw = tf.linalg.matMul(x, kernels.get(l).value()); // (batch, 1)
      x = tf.math.add(tf.nn.biasAdd(tf.math.mul(x0, xw), biases.get(l).value()), x);
    }
    return x;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("num_layers", numLayers);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    return config;
  }
}
