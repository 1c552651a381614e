package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * Buckets continuous features by fixed boundaries, as Keras 3's {@code
 * keras.layers.Discretization}: with sorted boundaries {@code b0 < b1 < ...}, a value x gets index
 * {@code i} = the number of boundaries {@code <= x} (so {@code x < b0} is 0 and {@code x >= b_last}
 * is {@code len(boundaries)}).
 *
 * <p>Arguments: {@code binBoundaries} (required in jkeras: adapting by quantiles is not
 * implemented), {@code outputMode} ("int", the default, giving int32 indices; or "one_hot",
 * "multi_hot", "count" over {@code len(boundaries) + 1} bins, as {@link CategoryEncoding}), {@code
 * epsilon} (0.01, kept for the config: it only tunes adapting). Sparse output is not supported.
 *
 * <p>Shapes: input any float shape; output the same shape as int32 indices ("int"), else as for
 * {@link CategoryEncoding}. No weights.
 *
 * <pre>{@code
 * KerasTensor bucket = new Discretization(new double[] {0, 1, 2}).apply(ages);  // ints 0..3
 * KerasTensor vector = new Embedding(4, 8).apply(bucket);
 * }</pre>
 */
public class Discretization extends Layer {

  private static final List<String> MODES = List.of("int", "one_hot", "multi_hot", "count");

  private final double[] binBoundaries;
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
   * @param epsilon kept for the config only (it tunes adapting, which jkeras does not do)
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if the boundaries are missing or not sorted or the mode is
   *     unknown
   */
  public Discretization(double[] binBoundaries, String outputMode, double epsilon, String name) {
    super(name);
    if (binBoundaries == null) {
      throw new IllegalArgumentException(
          "Discretization: bin_boundaries are required (jkeras cannot adapt num_bins quantiles)");
    }
    for (int i = 1; i < binBoundaries.length; i++) {
      if (!(binBoundaries[i] >= binBoundaries[i - 1])) {
        throw new IllegalArgumentException(
            "Discretization: bin_boundaries must be sorted, got "
                + java.util.Arrays.toString(binBoundaries));
      }
    }
    this.binBoundaries = binBoundaries.clone();
    this.outputMode = CategoricalOutput.mode("Discretization", outputMode, MODES);
    this.epsilon = epsilon;
  }

  /**
   * A Discretization layer from its Keras config (bin_boundaries, num_bins null, epsilon,
   * output_mode, sparse false, name, dtype).
   */
  public static Discretization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Discretization", config);
    Object bounds = c.raw("bin_boundaries");
    if (bounds == null) {
      throw c.fail(
          "bin_boundaries",
          "null: a layer to be adapted by num_bins quantiles is not supported by jkeras (adapt it"
              + " in Python first)");
    }
    if (!(bounds instanceof List<?> list)) {
      throw c.wrongValue("bin_boundaries", "a list of numbers", bounds);
    }
    double[] b = new double[list.size()];
    for (int i = 0; i < b.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw c.wrongValue("bin_boundaries", "a list of numbers", bounds);
      }
      b[i] = n.doubleValue();
    }
    // Keras writes num_bins as given; after adapting, the boundaries rule.
    c.ignore("num_bins");
    double epsilon = c.number("epsilon", 0.01);
    String mode = c.string("output_mode", "int");
    c.requireDefault("sparse", false, "sparse output");
    String name = c.name();
    c.requireFloat32Dtype();
    return c.finish(new Discretization(b, mode, epsilon, name));
  }

  /** A copy of the bin boundaries. */
  public double[] binBoundaries() {
    return binBoundaries.clone();
  }

  /** {@code "int"}, {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}. */
  public String outputMode() {
    return outputMode;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return outputMode.equals("int")
        ? inputShape
        : CategoricalOutput.shape(inputShape, outputMode, binBoundaries.length + 1);
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
    // Keras digitizes float32 values: TensorFlow's Bucketize with float32 boundaries.
    List<Float> bounds = new ArrayList<>();
    for (double b : binBoundaries) {
      bounds.add((float) b);
    }
    Operand<TInt32> index = tf.bucketize(DTypes.toFloat(tf, inputs.get(0)), bounds);
    if (outputMode.equals("int")) {
      return List.of(index);
    }
    return List.of(CategoricalOutput.encode(tf, index, outputMode, binBoundaries.length + 1, this));
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
    List<Double> bounds = new ArrayList<>();
    for (double b : binBoundaries) {
      bounds.add(b);
    }
    config.put("bin_boundaries", bounds);
    config.put("num_bins", null);
    config.put("epsilon", epsilon);
    config.put("output_mode", outputMode);
    config.put("sparse", false);
    config.put("name", name());
    config.put("dtype", "float32");
    return config;
  }
}
