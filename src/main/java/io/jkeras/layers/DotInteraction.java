package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The dot interaction of DLRM (Naumov et al., "Deep Learning Recommendation Model for
 * Personalization and Recommendation Systems", 2019), read and written as keras-rs's {@code
 * keras_rs.layers.DotInteraction} (registered name {@code keras_rs>DotInteraction}, same config
 * keys and defaults), so DLRM models cross between Python keras-rs and Java. No weights.
 *
 * <p>Called on a list of F feature tensors {@code (batch, d)} of one shape. With {@code e_i} the
 * i-th, it returns the dot products {@code <e_i, e_j>} of the lower triangle of the interaction
 * matrix, row by row: for i = 0..F-1, j = 0..i-1 (j = 0..i with {@code selfInteraction}), that is
 * {@code (1,0), (2,0), (2,1), (3,0), ...}.
 *
 * <p>Arguments: {@code selfInteraction} (false) also keeps {@code <e_i, e_i>}; {@code skipGather}
 * (false) returns the whole F×F matrix flattened row by row, with the entries outside the kept
 * triangle set to zero.
 *
 * <p>Shapes: inputs F × {@code (batch, d)}; output {@code (batch, F(F-1)/2)}, {@code (batch,
 * F(F+1)/2)} with self-interaction, or {@code (batch, F·F)} with skipGather.
 *
 * <pre>{@code
 * KerasTensor x = new DotInteraction().apply(List.of(dense, emb1, emb2, emb3));   // (None, 6)
 * }</pre>
 */
@KerasClass(
    registeredName = DotInteraction.REGISTERED_NAME,
    module = "keras_rs.src.layers.feature_interaction.dot_interaction")
public class DotInteraction extends Layer {

  /** keras-rs's registered name of this layer. */
  public static final String REGISTERED_NAME = "keras_rs>DotInteraction";

  private final boolean selfInteraction;
  private final boolean skipGather;
  private int[] left;
  private int[] right;
  private float[] mask;
  private int features;

  /**
   * A DotInteraction without self-interaction, returning the gathered lower triangle, with an
   * automatic name.
   */
  public DotInteraction() {
    this(false, false, null);
  }

  /**
   * A DotInteraction.
   *
   * @param selfInteraction also keep each feature's dot product with itself
   * @param skipGather return the whole F×F matrix flattened, zero outside the kept triangle
   * @param name the layer name, or null for an automatic one
   */
  public DotInteraction(boolean selfInteraction, boolean skipGather, String name) {
    super(name);
    this.selfInteraction = selfInteraction;
    this.skipGather = skipGather;
  }

  /** From keras-rs's config: {@code self_interaction}, {@code skip_gather} (false when absent). */
  public static DotInteraction fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("DotInteraction", config);
    DotInteraction layer =
        new DotInteraction(
            c.bool("self_interaction", false), c.bool("skip_gather", false), c.name());
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  @Override
  public String className() {
    return "DotInteraction";
  }

  /** keras-rs's DotInteraction does not override build(), so Keras writes no build_config. */
  @Override
  public boolean writesBuildConfig() {
    return false;
  }

  /** True if each feature's dot product with itself is kept. */
  public boolean selfInteraction() {
    return selfInteraction;
  }

  /** True if the output is the whole flattened F×F matrix rather than the gathered triangle. */
  public boolean skipGather() {
    return skipGather;
  }

  @Override
  protected void build(List<Shape> shapes) {
    Shape first = shapes.get(0);
    for (int i = 0; i < shapes.size(); i++) {
      Shape s = shapes.get(i);
      if (s.numDimensions() != 2 || s.size(1) < 1 || s.size(1) != first.size(1)) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (DotInteraction): every input must have rank 2 and the shape of input 0 "
                + KerasShape.format(first)
                + ", got "
                + KerasShape.format(s)
                + " at index "
                + i);
      }
    }
    features = shapes.size();
    List<int[]> pairs = new ArrayList<>();
    mask = new float[features * features];
    for (int i = 0; i < features; i++) {
      for (int j = 0; j < (selfInteraction ? i + 1 : i); j++) {
        pairs.add(new int[] {i, j});
        mask[i * features + j] = 1f;
      }
    }
    if (skipGather) {
      pairs.clear();
      for (int i = 0; i < features; i++) {
        for (int j = 0; j < features; j++) {
          pairs.add(new int[] {i, j});
        }
      }
    }
    left = pairs.stream().mapToInt(p -> p[0]).toArray();
    right = pairs.stream().mapToInt(p -> p[1]).toArray();
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> shapes) {
    long f = shapes.size();
    long out = skipGather ? f * f : selfInteraction ? f * (f + 1) / 2 : f * (f - 1) / 2;
    return List.of(Shape.of(shapes.get(0).size(0), out));
  }

  @Override
  @SuppressWarnings("unchecked")
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    List<Operand<TFloat32>> xs = new ArrayList<>();
    for (Operand<?> x : inputs) {
      xs.add((Operand<TFloat32>) x);
    }
    Operand<TFloat32> stacked = tf.stack(xs, org.tensorflow.op.core.Stack.axis(1L)); // (b, F, d)
    Operand<TFloat32> a = tf.gather(stacked, tf.constant(left), tf.constant(1));
    Operand<TFloat32> b = tf.gather(stacked, tf.constant(right), tf.constant(1));
    Operand<TFloat32> dots = tf.reduceSum(tf.math.mul(a, b), tf.constant(2));
    if (skipGather) {
      dots = tf.math.mul(dots, tf.constant(mask));
    }
    return List.of(dots);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("self_interaction", selfInteraction);
    config.put("skip_gather", skipGather);
    return config;
  }
}
