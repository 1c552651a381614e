package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
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
 * The Compressed Interaction Network of xDeepFM (Lian et al., "xDeepFM: Combining Explicit and
 * Implicit Feature Interactions for Recommender Systems", KDD 2018): explicit, vector-wise
 * interactions of growing degree.
 *
 * <p>With {@code X^0 = E} the F field embeddings (rows of size k), layer l computes H_l feature
 * maps {@code X^l_h = act(sum_{i < H_{l-1}} sum_{j < F} W^l_{h,i,j} (X^{l-1}_i ⊙ X^0_j) + b^l_h)};
 * each map is sum-pooled over k, and the pooled maps of all layers are concatenated. Every layer's
 * maps feed both the next layer and the output (the paper's form, without DeepCTR's split-half
 * option).
 *
 * <p>Arguments: {@code layerSizes} H_1..H_L (default [128, 128]); {@code activation} (default
 * "relu"; "linear" is the paper's identity); {@code kernelInitializer} (default glorot_uniform);
 * biases start at zero.
 *
 * <p>Shapes: input {@code (batch, fields, k)}; output {@code (batch, H_1 + ... + H_L)}.
 *
 * <p>Weights, in this order: {@code kernel_0} {@code (F·F, H_1)}, {@code bias_0} {@code (H_1,)},
 * {@code kernel_1} {@code (H_1·F, H_2)}, {@code bias_1}, ...; kernel row {@code i·F + j} is the
 * pair (map i of the previous layer, field j).
 *
 * <pre>{@code
 * KerasTensor cin = new CIN(List.of(128, 128)).apply(embeddings);   // (None, 256)
 * }</pre>
 */
@KerasClass(registeredName = CIN.REGISTERED_NAME)
public class CIN extends Layer {

  /** The Keras registered name of this layer in {@code .keras} files. */
  public static final String REGISTERED_NAME = "jkeras>CIN";

  private final List<Integer> layerSizes;
  private final Activation activation;
  private final Initializer kernelInitializer;
  private final List<Weight> kernels = new ArrayList<>();
  private final List<Weight> biases = new ArrayList<>();

  /**
   * A compressed interaction network with one layer of {@code layerSizes.get(i)} feature maps per
   * entry, ReLU, Glorot-uniform kernels and an automatic name.
   *
   * @throws IllegalArgumentException if the list is empty or holds a size that is not positive
   */
  public CIN(List<Integer> layerSizes) {
    this(layerSizes, "relu", Initializers.get("glorot_uniform"), null);
  }

  /**
   * A compressed interaction network with one layer of {@code layerSizes.get(i)} feature maps per
   * entry.
   *
   * @param activation the activation of each layer's feature maps, by Keras name
   * @param kernelInitializer the initializer of every layer's filters
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if the list is empty or holds a size that is not positive
   */
  public CIN(
      List<Integer> layerSizes, String activation, Initializer kernelInitializer, String name) {
    super(name);
    if (layerSizes.isEmpty()) {
      throw new IllegalArgumentException("CIN: layer_sizes must name at least one layer");
    }
    for (Integer h : layerSizes) {
      if (h == null || h <= 0) {
        throw new IllegalArgumentException(
            "CIN: layer_sizes must be positive integers, got " + layerSizes);
      }
    }
    this.layerSizes = List.copyOf(layerSizes);
    this.activation = Activations.get(activation);
    this.kernelInitializer = kernelInitializer;
    setInputSpec(InputSpec.rank(3));
  }

  /** From the Keras config: {@code layer_sizes}, {@code activation}, {@code kernel_initializer}. */
  public static CIN fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CIN", config);
    List<Integer> sizes = new ArrayList<>();
    List<Long> given = c.optionalDims("layer_sizes");
    if (given == null) {
      sizes = List.of(128, 128);
    } else {
      for (Long h : given) {
        if (h == null || h <= 0 || h > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(
              "CIN config: key \"layer_sizes\" must be a list of positive integers, got " + given);
        }
        sizes.add(h.intValue());
      }
    }
    String act = c.has("activation") ? c.activation("activation").name() : "relu";
    CIN layer =
        new CIN(sizes, act, c.initializer("kernel_initializer", "glorot_uniform"), c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  /** The number of feature maps of each CIN layer, in order. */
  public List<Integer> layerSizes() {
    return layerSizes;
  }

  @Override
  protected void build(Shape inputShape) {
    FieldPairs.checkFieldInput(name(), className(), inputShape);
    long fields = inputShape.size(1);
    long previous = fields;
    for (int l = 0; l < layerSizes.size(); l++) {
      int h = layerSizes.get(l);
      kernels.add(
          addWeight(
              "kernel_" + l, Shape.of(previous * fields, h), kernelInitializer, null, null, true));
      biases.add(addWeight("bias_" + l, Shape.of(h), Initializers.get("zeros"), null, null, true));
      previous = h;
    }
    setInputSpec(InputSpec.rank(3).withAxis(1, fields).withAxis(2, inputShape.size(2)));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long total = 0;
    for (int h : layerSizes) {
      total += h;
    }
    return Shape.of(inputShape.size(0), total);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> e, boolean training) {
    int fields = (int) e.shape().size(1);
    int k = (int) e.shape().size(2);
    // One row per (example, embedding coordinate): each layer is then plain matmuls over rows.
    Operand<TFloat32> x0 =
        tf.reshape(
            tf.linalg.transpose(e, tf.constant(new int[] {0, 2, 1})),
            tf.constant(new int[] {-1, fields}));
    Operand<TFloat32> x = x0;
    int previous = fields;
    List<Operand<TFloat32>> pooled = new ArrayList<>();
    for (int l = 0; l < layerSizes.size(); l++) {
      int h = layerSizes.get(l);
      Operand<TFloat32> kernel = kernels.get(l).value();
      Operand<TFloat32> product =
          l == 0 && 8 * fields <= 3 * h
              ? symmetricPairsTimesKernel(tf, x0, kernel)
              : training || h > previous
                  ? pairsTimesKernel(tf, x, x0, kernel, training)
                  : kernelThenFields(tf, x, x0, kernel);
      x = activation.apply(tf, tf.nn.biasAdd(product, biases.get(l).value())); // (batch*k, h)
      pooled.add(tf.reduceSum(tf.reshape(x, tf.constant(new int[] {-1, k, h})), tf.constant(1)));
      previous = h;
    }
    return pooled.size() == 1 ? pooled.get(0) : tf.concat(pooled, tf.constant(1));
  }

  /**
   * The pairs {@code z[r, j, i] = x0[r, j] * x[r, i]} of each row, flattened to {@code (rows,
   * F·H)}, times the kernel with its rows put in that order: {@code (rows, h)}.
   *
   * <p>Field-major pairs are written in runs of H, which is faster than runs of F (measured, H =
   * 128, F = 10: 4.2 against 5.9 ms a batch of 16384 rows). Training writes the pairs as a batched
   * {@code (F, 1) x (1, H)} matmul, whose gradients are batched matmuls too (a broadcast {@code
   * Mul}'s are a {@code Mul} and a {@code Sum}, 2.5x slower); inference writes them with the faster
   * {@code Mul}: the same single products. (The training step runs the product's kernel gradient on
   * oneDNN, where {@code pairs^T x dY} runs within 4% of the {@code dY^T x pairs} form that Eigen
   * prefers: GraphGradients.)
   */
  private static Operand<TFloat32> pairsTimesKernel(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> x0,
      Operand<TFloat32> kernel,
      boolean training) {
    int previous = (int) x.shape().size(1);
    int fields = (int) x0.shape().size(1);
    int h = (int) kernel.shape().size(1);
    Operand<TFloat32> column = tf.expandDims(x0, tf.constant(2)); // (rows, F, 1)
    Operand<TFloat32> row = tf.expandDims(x, tf.constant(1)); // (rows, 1, H)
    Operand<TFloat32> pairs =
        training ? tf.train.batchMatMul(column, row, TFloat32.class) : tf.math.mul(column, row);
    // kernel row i*F + j (map i, field j) -> row j*H + i.
    Operand<TFloat32> kernelP =
        tf.reshape(
            tf.linalg.transpose(
                tf.reshape(kernel, tf.constant(new int[] {previous, fields, h})),
                tf.constant(new int[] {1, 0, 2})),
            tf.constant(new int[] {fields * previous, h}));
    return tf.linalg.matMul(
        tf.reshape(pairs, tf.constant(new int[] {-1, fields * previous})), kernelP);
  }

  /**
   * The first layer, where {@code x = x0}: its pairs are symmetric ({@code z[r, j, i] = z[r, i,
   * j]}), so it multiplies the F(F+1)/2 pairs {@code i <= j} with the kernel rows of each pair
   * summed ({@code W[i, j] + W[j, i]}, {@code W[i, i]} alone): 55 of the 100 products for F = 10.
   * The pairs are {@code (x0 A) * (x0 B)} with constant 0/1 column selections, whose gradients are
   * matmuls too; these cost about {@code 4 F} multiply-adds per pair and row against the {@code 3
   * h} saved per pair dropped, so the form is used where {@code 8 F <= 3 h} (xDeepFM on Frappe, F =
   * 10, h = 128: epochs 4.03 -> 3.80 s at batch 1024, measured).
   */
  private static Operand<TFloat32> symmetricPairsTimesKernel(
      Ops tf, Operand<TFloat32> x0, Operand<TFloat32> kernel) {
    int fields = (int) x0.shape().size(1);
    int n = fields * (fields + 1) / 2;
    float[][] a = new float[fields][n];
    float[][] b = new float[fields][n];
    int[] ij = new int[n];
    int[] ji = new int[n];
    float[][] half = new float[n][1];
    int p = 0;
    for (int i = 0; i < fields; i++) {
      for (int j = i; j < fields; j++) {
        a[i][p] = 1;
        b[j][p] = 1;
        // Kernel row m*F + f is map m, field f; here map and field both index x0.
        ij[p] = i * fields + j;
        ji[p] = j * fields + i;
        half[p][0] = i == j ? 0.5f : 1f; // W[i, i] is gathered twice
        p++;
      }
    }
    Operand<TFloat32> pairs =
        tf.math.mul(tf.linalg.matMul(x0, tf.constant(a)), tf.linalg.matMul(x0, tf.constant(b)));
    Operand<TFloat32> summed =
        tf.math.mul(
            tf.math.add(
                tf.gather(kernel, tf.constant(ij), tf.constant(0)),
                tf.gather(kernel, tf.constant(ji), tf.constant(0))),
            tf.constant(half));
    return tf.linalg.matMul(pairs, summed);
  }

  /**
   * The same sums in the other order, for inference when a layer has no more maps than its input
   * ({@code h <= H}): {@code u[r, j, n] = sum_i x[r, i] W[i, j, n]} as one {@code (rows, H) x (H,
   * F·h)} matmul, then {@code sum_j x0[r, j] u[r, j, n]} as a batched {@code (1, F) x (F, h)}
   * matmul. No pairs tensor is written: 16 against 22 ms for H = h = 128, F = 10 and 16384 rows
   * (measured). Training keeps the pairs, whose gradients are cheaper.
   */
  private static Operand<TFloat32> kernelThenFields(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> x0, Operand<TFloat32> kernel) {
    int previous = (int) x.shape().size(1);
    int fields = (int) x0.shape().size(1);
    int h = (int) kernel.shape().size(1);
    Operand<TFloat32> u =
        tf.linalg.matMul(x, tf.reshape(kernel, tf.constant(new int[] {previous, fields * h})));
    Operand<TFloat32> summed =
        tf.train.batchMatMul(
            tf.expandDims(x0, tf.constant(1)),
            tf.reshape(u, tf.constant(new int[] {-1, fields, h})),
            TFloat32.class);
    return tf.reshape(summed, tf.constant(new int[] {-1, h}));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("layer_sizes", layerSizes);
    config.put("activation", activation.name());
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    return config;
  }
}
