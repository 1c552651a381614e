package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.initializers.Initializers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Shifts and scales each feature to mean 0 and variance 1 with a fixed mean and variance, as Keras
 * 3's {@code keras.layers.Normalization}: {@code y = (x - mean) / max(sqrt(variance), 1e-7)}, or
 * with {@code invert} {@code y = mean + x * max(sqrt(variance), 1e-7)}.
 *
 * <p>Arguments: {@code axis} (-1: one mean and variance per position of the kept axes, here the
 * last; an empty list: one for the whole input), {@code mean} and {@code variance} (given together:
 * a number, or nested lists whose shape ends the kept axes' shape), {@code invert} (false).
 *
 * <p>Without {@code mean} and {@code variance}, {@link #adapt} computes them from data, and the
 * layer holds Keras's adapted state as non-trainable weights, in this order: {@code mean} and
 * {@code variance} (the kept axes' shape; initially 0 and 1) and {@code count} (a scalar; Keras
 * stores it as int64, jkeras reads it and writes it back as float32, which Keras accepts). Loading
 * a model adapted in Python restores them.
 *
 * <p>Shapes: output shape = input shape; the kept axes must have known sizes.
 *
 * <pre>{@code
 * KerasTensor z = new Normalization(new double[] {5, 10}, new double[] {4, 25}).apply(features);
 * }</pre>
 */
public class Normalization extends Layer {

  private static final float EPSILON = 1e-7f;

  private final int[] axis;
  private final boolean invert;
  private final Object meanConfig;
  private final Object varianceConfig;
  private final double[] mean;
  private final double[] variance;
  private final long[] valueShape;

  private Weight adaptedMean;
  private Weight adaptedVariance;
  private Weight count;
  private long[] broadcastShape;

  /** Per-feature (last axis) mean and variance. */
  public Normalization(double[] mean, double[] variance) {
    this(null, new int[] {-1}, toList(mean), toList(variance), false);
  }

  /**
   * The general form: {@code axis} (the kept axes; empty for one mean over everything), {@code
   * mean} and {@code variance} as a {@link Number} or nested {@link List}s of numbers (both null
   * for an adapted layer whose state is loaded from a file), {@code invert}.
   */
  public Normalization(String name, int[] axis, Object mean, Object variance, boolean invert) {
    super(name);
    if ((mean == null) != (variance == null)) {
      throw new IllegalArgumentException(
          "Normalization: mean and variance must be given together, got mean="
              + mean
              + " and variance="
              + variance);
    }
    this.axis = axis == null ? new int[0] : axis.clone();
    this.invert = invert;
    this.meanConfig = mean;
    this.varianceConfig = variance;
    if (mean != null) {
      List<Long> meanShape = new ArrayList<>();
      List<Long> varShape = new ArrayList<>();
      this.mean = flatten("mean", mean, meanShape, 0);
      this.variance = flatten("variance", variance, varShape, 0);
      if (!meanShape.equals(varShape)) {
        throw new IllegalArgumentException(
            "Normalization: mean and variance must have the same shape, got "
                + meanShape
                + " and "
                + varShape);
      }
      if (meanShape.size() > this.axis.length) {
        throw new IllegalArgumentException(
            "Normalization: the rank of mean ("
                + meanShape.size()
                + ") must be at most the number of axes ("
                + Arrays.toString(this.axis)
                + ")");
      }
      this.valueShape = meanShape.stream().mapToLong(Long::longValue).toArray();
    } else {
      this.mean = null;
      this.variance = null;
      this.valueShape = null;
    }
  }

  private static List<Double> toList(double[] values) {
    List<Double> out = new ArrayList<>();
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  /** The numbers of a nested list in row-major order; its shape goes to {@code shape}. */
  private static double[] flatten(String key, Object v, List<Long> shape, int depth) {
    if (v instanceof Number n) {
      return new double[] {n.doubleValue()};
    }
    if (v instanceof List<?> list) {
      if (shape.size() == depth) {
        shape.add((long) list.size());
      } else if (shape.get(depth) != list.size()) {
        throw new IllegalArgumentException("Normalization: " + key + " is a ragged list: " + v);
      }
      List<double[]> parts = new ArrayList<>();
      int total = 0;
      for (Object e : list) {
        double[] part = flatten(key, e, shape, depth + 1);
        parts.add(part);
        total += part.length;
      }
      double[] out = new double[total];
      int at = 0;
      for (double[] part : parts) {
        System.arraycopy(part, 0, out, at, part.length);
        at += part.length;
      }
      return out;
    }
    throw new IllegalArgumentException(
        "Normalization: " + key + " must be a number or nested lists of numbers, got " + v);
  }

  /** A Normalization layer from its Keras config: axis, invert, mean, variance. */
  public static Normalization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Normalization", config);
    String name = c.name();
    Object axisValue = c.has("axis") ? c.raw("axis") : List.of(-1);
    int[] axis;
    if (axisValue == null) {
      axis = new int[0];
    } else if (axisValue instanceof Number) {
      axis = ConvWindow.readTuple(c, "axis", 1, null);
    } else if (axisValue instanceof List<?> l) {
      axis = ConvWindow.readTuple(c, "axis", l.size(), null);
    } else {
      throw c.wrongValue("axis", "an integer, a list of integers or null", axisValue);
    }
    boolean invert = c.bool("invert", false);
    Object mean = c.raw("mean");
    Object variance = c.raw("variance");
    c.requireFloat32Dtype();
    try {
      return c.finish(new Normalization(name, axis, mean, variance, invert));
    } catch (IllegalArgumentException e) {
      throw c.fail("mean", e.getMessage());
    }
  }

  /** True if the layer undoes a normalization: {@code y = mean + x * sqrt(variance)}. */
  public boolean invert() {
    return invert;
  }

  /**
   * A copy of the kept axes, which get one mean and variance per position (empty: one for the whole
   * input).
   */
  public int[] axis() {
    return axis.clone();
  }

  /** The adapted mean (null when mean and variance were given, or before the layer is built). */
  public Weight adaptedMean() {
    return adaptedMean;
  }

  /**
   * The adapted variance (null when mean and variance were given, or before the layer is built).
   */
  public Weight adaptedVariance() {
    return adaptedVariance;
  }

  /**
   * The adapted sample count, Keras's {@code count} state (null when mean and variance were given,
   * or before the layer is built).
   */
  public Weight count() {
    return count;
  }

  /**
   * Computes the mean and variance of {@code data} (samples on the first axis) for each position of
   * the kept axes, as Keras's {@code adapt} on an array: the mean and the population variance over
   * all other axes, computed in double precision and kept as float32. Builds the layer for the
   * data's shape first, as Keras does; the sample {@code count} weight stays as it is (Keras keeps
   * it only for old files).
   *
   * <pre>{@code
   * Normalization norm = new Normalization(null, new int[] {-1}, null, null, false);
   * norm.adapt(new float[][] {{1, 2}, {3, 6}, {5, 7}}); // mean [3, 5], variance [8/3, 14/3]
   * }</pre>
   *
   * @throws IllegalStateException if the layer was given its mean and variance
   * @throws IllegalArgumentException if the data do not fit the shape the layer was built with
   */
  public void adapt(FloatNdArray data) {
    if (mean != null) {
      throw new IllegalStateException(
          "Layer \""
              + name()
              + "\" (Normalization) was given its mean and variance; only a layer without them"
              + " can be adapted");
    }
    Shape shape = data.shape();
    int ndim = shape.numDimensions();
    if (isBuilt()) {
      Shape built = buildShapes().get(0);
      boolean fits = built.numDimensions() == ndim;
      for (int d = 0; fits && d < ndim; d++) {
        fits = !isKept(d) || built.size(d) == shape.size(d);
      }
      if (!fits) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Normalization) was built for input "
                + KerasShape.format(built)
                + ", but adapt got data of shape "
                + KerasShape.format(shape));
      }
    } else {
      ensureBuilt(shape);
    }
    long[] keptSizes = new long[ndim];
    int positions = 1;
    for (int d = 0; d < ndim; d++) {
      keptSizes[d] = isKept(d) ? shape.size(d) : 1;
      positions *= (int) keptSizes[d];
    }
    long total = shape.size();
    if (total == 0) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (Normalization): adapt got no data, shape " + shape);
    }
    float[] values = new float[(int) total];
    data.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(values, false, false));
    int[] position = new int[values.length];
    long[] index = new long[ndim];
    for (int i = 0; i < values.length; i++) {
      int p = 0;
      for (int d = 0; d < ndim; d++) {
        p = (int) (p * keptSizes[d] + (keptSizes[d] == 1 ? 0 : index[d]));
      }
      position[i] = p;
      for (int d = ndim - 1; d >= 0 && ++index[d] == shape.size(d); d--) {
        index[d] = 0;
      }
    }
    double perPosition = (double) total / positions;
    double[] sums = new double[positions];
    for (int i = 0; i < values.length; i++) {
      sums[position[i]] += values[i];
    }
    double[] squares = new double[positions];
    for (int i = 0; i < values.length; i++) {
      double dev = values[i] - sums[position[i]] / perPosition;
      squares[position[i]] += dev * dev;
    }
    float[] newMean = new float[positions];
    float[] newVariance = new float[positions];
    for (int p = 0; p < positions; p++) {
      newMean[p] = (float) (sums[p] / perPosition);
      newVariance[p] = (float) (squares[p] / perPosition);
    }
    adaptedMean.assign(newMean);
    adaptedVariance.assign(newVariance);
  }

  /**
   * {@link #adapt(FloatNdArray)} on rows of features.
   *
   * <pre>{@code norm.adapt(new float[][] {{1, 2}, {3, 6}, {5, 7}});}</pre>
   */
  public void adapt(float[][] data) {
    adapt(StdArrays.ndCopyOf(data));
  }

  @Override
  protected void build(Shape inputShape) {
    int ndim = inputShape.numDimensions();
    boolean[] kept = new boolean[ndim];
    for (int a : axis) {
      if (a < -ndim || a >= ndim) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Normalization): axis "
                + a
                + " is out of range for input "
                + KerasShape.format(inputShape));
      }
      kept[a < 0 ? a + ndim : a] = true;
    }
    broadcastShape = new long[ndim];
    List<Long> keptShape = new ArrayList<>();
    for (int d = 0; d < ndim; d++) {
      broadcastShape[d] = kept[d] ? inputShape.size(d) : 1;
      if (kept[d]) {
        if (inputShape.size(d) < 0) {
          throw new IllegalArgumentException(
              "Layer \""
                  + name()
                  + "\" (Normalization): the kept axis "
                  + d
                  + " must have a known size, got input "
                  + KerasShape.format(inputShape));
        }
        keptShape.add(inputShape.size(d));
      }
    }
    Shape stateShape = Shape.of(keptShape.stream().mapToLong(Long::longValue).toArray());
    if (mean == null) {
      adaptedMean = addWeight("mean", stateShape, Initializers.get("zeros"), null, null, false);
      adaptedVariance =
          addWeight("variance", stateShape, Initializers.get("ones"), null, null, false);
      count = addWeight("count", Shape.scalar(), Initializers.get("zeros"), null, null, false);
    } else if (valueShape.length > 0) {
      // Keras places the given values on the last kept axes; they must match those sizes.
      List<Long> tail = keptShape.subList(keptShape.size() - valueShape.length, keptShape.size());
      for (int i = 0; i < valueShape.length; i++) {
        if (valueShape[i] != tail.get(i) && valueShape[i] != 1) {
          throw new IllegalArgumentException(
              "Layer \""
                  + name()
                  + "\" (Normalization): mean has shape "
                  + Arrays.toString(valueShape)
                  + ", which does not fit the kept axes' sizes "
                  + keptShape
                  + " of input "
                  + KerasShape.format(inputShape));
        }
      }
    }
  }

  /** Keras's Normalization keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> m;
    Operand<TFloat32> v;
    if (mean == null) {
      m = tf.reshape(adaptedMean.value(), tf.constant(broadcastShape));
      v = tf.reshape(adaptedVariance.value(), tf.constant(broadcastShape));
    } else {
      m = given(tf, mean);
      v = given(tf, variance);
    }
    Operand<TFloat32> scale = tf.math.maximum(tf.math.sqrt(v), tf.constant(EPSILON));
    return invert
        ? tf.math.add(m, tf.math.mul(inputs, scale))
        : tf.math.div(tf.math.sub(inputs, m), scale);
  }

  /** Given values as a constant shaped to broadcast against the input (Keras's expanded shape). */
  private Operand<TFloat32> given(Ops tf, double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    if (valueShape.length == 0) {
      return tf.constant(f[0]);
    }
    long[] expanded = new long[broadcastShape.length];
    Arrays.fill(expanded, 1);
    int[] keptAxes = new int[0];
    for (int d = 0; d < broadcastShape.length; d++) {
      if (isKept(d)) {
        keptAxes = Arrays.copyOf(keptAxes, keptAxes.length + 1);
        keptAxes[keptAxes.length - 1] = d;
      }
    }
    for (int i = 1; i <= valueShape.length; i++) {
      expanded[keptAxes[keptAxes.length - i]] = valueShape[valueShape.length - i];
    }
    return tf.constant(
        Shape.of(expanded), org.tensorflow.ndarray.buffer.DataBuffers.of(f, true, false));
  }

  private boolean isKept(int d) {
    int ndim = broadcastShape.length;
    for (int a : axis) {
      if ((a < 0 ? a + ndim : a) == d) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    List<Integer> axes = new ArrayList<>();
    for (int a : axis) {
      axes.add(a);
    }
    config.put("axis", axes);
    config.put("invert", invert);
    config.put("mean", meanConfig);
    config.put("variance", varianceConfig);
    return config;
  }
}
