package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Crosses categorical features with the hashing trick, as Keras 3's {@code
 * keras.layers.HashedCrossing}: each sample's values of two integer or string inputs are combined
 * into one bin in {@code [0, numBins)}. jkeras runs the TensorFlow kernel Keras runs ({@code
 * tf.sparse.cross_hashed}: the {@code SparseCross} op with hashed output and its default key), so
 * the bins are Keras's bit for bit, for integer and string inputs alike.
 *
 * <p>Arguments: {@code numBins} (positive), {@code outputMode} ("int": int64 bins, or int32 with
 * {@code dtype("int32")}; "one_hot": float32 vectors of length {@code numBins}). Keras's {@code
 * sparse=True} output is not supported.
 *
 * <p>Inputs: a list of two tensors of one shape, {@code (batch,)} or {@code (batch, 1)}, of integer
 * or string dtype. Output: the input shape for "int"; {@code (batch, numBins)} for "one_hot". No
 * weights.
 *
 * <pre>{@code
 * KerasTensor country = Input.of("string", 1);
 * KerasTensor hour = Input.of("int64", 1);
 * KerasTensor crossed = new HashedCrossing(1000).apply(country, hour);   // int64, (batch, 1)
 * KerasTensor vectors = new Embedding(1000, 8).apply(crossed);
 * }</pre>
 */
public class HashedCrossing extends Layer {

  /** The key {@code tf.sparse.cross_hashed} seeds the fingerprint chain with when given none. */
  private static final long HASH_KEY = 0xDECAFCAFFEL;

  private final int numBins;
  private final String outputMode;
  private final String outputDtype;

  /**
   * Crossing into {@code numBins} bins with Keras's defaults ("int" output, int64).
   *
   * <pre>{@code new HashedCrossing(1000).apply(a, b);}</pre>
   */
  public HashedCrossing(int numBins) {
    this(numBins, "int", null, null);
  }

  /**
   * Crossing into {@code numBins} bins.
   *
   * <pre>{@code new HashedCrossing(64, "one_hot", null, "cross");}</pre>
   *
   * @param outputMode "int" or "one_hot"
   * @param dtype the output dtype: null for Keras's (int64 for "int", float32 for "one_hot"), or
   *     "int32" for "int"
   * @param name the layer name, or null for an automatic one
   */
  public HashedCrossing(int numBins, String outputMode, String dtype, String name) {
    super(name);
    if (numBins <= 0) {
      throw new IllegalArgumentException(
          "HashedCrossing: num_bins must be a positive integer, got " + numBins);
    }
    if (!"int".equals(outputMode) && !"one_hot".equals(outputMode)) {
      throw new IllegalArgumentException(
          "HashedCrossing: output_mode must be \"int\" or \"one_hot\", got \"" + outputMode + "\"");
    }
    String standard = outputMode.equals("int") ? "int64" : "float32";
    if (dtype != null
        && !dtype.equals(standard)
        && !(standard.equals("int64") && dtype.equals("int32"))) {
      throw new IllegalArgumentException(
          "HashedCrossing: dtype \""
              + dtype
              + "\" is not supported with output_mode \""
              + outputMode
              + "\" (only "
              + (standard.equals("int64") ? "int64 or int32" : "float32")
              + ")");
    }
    this.numBins = numBins;
    this.outputMode = outputMode;
    this.outputDtype = dtype == null ? standard : dtype;
  }

  /**
   * A HashedCrossing layer from its Keras config: num_bins, output_mode, sparse false, name, dtype
   * (int64 or int32 for "int" output, float32 for "one_hot").
   */
  public static HashedCrossing fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("HashedCrossing", config);
    String name = c.name();
    int numBins = c.positiveInt("num_bins");
    String mode = c.string("output_mode", "int");
    c.requireDefault("sparse", false, "sparse output");
    String dtype = Hashing.dtypeName(c.raw("dtype"));
    HashedCrossing layer;
    try {
      layer = new HashedCrossing(numBins, mode, dtype, name);
    } catch (IllegalArgumentException e) {
      throw c.fail(
          "int".equals(mode) || "one_hot".equals(mode) ? "dtype" : "output_mode", e.getMessage());
    }
    return c.finish(layer);
  }

  /** The number of bins. */
  public int numBins() {
    return numBins;
  }

  /** {@code "int"} or {@code "one_hot"}. */
  public String outputMode() {
    return outputMode;
  }

  @Override
  public String dtype() {
    return outputDtype;
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    if (inputShapes.size() != 2) {
      // Keras crosses more inputs eagerly, but its functional models take exactly two.
      throw error("takes a list of two inputs, got " + inputShapes.size());
    }
    Shape first = inputShapes.get(0);
    int rank = first.numDimensions();
    if (rank > 2 || (rank == 2 && first.size(1) != 1)) {
      throw error("inputs must have shape (batch,) or (batch, 1), got " + KerasShape.format(first));
    }
    for (Shape s : inputShapes) {
      if (!java.util.Arrays.equals(s.asArray(), first.asArray())) {
        throw error(
            "inputs must all have one shape, got "
                + KerasShape.format(first)
                + " and "
                + KerasShape.format(s));
      }
    }
    if (outputMode.equals("int")) {
      return List.of(first);
    }
    return List.of(CategoricalOutput.shape(first, outputMode, numBins));
  }

  @Override
  protected List<String> computeOutputDtypes(List<String> inputDtypes, int outputCount) {
    for (String d : inputDtypes) {
      if (!d.equals("string") && !d.startsWith("int") && !d.startsWith("uint")) {
        throw error("inputs must have an integer or string dtype, got " + inputDtypes);
      }
    }
    return List.of(outputDtype);
  }

  private IllegalArgumentException error(String detail) {
    return new IllegalArgumentException("Layer \"" + name() + "\" (HashedCrossing): " + detail);
  }

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    List<Shape> shapes = new ArrayList<>();
    List<Operand<?>> columns = new ArrayList<>();
    boolean anyInteger = false;
    for (Operand<?> x : inputs) {
      shapes.add(x.shape());
      if (x.type() != TString.class) {
        anyInteger = true;
        x = tf.dtypes.cast(x, TInt64.class);
      }
      // The kernel crosses the columns of (batch, 1) matrices.
      columns.add(tf.reshape(x, tf.constant(new long[] {-1, 1})));
    }
    computeOutputShape(shapes);
    Scope scope = tf.scope();
    OperationBuilder b = scope.opBuilder("SparseCross", "HashedCrossing");
    b.addInputList(new org.tensorflow.Output<?>[0]);
    b.addInputList(new org.tensorflow.Output<?>[0]);
    b.addInputList(new org.tensorflow.Output<?>[0]);
    b.addInputList(
        columns.stream().map(Operand::asOutput).toArray(org.tensorflow.Output<?>[]::new));
    b.setAttr("hashed_output", true);
    b.setAttr("num_buckets", (long) numBins);
    b.setAttr("hash_key", HASH_KEY);
    b.setAttr("sparse_types", new DataType[0]);
    b.setAttr("out_type", DataType.DT_INT64);
    b.setAttr("internal_type", anyInteger ? DataType.DT_INT64 : DataType.DT_STRING);
    Operation cross = b.build();
    // Every sample has exactly one cross, so the sparse values are the dense bins in order.
    Operand<TInt64> values = cross.output(1);
    Operand<TInt64> bins = tf.reshape(values, tf.shape(inputs.get(0), TInt64.class));
    if (outputMode.equals("one_hot")) {
      return List.of(CategoricalOutput.encode(tf, bins, outputMode, numBins, this));
    }
    return List.of(outputDtype.equals("int32") ? tf.dtypes.cast(bins, TInt32.class) : bins);
  }

  /** Keras writes a build_config for HashedCrossing, as for its other preprocessing layers. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  /** Keras's config: num_bins, output_mode, sparse, name and dtype (a plain dtype name). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("num_bins", numBins);
    config.put("output_mode", outputMode);
    config.put("sparse", false);
    config.put("name", name());
    config.put("dtype", outputDtype);
    return config;
  }
}
