package io.jkeras.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchScorerTest {

  @TempDir static Path dir;
  private static SparkSession spark;
  private static Path modelFile;
  private static float[][] x;
  private static float[][] expected;

  @BeforeAll
  static void start() {
    KerasTensor in = Input.of(5);
    KerasTensor out = new Dense(1, "sigmoid").apply(new Dense(7, "relu").apply(in));
    x = new float[203][5];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 5; j++) {
        x[i][j] = (float) Math.sin(0.3 * i + j);
      }
    }
    modelFile = dir.resolve("m.keras");
    try (Model m = new Model(in, out)) {
      expected = m.predict(x);
      m.save(modelFile);
    }
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("jkeras-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> rows() {
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      Float[] f = new Float[5];
      for (int j = 0; j < 5; j++) {
        f[j] = x[i][j];
      }
      rows.add(RowFactory.create(i, f));
    }
    return spark.createDataFrame(rows, schema).repartition(3);
  }

  @Test
  void scoringInMapPartitionsEqualsInProcessPredictExactly() {
    Dataset<Row> scored =
        BatchScorer.builder(modelFile.toString())
            .outputColumn("score")
            .batchSize(16)
            .build()
            .score(rows());
    assertEquals(List.of("id", "features", "score"), List.of(scored.schema().fieldNames()));
    List<Row> got = scored.collectAsList();
    assertEquals(x.length, got.size());
    boolean[] seen = new boolean[x.length];
    for (Row r : got) {
      int id = r.getInt(0);
      seen[id] = true;
      assertEquals(expected[id][0], r.getFloat(2), 0.0f, "row " + id);
    }
    for (boolean s : seen) {
      assertTrue(s);
    }
  }

  @Test
  void aMissingColumnIsNamed() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BatchScorer.builder(modelFile.toString())
                    .featuresColumn("x")
                    .build()
                    .score(rows()));
    assertTrue(e.getMessage().contains("no column \"x\""), e.getMessage());
    assertTrue(e.getMessage().contains("id, features"), e.getMessage());
  }
}
