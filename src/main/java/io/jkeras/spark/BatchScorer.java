package io.jkeras.spark;

import io.jkeras.models.Model;
import java.io.Serializable;
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

/**
 * Scores a Spark {@code Dataset<Row>} with a {@code .keras} model: every partition feeds its rows
 * to the model in batches and appends the prediction column ({@code float} for a one-unit output,
 * else {@code array<float>}). Each executor JVM loads the model once and shares it between its
 * tasks. The file must be readable at the same path on every executor (a shared or distributed file
 * system).
 *
 * <pre>{@code
 * Dataset<Row> scored = BatchScorer.builder("/models/ctr.keras")
 *     .featuresColumn("features") // array<float>
 *     .outputColumn("score")
 *     .build()
 *     .score(rows);
 * }</pre>
 */
public final class BatchScorer implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final Map<String, Model> LOADED = new ConcurrentHashMap<>();

  private final String modelPath;
  private final String featuresColumn;
  private final String outputColumn;
  private final int batchSize;
  private final int outputWidth;

  private BatchScorer(Builder b) {
    this.modelPath = b.modelPath;
    this.featuresColumn = b.featuresColumn;
    this.outputColumn = b.outputColumn;
    this.batchSize = b.batchSize;
    this.outputWidth = (int) model(modelPath).outputs().get(0).shape().size(1);
  }

  /**
   * A builder of a scorer for the {@code .keras} file at {@code modelPath}, which every executor
   * must be able to read at that path.
   */
  public static Builder builder(String modelPath) {
    return new Builder(modelPath);
  }

  /** The model of {@code path}, loaded once in this JVM. */
  private static Model model(String path) {
    return LOADED.computeIfAbsent(path, p -> Model.load(Path.of(p)));
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
    private final Model model = model(modelPath);
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
      float[][] x = new float[rows.size()][];
      for (int i = 0; i < x.length; i++) {
        List<Number> values = rows.get(i).getList(featureIndex);
        x[i] = new float[values.size()];
        for (int j = 0; j < x[i].length; j++) {
          x[i][j] = values.get(j).floatValue();
        }
      }
      // Task threads of one executor share the model; its session runs one batch at a time.
      synchronized (model) {
        predictions = model.predict(x);
      }
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

    /** The scorer with these options; the model itself is loaded lazily, once per executor JVM. */
    public BatchScorer build() {
      return new BatchScorer(this);
    }
  }
}
