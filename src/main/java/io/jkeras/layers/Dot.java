package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * The dot product of two inputs sample by sample, as Keras 3's {@code keras.layers.Dot}: for every
 * batch entry, axis {@code axes[0]} of the first input is contracted with axis {@code axes[1]} of
 * the second.
 *
 * <p>Arguments: {@code axes}, one axis for both inputs or one per input (negative counts from the
 * end; the batch axis 0 cannot be used); {@code normalize} (false), whether to L2-normalize both
 * inputs along their axis first, which makes the output the cosine similarity.
 *
 * <p>Shapes: the first input's shape without its axis, followed by the second's without its batch
 * axis and its axis; {@code (batch, 1)} when that leaves only the batch axis. The two contracted
 * axes must have the same size.
 *
 * <pre>{@code
 * KerasTensor cosine = Dot.builder(1).normalize(true).build().apply(a, b); // (None, 1)
 * KerasTensor scores = new Dot(2, 2).apply(queries, keys); // (None, Tq, Tk)
 * }</pre>
 */
public class Dot extends Layer {

  /** Keras's epsilon for L2 normalization: the inverse norm is capped at 1 / 1e-7. */
  private static final float EPSILON = 1e-7f;

  private final int[] axes;
  private final boolean singleAxis;
  private final boolean normalize;

  /** Contracts axis {@code axes} of both inputs. */
  public Dot(int axes) {
    this(builder(axes));
  }

  /** Contracts axis {@code axis1} of the first input with axis {@code axis2} of the second. */
  public Dot(int axis1, int axis2) {
    this(builder(axis1, axis2));
  }

  private Dot(Builder b) {
    super(b.name);
    this.axes = b.axes.clone();
    this.singleAxis = b.single;
    this.normalize = b.normalize;
  }

  /** A builder contracting axis {@code axes} of both inputs. */
  public static Builder builder(int axes) {
    return new Builder(new int[] {axes, axes}, true);
  }

  /**
   * A builder contracting axis {@code axis1} of the first input with axis {@code axis2} of the
   * second.
   */
  public static Builder builder(int axis1, int axis2) {
    return new Builder(new int[] {axis1, axis2}, false);
  }

  /**
   * A Dot layer from its Keras config: {@code axes} (an integer or a list of two), {@code
   * normalize}.
   */
  public static Dot fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Dot", config);
    String name = c.name();
    if (!c.has("axes")) {
      throw c.fail("axes", "missing (an integer or a list of two integers)");
    }
    Object raw = c.raw("axes");
    Builder b;
    if (raw instanceof List<?> l) {
      List<Long> dims = c.optionalDims("axes");
      if (l.size() != 2 || dims.contains(null)) {
        throw c.wrongValue("axes", "an integer or a list of two integers", raw);
      }
      b = builder(Math.toIntExact(dims.get(0)), Math.toIntExact(dims.get(1)));
    } else {
      b = builder(c.integer("axes", 0));
    }
    b.name(name).normalize(c.bool("normalize", false));
    return c.finish(b.build());
  }

  /** The contracted axis of each input, as given (possibly negative). */
  public int[] axes() {
    return axes.clone();
  }

  /** True if both inputs are L2-normalized along their axis first (cosine similarity). */
  public boolean normalize() {
    return normalize;
  }

  /** The two axes, made non-negative for inputs of these ranks, and checked. */
  private int[] resolvedAxes(Shape s1, Shape s2) {
    int[] ranks = {s1.numDimensions(), s2.numDimensions()};
    int[] out = new int[2];
    for (int i = 0; i < 2; i++) {
      if (ranks[i] < 2) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Dot): input "
                + i
                + " must have rank >= 2, got "
                + KerasShape.format(i == 0 ? s1 : s2));
      }
      out[i] = Math.floorMod(axes[i], ranks[i]);
      if (out[i] == 0 || axes[i] >= ranks[i] || axes[i] < -ranks[i]) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Dot): axis "
                + axes[i]
                + " is not a non-batch axis of input "
                + i
                + " "
                + KerasShape.format(i == 0 ? s1 : s2));
      }
    }
    long d1 = s1.size(out[0]);
    long d2 = s2.size(out[1]);
    if (d1 >= 0 && d2 >= 0 && d1 != d2) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Dot): the contracted axes must have the same size, got "
              + d1
              + " (axis "
              + out[0]
              + " of "
              + KerasShape.format(s1)
              + ") and "
              + d2
              + " (axis "
              + out[1]
              + " of "
              + KerasShape.format(s2)
              + ")");
    }
    return out;
  }

  private void requireTwo(List<?> inputs) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Dot) should be called on exactly 2 inputs, got "
              + inputs.size());
    }
  }

  @Override
  protected void build(List<Shape> inputShapes) {
    computeOutputShape(inputShapes);
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    requireTwo(inputShapes);
    Shape s1 = inputShapes.get(0);
    Shape s2 = inputShapes.get(1);
    int[] a = resolvedAxes(s1, s2);
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < s1.numDimensions(); i++) {
      if (i != a[0]) {
        out.add(s1.size(i));
      }
    }
    for (int i = 1; i < s2.numDimensions(); i++) {
      if (i != a[1]) {
        out.add(s2.size(i));
      }
    }
    if (out.size() == 1) {
      out.add(1L);
    }
    return List.of(Shape.of(out.stream().mapToLong(Long::longValue).toArray()));
  }

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    requireTwo(inputs);
    Operand<TFloat32> x = DTypes.toFloat(tf, inputs.get(0));
    Operand<TFloat32> y = DTypes.toFloat(tf, inputs.get(1));
    int[] a = resolvedAxes(x.shape(), y.shape());
    if (normalize) {
      x = l2Normalize(tf, x, a[0]);
      y = l2Normalize(tf, y, a[1]);
    }
    // One einsum: batch letter 'a', the contracted letter 'z', other axes their own letters.
    StringBuilder left = new StringBuilder("a");
    StringBuilder right = new StringBuilder("a");
    StringBuilder result = new StringBuilder("a");
    char next = 'b';
    for (int i = 1; i < x.shape().numDimensions(); i++) {
      char ch = i == a[0] ? 'z' : next++;
      left.append(ch);
      if (ch != 'z') {
        result.append(ch);
      }
    }
    for (int i = 1; i < y.shape().numDimensions(); i++) {
      char ch = i == a[1] ? 'z' : next++;
      right.append(ch);
      if (ch != 'z') {
        result.append(ch);
      }
    }
    Operand<TFloat32> out = tf.linalg.einsum(List.of(x, y), left + "," + right + "->" + result);
    if (result.length() == 1) {
      out = tf.expandDims(out, tf.constant(-1));
    }
    return List.of(out);
  }

  /** x * min(1 / sqrt(sum(x^2, axis)), 1 / epsilon), as Keras's {@code ops.normalize}. */
  private static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x, int axis) {
    Operand<TFloat32> squares =
        tf.reduceSum(tf.math.mul(x, x), tf.constant(axis), ReduceSum.keepDims(true));
    Operand<TFloat32> inverse = tf.math.minimum(tf.math.rsqrt(squares), tf.constant(1f / EPSILON));
    return tf.math.mul(x, inverse);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axes", singleAxis ? (Object) axes[0] : List.of(axes[0], axes[1]));
    config.put("normalize", normalize);
    return config;
  }

  /** Optional arguments of {@link Dot}, with Keras 3's defaults. */
  public static final class Builder {
    private final int[] axes;
    private final boolean single;
    private String name;
    private boolean normalize;

    private Builder(int[] axes, boolean single) {
      this.axes = axes;
      this.single = single;
    }

    /** The layer's name (default: an automatic unique name such as {@code "dot_1"}). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** L2-normalize both inputs along their axis first (cosine similarity). */
    public Builder normalize(boolean normalize) {
      this.normalize = normalize;
      return this;
    }

    /** The Dot layer with these arguments. */
    public Dot build() {
      return new Dot(this);
    }
  }
}
