package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Gives each sample a new shape, as Keras 3's {@code keras.layers.Reshape}.
 *
 * <p>Argument: {@code targetShape}, the sample shape without the batch axis; one entry may be -1,
 * inferred from the number of values. Shapes: {@code (batch, *targetShape)}; a sample keeps its
 * values in row-major order, so their count must equal the product of {@code targetShape}. An empty
 * {@code targetShape} (Keras's {@code Reshape(())}) turns samples of one value into a rank-1 output
 * {@code (batch,)}.
 *
 * <pre>{@code
 * KerasTensor grid = new Reshape(3, 4).apply(x); // (None, 12) -> (None, 3, 4)
 * KerasTensor steps = new Reshape(-1, 2).apply(x); // (None, 12) -> (None, 6, 2)
 * KerasTensor score = new Reshape().apply(logit); // (None, 1) -> (None,)
 * }</pre>
 */
public class Reshape extends Layer {

  private final long[] targetShape;

  /**
   * Reshapes each sample to {@code targetShape} (batch axis excluded; one entry may be -1 to be
   * inferred), with an automatic name.
   *
   * @throws IllegalArgumentException if the shape has an entry below -1, or has -1 twice
   */
  public Reshape(long... targetShape) {
    this(null, targetShape);
  }

  /**
   * Reshapes each sample to {@code targetShape} (batch axis excluded; one entry may be -1 to be
   * inferred).
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if the shape has an entry below -1, or has -1 twice
   */
  public Reshape(String name, long... targetShape) {
    super(name);
    int inferred = 0;
    for (long d : targetShape) {
      if (d == -1) {
        inferred++;
      } else if (d < 0) {
        throw new IllegalArgumentException(
            "Reshape: target_shape entries must be non-negative or one -1, got "
                + java.util.Arrays.toString(targetShape));
      }
    }
    if (inferred > 1) {
      throw new IllegalArgumentException(
          "Reshape: target_shape must have at most one -1, got "
              + java.util.Arrays.toString(targetShape));
    }
    this.targetShape = targetShape.clone();
  }

  /** A Reshape layer from its Keras config: {@code target_shape}. */
  public static Reshape fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Reshape", config);
    String name = c.name();
    List<Long> dims = c.optionalDims("target_shape");
    if (dims == null || dims.contains(null)) {
      throw c.wrongValue("target_shape", "a list of integers", config.get("target_shape"));
    }
    return c.finish(new Reshape(name, dims.stream().mapToLong(Long::longValue).toArray()));
  }

  /** A copy of the target shape of each sample, batch axis excluded (-1 for an inferred axis). */
  public long[] targetShape() {
    return targetShape.clone();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] sample = KerasShape.sampleDims(inputShape);
    long count = 1;
    for (long d : sample) {
      count = d < 0 || count < 0 ? -1 : count * d;
    }
    long known = 1;
    int unknownAt = -1;
    for (int i = 0; i < targetShape.length; i++) {
      if (targetShape[i] == -1) {
        unknownAt = i;
      } else {
        known *= targetShape[i];
      }
    }
    long[] out = targetShape.clone();
    if (count >= 0) {
      boolean fits = unknownAt >= 0 ? known != 0 && count % known == 0 : count == known;
      if (!fits) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Reshape): an input of shape "
                + KerasShape.format(inputShape)
                + " has "
                + count
                + " values per sample, which cannot take target_shape "
                + java.util.Arrays.toString(targetShape));
      }
      if (unknownAt >= 0) {
        out[unknownAt] = count / known;
      }
    }
    return Shape.of(inputShape.size(0)).append(Shape.of(out));
  }

  @Override
  protected void build(Shape inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    long[] out = KerasShape.sampleDims(computeOutputShape(x.shape()));
    int[] rest = new int[out.length];
    boolean known = true;
    for (int i = 0; i < out.length; i++) {
      rest[i] = (int) out[i];
      known &= out[i] >= 0;
    }
    if (known) {
      // A constant shape keeps the sample dimensions static in the graph.
      int[] all = new int[out.length + 1];
      all[0] = -1;
      System.arraycopy(rest, 0, all, 1, out.length);
      return tf.reshape(x, tf.constant(all));
    }
    List<Operand<TInt32>> dims = new ArrayList<>();
    dims.add(
        tf.slice(
            tf.shape(tf.stopGradient(x)), tf.constant(new int[] {0}), tf.constant(new int[] {1})));
    dims.add(tf.constant(rest));
    return tf.reshape(x, tf.concat(dims, tf.constant(0)));
  }

  /** Keras builds this layer at construction, so its files carry no build_config. */
  @Override
  public boolean writesBuildConfig() {
    return false;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    List<Long> dims = new ArrayList<>();
    for (long d : targetShape) {
      dims.add(d);
    }
    config.put("target_shape", dims);
    return config;
  }
}
