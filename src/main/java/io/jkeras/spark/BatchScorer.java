package io.jkeras.spark;

import io.jkeras.models.Model;
import io.jkeras.savedmodel.LoadedSavedModel;
import io.jkeras.savedmodel.SavedModel;
import io.jkeras.savedmodel.SignatureSpec;
import io.jkeras.savedmodel.TensorSpec;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;

/**
 * Scores a Spark {@code Dataset<Row>} with a {@code .keras} model or a TensorFlow SavedModel
 * directory: every partition feeds its rows to the model in batches and appends the prediction
 * column ({@code float} for a one-unit output, else {@code array<float>}). Each executor JVM loads
 * the model once and shares it between its tasks. The file or directory must be readable at the
 * same path on every executor (a shared or distributed file system).
 *
 * <p>A SavedModel (written by jkeras's {@code Model.export}, Python Keras's {@code model.export} or
 * {@code tf.saved_model.save}) runs its {@code serving_default} signature, or the one given by
 * {@link Builder#signature}; the signature must have one input (float32, int32 or int64, fed from
 * the features column) and one output, or the output named by {@link Builder#outputKey}.
 *
 * <pre>{@code
 * Dataset<Row> scored = BatchScorer.builder("/models/ctr.keras") // or "/models/ctr/1", a SavedModel
 *     .featuresColumn("features") // array<float>
 *     .outputColumn("score")
 *     .build()
 *     .score(rows);
 * }</pre>
 */
public final class BatchScorer implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The models of this JVM by path: a {@link Model} or a {@link LoadedSavedModel}. */
  private static final Map<String, AutoCloseable> LOADED = new ConcurrentHashMap<>();

  private final String modelPath;
  private final String featuresColumn;
  private final String outputColumn;
  private final int batchSize;
  private final String signature;
  private final String outputKey;
  private final int outputWidth;

  private BatchScorer(Builder b) {
    this.modelPath = b.modelPath;
    this.featuresColumn = b.featuresColumn;
    this.outputColumn = b.outputColumn;
    this.batchSize = b.batchSize;
    this.signature = b.signature;
    AutoCloseable loaded = model(modelPath);
    if (loaded instanceof LoadedSavedModel saved) {
      SignatureSpec sig = saved.signature(signature);
      if (sig.inputs().size() != 1) {
        throw new IllegalArgumentException(
            "BatchScorer: SavedModel "
                + modelPath
                + ", signature \""
                + signature
                + "\" has inputs "
                + sig.inputs().keySet()
                + "; scoring feeds one column, so it needs exactly one input");
      }
      this.outputKey = outputKey(sig, b.outputKey);
      this.outputWidth = width(sig.outputs().get(outputKey));
    } else {
      if (b.outputKey != null) {
        throw new IllegalArgumentException(
            "BatchScorer: outputKey applies to SavedModels; " + modelPath + " is a Keras file");
      }
      this.outputKey = null;
      this.outputWidth = (int) ((Model) loaded).outputs().get(0).shape().get(1);
    }
  }

  private String outputKey(SignatureSpec sig, String wanted) {
    if (wanted != null ? sig.outputs().containsKey(wanted) : sig.outputs().size() == 1) {
      return wanted != null ? wanted : sig.outputs().keySet().iterator().next();
    }
    throw new IllegalArgumentException(
        "BatchScorer: SavedModel "
            + modelPath
            + ", signature \""
            + sig.key()
            + "\" has outputs "
            + sig.outputs().keySet()
            + (wanted != null
                ? ", not \"" + wanted + "\""
                : "; choose the one to append with outputKey(...)"));
  }

  private int width(TensorSpec out) {
    Shape shape = out.shape();
    if (!shape.isUnknown() && shape.numDimensions() == 1) {
      return 1;
    }
    if (shape.isUnknown() || shape.numDimensions() != 2 || shape.get(1) < 1) {
      throw new IllegalArgumentException(
          "BatchScorer: SavedModel "
              + modelPath
              + ", output "
              + out
              + ": scoring appends a column of a fixed width, so it needs shape (None,) or"
              + " (None, k)");
    }
    return (int) shape.get(1);
  }

  /**
   * A builder of a scorer for the {@code .keras} (or {@code .h5}) file or the SavedModel directory
   * at {@code modelPath}, which every executor must be able to read at that path.
   *
   * <pre>{@code
   * BatchScorer scorer = BatchScorer.builder("/models/ctr/1").outputColumn("score").build();
   * }</pre>
   *
   * @param modelPath a Keras model file, or a directory holding {@code saved_model.pb}
   * @return a builder with the default columns ({@code features} in, {@code prediction} out)
   */
  public static Builder builder(String modelPath) {
    return new Builder(modelPath);
  }

  /** The model of {@code path}, loaded once in this JVM: a SavedModel if it is a directory. */
  private static AutoCloseable model(String path) {
    return LOADED.computeIfAbsent(
        path,
        p ->
            Files.isDirectory(Path.of(p))
                ? SavedModel.load(Path.of(p))
                : Model.load(Path.of(p), false));
  }

  /** The predictions for one batch; a SavedModel is run without a lock (its runs may overlap). */
  private float[][] predict(AutoCloseable loaded, List<List<Number>> x) {
    if (loaded instanceof Model model) {
      float[][] features = toFloats(x);
      // Task threads of one executor share the model; its session runs one batch at a time.
      synchronized (model) {
        return model.predict(features);
      }
    }
    LoadedSavedModel saved = (LoadedSavedModel) loaded;
    SignatureSpec sig = saved.signature(signature);
    TensorSpec in = sig.inputs().values().iterator().next();
    NdArray<?> fed =
        switch (in.dataType()) {
          case DT_FLOAT -> StdArrays.ndCopyOf(toFloats(x));
            // Ids are read as integers, never through float (which is exact only below 2^24).
          case DT_INT32 -> StdArrays.ndCopyOf(toInts(x));
          case DT_INT64 -> StdArrays.ndCopyOf(toLongs(x));
          default ->
              throw new IllegalArgumentException(
                  "BatchScorer: SavedModel "
                      + modelPath
                      + ", input "
                      + in
                      + ": scoring feeds float32, int32 or int64");
        };
    NdArray<?> out = saved.run(sig.key(), Map.of(in.key(), fed)).get(outputKey);
    if (!(out instanceof FloatNdArray f)) {
      throw new IllegalArgumentException(
          "BatchScorer: SavedModel "
              + modelPath
              + ", output \""
              + outputKey
              + "\" is "
              + LoadedSavedModel.typeName(out)
              + "; scoring appends float32 predictions");
    }
    if (f.rank() == 1) {
      float[] column = StdArrays.array1dCopyOf(f);
      float[][] rows = new float[column.length][];
      for (int i = 0; i < column.length; i++) {
        rows[i] = new float[] {column[i]};
      }
      return rows;
    }
    return StdArrays.array2dCopyOf(f);
  }

  private static float[][] toFloats(List<List<Number>> x) {
    float[][] out = new float[x.size()][];
    for (int i = 0; i < out.length; i++) {
      List<Number> row = x.get(i);
      out[i] = new float[row.size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = row.get(j).floatValue();
      }
    }
    return out;
  }

  private static int[][] toInts(List<List<Number>> x) {
    int[][] out = new int[x.size()][];
    for (int i = 0; i < out.length; i++) {
      List<Number> row = x.get(i);
      out[i] = new int[row.size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = row.get(j).intValue();
      }
    }
    return out;
  }

  private static long[][] toLongs(List<List<Number>> x) {
    long[][] out = new long[x.size()][];
    for (int i = 0; i < out.length; i++) {
      List<Number> row = x.get(i);
      out[i] = new long[row.size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = row.get(j).longValue();
      }
    }
    return out;
  }

  /** {@code rows} with the prediction column appended. */
  public Dataset<Row> score(Dataset<Row> rows) {
    StructType schema = rows.schema();
    int featureIndex;
    try {
      featureIndex = schema.fieldIndex(featuresColumn);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "BatchScorer: no column \""
              + featuresColumn
              + "\"; the columns are "
              + String.join(", ", schema.fieldNames()));
    }
    StructField f = schema.fields()[featureIndex];
    if (!(f.dataType() instanceof ArrayType)) {
      throw new IllegalArgumentException(
          "BatchScorer: column \""
              + featuresColumn
              + "\" must be an array of numbers, got "
              + f.dataType().simpleString());
    }
    StructType out =
        schema.add(
            outputColumn,
            outputWidth == 1
                ? DataTypes.FloatType
                : DataTypes.createArrayType(DataTypes.FloatType, false),
            false);
    MapPartitionsFunction<Row, Row> fn = partition -> new Scored(partition, featureIndex);
    return rows.mapPartitions(fn, Encoders.row(out));
  }

  /** The rows of one partition with predictions, computed a batch at a time. */
  private final class Scored implements Iterator<Row> {
    private final Iterator<Row> input;
    private final int featureIndex;
    private final AutoCloseable model = model(modelPath);
    private List<Row> batch = List.of();
    private float[][] predictions;
    private int next;

    Scored(Iterator<Row> input, int featureIndex) {
      this.input = input;
      this.featureIndex = featureIndex;
    }

    @Override
    public boolean hasNext() {
      if (next < batch.size()) {
        return true;
      }
      if (!input.hasNext()) {
        return false;
      }
      List<Row> rows = new ArrayList<>(batchSize);
      while (rows.size() < batchSize && input.hasNext()) {
        rows.add(input.next());
      }
      List<List<Number>> x = new ArrayList<>(rows.size());
      for (Row r : rows) {
        x.add(r.getList(featureIndex));
      }
      predictions = predict(model, x);
      batch = rows;
      next = 0;
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = batch.get(next);
      float[] p = predictions[next++];
      Object[] values = new Object[r.size() + 1];
      for (int i = 0; i < r.size(); i++) {
        values[i] = r.get(i);
      }
      if (outputWidth == 1) {
        values[r.size()] = p[0];
      } else {
        Float[] boxed = new Float[p.length];
        for (int i = 0; i < p.length; i++) {
          boxed[i] = p[i];
        }
        values[r.size()] = boxed;
      }
      return RowFactory.create(values);
    }
  }

  /** Options of {@link BatchScorer}: features column, output column, batch size. */
  public static final class Builder {
    private final String modelPath;
    private String featuresColumn = "features";
    private String outputColumn = "prediction";
    private int batchSize = 256;
    private String signature = LoadedSavedModel.DEFAULT_SIGNATURE;
    private String outputKey;

    private Builder(String modelPath) {
      this.modelPath = modelPath;
    }

    /** The {@code array<float>} (or array of other numbers) column fed to the model. */
    public Builder featuresColumn(String name) {
      this.featuresColumn = name;
      return this;
    }

    /** The name of the prediction column appended to the rows (default {@code "prediction"}). */
    public Builder outputColumn(String name) {
      this.outputColumn = name;
      return this;
    }

    /**
     * How many rows go to the model per call (default 256).
     *
     * @throws IllegalArgumentException if {@code batchSize} is below 1
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException(
            "BatchScorer: batch size must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The SavedModel signature to run (default {@code "serving_default"}).
     *
     * @param key a signature key of the SavedModel
     * @return this builder
     */
    public Builder signature(String key) {
      this.signature = key;
      return this;
    }

    /**
     * The SavedModel output to append, when the signature has several (for example {@code
     * "output_1"}).
     *
     * @param key an output key of the signature
     * @return this builder
     */
    public Builder outputKey(String key) {
      this.outputKey = key;
      return this;
    }

    /** The scorer with these options; the model itself is loaded lazily, once per executor JVM. */
    public BatchScorer build() {
      return new BatchScorer(this);
    }
  }
}
