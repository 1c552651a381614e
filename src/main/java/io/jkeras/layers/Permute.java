package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Reorders the non-batch axes of its input, as Keras 3's {@code keras.layers.Permute}.
 *
 * <p>Argument: {@code dims}, a permutation of 1..rank-1 (indexing starts at 1: the batch axis 0
 * stays first). Shapes: input axis {@code dims[i]} becomes output axis {@code i + 1}.
 *
 * <pre>{@code
 * KerasTensor channelsFirst = new Permute(2, 1).apply(x); // (None, 10, 64) -> (None, 64, 10)
 * }</pre>
 */
public class Permute extends Layer {

  private final int[] dims;

  /**
   * Reorders the non-batch axes: input axis {@code dims[i]} becomes output axis {@code i + 1}; with
   * an automatic name.
   *
   * @throws IllegalArgumentException if {@code dims} is not a permutation of {@code 1..n}
   */
  public Permute(int... dims) {
    this(null, dims);
  }

  /**
   * Reorders the non-batch axes: input axis {@code dims[i]} becomes output axis {@code i + 1}.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code dims} is not a permutation of {@code 1..n}
   */
  public Permute(String name, int... dims) {
    super(name);
    int[] sorted = dims.clone();
    java.util.Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] != i + 1) {
        throw new IllegalArgumentException(
            "Permute: dims must be a permutation of 1.."
                + dims.length
                + ", got "
                + java.util.Arrays.toString(dims));
      }
    }
    if (dims.length == 0) {
      throw new IllegalArgumentException("Permute: dims must not be empty");
    }
    this.dims = dims.clone();
    setInputSpec(InputSpec.rank(dims.length + 1));
  }

  /** A Permute layer from its Keras config: {@code dims}. */
  public static Permute fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Permute", config);
    String name = c.name();
    List<Long> d = c.optionalDims("dims");
    if (d == null || d.contains(null)) {
      throw c.wrongValue("dims", "a list of integers", config.get("dims"));
    }
    return c.finish(new Permute(name, d.stream().mapToInt(Long::intValue).toArray()));
  }

  /** A copy of the permutation (1-based, the batch axis excluded). */
  public int[] dims() {
    return dims.clone();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] out = new long[dims.length + 1];
    out[0] = inputShape.size(0);
    for (int i = 0; i < dims.length; i++) {
      out[i + 1] = inputShape.size(dims[i]);
    }
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int[] perm = new int[dims.length + 1];
    for (int i = 0; i < dims.length; i++) {
      perm[i + 1] = dims[i];
    }
    return tf.linalg.transpose(x, tf.constant(perm));
  }

  /** Keras's class overrides build(), so its files carry a build_config. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    List<Integer> d = new ArrayList<>();
    for (int v : dims) {
      d.add(v);
    }
    config.put("dims", d);
    return config;
  }
}
