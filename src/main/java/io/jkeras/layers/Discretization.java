package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * Buckets continuous features by boundaries, as Keras 3's {@code keras.layers.Discretization}: with
 * sorted boundaries {@code b0 < b1 < ...}, a value x gets index {@code i} = the number of
 * boundaries {@code <= x} (so {@code x < b0} is 0 and {@code x >= b_last} is {@code
 * len(boundaries)}).
 *
 * <p>Arguments: either {@code binBoundaries}, or {@code numBins} and then {@link #adapt} on data,
 * which puts the boundaries at the data's quantiles as Keras's approximate algorithm does ({@code
 * epsilon}, 0.01, sets its precision); {@code outputMode} ("int", the default, giving int32
 * indices; or "one_hot", "multi_hot", "count" over {@code len(boundaries) + 1} bins, as {@link
 * CategoryEncoding}). Sparse output is not supported.
 *
 * <p>Shapes: input any float shape; output the same shape as int32 indices ("int"), else as for
 * {@link CategoryEncoding}. No weights.
 *
 * <pre>{@code
 * KerasTensor bucket = new Discretization(new double[] {0, 1, 2}).apply(ages);  // ints 0..3
 * KerasTensor vector = new Embedding(4, 8).apply(bucket);
 * Discretization quartiles = new Discretization(4, "int", 0.01, null);
 * quartiles.adapt(new float[][] {{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}});
 * quartiles.binBoundaries(); // [2.5, 5.0, 7.5]
 * }</pre>
 */
public class Discretization extends Layer {

  private static final List<String> MODES = List.of("int", "one_hot", "multi_hot", "count");

  private double[] binBoundaries;
  private final Integer numBins;
  private final String outputMode;
  private final double epsilon;

  /**
   * Buckets values by {@code binBoundaries} into int32 indices, with an automatic name.
   *
   * @param binBoundaries sorted ascending
   * @throws IllegalArgumentException if the boundaries are missing or not sorted
   */
  public Discretization(double[] binBoundaries) {
    this(binBoundaries, "int", 0.01, null);
  }

  /**
   * Buckets values by {@code binBoundaries}.
   *
   * @param binBoundaries sorted ascending
   * @param outputMode {@code "int"}, {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}
   * @param epsilon kept for the config (it tunes {@link #adapt}, for a layer made with num_bins)
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if the boundaries are missing or not sorted or the mode is
   *     unknown
   */
  public Discretization(double[] binBoundaries, String outputMode, double epsilon, String name) {
    this(checked(binBoundaries), null, outputMode, epsilon, name);
  }

  /**
   * A layer that {@link #adapt} gives {@code numBins} bins (Keras's {@code num_bins}): the
   * boundaries come from the data's quantiles, to within about {@code epsilon}.
   *
   * <pre>{@code new Discretization(4, "one_hot", 0.01, "age_bins").adapt(ages);}</pre>
   *
   * @param numBins the number of bins, at least 0
   * @param outputMode {@code "int"}, {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}
   * @param epsilon the error tolerance of the quantiles (Keras's default 0.01)
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code numBins} is negative, {@code epsilon} not in (0, 1]
   *     or the mode is unknown
   */
  public Discretization(int numBins, String outputMode, double epsilon, String name) {
    this(null, checkedBins(numBins, epsilon), outputMode, epsilon, name);
  }

  private Discretization(
      double[] binBoundaries, Integer numBins, String outputMode, double epsilon, String name) {
    super(name);
    this.binBoundaries = binBoundaries == null ? null : binBoundaries.clone();
    this.numBins = numBins;
    this.outputMode = CategoricalOutput.mode("Discretization", outputMode, MODES);
    this.epsilon = epsilon;
  }

  private static double[] checked(double[] binBoundaries) {
    if (binBoundaries == null) {
      throw new IllegalArgumentException(
          "Discretization: give bin_boundaries, or num_bins and adapt the layer");
    }
    for (int i = 1; i < binBoundaries.length; i++) {
      if (!(binBoundaries[i] >= binBoundaries[i - 1])) {
        throw new IllegalArgumentException(
            "Discretization: bin_boundaries must be sorted, got "
                + java.util.Arrays.toString(binBoundaries));
      }
    }
    return binBoundaries;
  }

  private static Integer checkedBins(int numBins, double epsilon) {
    if (numBins < 0) {
      throw new IllegalArgumentException(
          "Discretization: num_bins must be greater than or equal to 0, got " + numBins);
    }
    if (!(epsilon > 0 && epsilon <= 1)) {
      throw new IllegalArgumentException(
          "Discretization: epsilon must be in (0, 1] to adapt, got " + epsilon);
    }
    return numBins;
  }

  /**
   * A Discretization layer from its Keras config (bin_boundaries and/or num_bins, epsilon,
   * output_mode, sparse false, name, dtype). An adapted layer's config holds both: the boundaries
   * rule, num_bins is kept for adapting again.
   */
  public static Discretization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Discretization", config);
    Object bounds = c.raw("bin_boundaries");
    double[] b = null;
    if (bounds != null) {
      if (!(bounds instanceof List<?> list)) {
        throw c.wrongValue("bin_boundaries", "a list of numbers", bounds);
      }
      b = new double[list.size()];
      for (int i = 0; i < b.length; i++) {
        if (!(list.get(i) instanceof Number n)) {
          throw c.wrongValue("bin_boundaries", "a list of numbers", bounds);
        }
        b[i] = n.doubleValue();
      }
    }
    Object bins = c.raw("num_bins");
    Long n = bins == null ? null : ConfigReader.integral(bins);
    if (bins != null && (n == null || n < 0 || n > Integer.MAX_VALUE)) {
      throw c.wrongValue("num_bins", "null or a non-negative integer", bins);
    }
    if (b == null && n == null) {
      throw c.fail("bin_boundaries", "null while num_bins is null too; one of them must be set");
    }
    double epsilon = c.number("epsilon", 0.01);
    String mode = c.string("output_mode", "int");
    c.requireDefault("sparse", false, "sparse output");
    String name = c.name();
    c.requireFloat32Dtype();
    Discretization layer;
    try {
      layer =
          new Discretization(
              b == null ? null : checked(b),
              n == null ? null : checkedBins(n.intValue(), epsilon),
              mode,
              epsilon,
              name);
    } catch (IllegalArgumentException e) {
      throw c.fail(n == null ? "bin_boundaries" : "num_bins", e.getMessage());
    }
    return c.finish(layer);
  }

  /** A copy of the bin boundaries, or null for a num_bins layer not adapted yet. */
  public double[] binBoundaries() {
    return binBoundaries == null ? null : binBoundaries.clone();
  }

  /** {@code "int"}, {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}. */
  public String outputMode() {
    return outputMode;
  }

  /**
   * Sets the boundaries to the quantiles of {@code data} (all its values, whatever the shape), as
   * Keras's {@code adapt} on an array: it summarises the sorted values in about {@code 1/epsilon}
   * weighted points, then interpolates {@code num_bins - 1} boundaries at the cumulative weights
   * {@code 1/num_bins, 2/num_bins, ...}, in float32 as Keras keeps them.
   *
   * <pre>{@code
   * Discretization d = new Discretization(2, "int", 0.01, null);
   * d.adapt(StdArrays.ndCopyOf(new float[] {1, 2, 3, 4})); // boundaries [2.0]
   * }</pre>
   *
   * @throws IllegalStateException if the layer was given bin_boundaries rather than num_bins
   */
  public void adapt(FloatNdArray data) {
    if (numBins == null) {
      throw new IllegalStateException(
          "Layer \""
              + name()
              + "\" (Discretization) was given bin_boundaries; only a layer made with num_bins can"
              + " be adapted");
    }
    float[] values = new float[(int) data.size()];
    data.copyTo(DataBuffers.of(values, false, false));
    float[][] summary = compress(summarize(values), epsilon);
    float[][] bins = compress(summary, 1.0 / numBins);
    double[] bounds = new double[Math.max(0, bins[0].length - 1)];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = bins[0][i];
    }
    binBoundaries = bounds;
  }

  /**
   * {@link #adapt(FloatNdArray)} on rows of values.
   *
   * <pre>{@code d.adapt(new float[][] {{1}, {2}, {3}, {4}}); // num_bins 2: boundaries [2.0]}</pre>
   */
  public void adapt(float[][] data) {
    adapt(StdArrays.ndCopyOf(data));
  }

  /**
   * Keras's first summary of the sorted values: every {@code step}-th value, each weighing {@code
   * step}, where {@code step = max(n * epsilon, 1)}.
   */
  private float[][] summarize(float[] values) {
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    double step = Math.max(sorted.length / (1.0 / epsilon), 1);
    int first = (int) (step - 1);
    int stride = (int) step;
    int count = sorted.length <= first ? 0 : (sorted.length - first + stride - 1) / stride;
    float[][] out = new float[2][count];
    for (int i = 0; i < count; i++) {
      out[0][i] = sorted[first + i * stride];
      out[1][i] = (float) step;
    }
    return out;
  }

  /**
   * Keras's {@code compress_summary}: unless it has fewer than {@code 1/epsilon} points, the
   * summary is resampled at the cumulative weight fractions {@code epsilon, 2 epsilon, ...},
   * interpolating values and cumulative weights linearly (NumPy's {@code interp}, in double).
   */
  private static float[][] compress(float[][] summary, double epsilon) {
    int k = summary[0].length;
    if (k * epsilon < 1) {
      return summary;
    }
    int n = (int) Math.ceil(1.0 / epsilon);
    float[] cumulative = new float[k];
    float running = 0;
    for (int i = 0; i < k; i++) {
      running += summary[1][i];
      cumulative[i] = running;
    }
    double[] fractions = new double[k];
    double[] weights = new double[k];
    double[] points = new double[k];
    for (int i = 0; i < k; i++) {
      fractions[i] = cumulative[i] / cumulative[k - 1];
      weights[i] = cumulative[i];
      points[i] = summary[0][i];
    }
    float[][] out = new float[2][n];
    double previous = 0;
    for (int i = 0; i < n; i++) {
      double at = epsilon + i * epsilon;
      out[0][i] = (float) interpolate(at, fractions, points);
      double weight = interpolate(at, fractions, weights);
      out[1][i] = (float) (weight - previous);
      previous = weight;
    }
    return out;
  }

  /** NumPy's {@code interp(x, xp, fp)} at one point, with its end and exact-hit rules. */
  private static double interpolate(double x, double[] xp, double[] fp) {
    int len = xp.length;
    if (x < xp[0]) {
      return fp[0];
    }
    if (x > xp[len - 1]) {
      return fp[len - 1];
    }
    int lo = 0;
    int hi = len;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (x >= xp[mid]) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int j = lo - 1;
    if (j == len - 1 || xp[j] == x) {
      return fp[j];
    }
    double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    return slope * (x - xp[j]) + fp[j];
  }

  /** The number of output bins: the boundaries plus one, or num_bins before adapting. */
  private int depth() {
    return binBoundaries != null ? binBoundaries.length + 1 : numBins;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return outputMode.equals("int")
        ? inputShape
        : CategoricalOutput.shape(inputShape, outputMode, depth());
  }

  @Override
  protected List<String> computeOutputDtypes(List<String> inputDtypes, int outputCount) {
    return List.of(outputMode.equals("int") ? "int32" : "float32");
  }

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" (Discretization) takes one input, got " + inputs.size());
    }
    if (binBoundaries == null) {
      throw new IllegalStateException(
          "Layer \""
              + name()
              + "\" (Discretization) has no bin_boundaries yet: adapt it on data first (num_bins="
              + numBins
              + ")");
    }
    // Keras digitizes float32 values: TensorFlow's Bucketize with float32 boundaries.
    List<Float> bounds = new ArrayList<>();
    for (double b : binBoundaries) {
      bounds.add((float) b);
    }
    Operand<TInt32> index = tf.bucketize(DTypes.toFloat(tf, inputs.get(0)), bounds);
    if (outputMode.equals("int")) {
      return List.of(index);
    }
    return List.of(CategoricalOutput.encode(tf, index, outputMode, depth(), this));
  }

  /** Keras writes a build_config for its preprocessing layers, which build at init. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    // Keras's Discretization writes its own config: no "trainable", dtype as a name.
    Map<String, Object> config = new LinkedHashMap<>();
    List<Double> bounds = null;
    if (binBoundaries != null) {
      bounds = new ArrayList<>();
      for (double b : binBoundaries) {
        bounds.add(b);
      }
    }
    config.put("bin_boundaries", bounds);
    config.put("num_bins", numBins);
    config.put("epsilon", epsilon);
    config.put("output_mode", outputMode);
    config.put("sparse", false);
    config.put("name", name());
    config.put("dtype", "float32");
    return config;
  }
}
