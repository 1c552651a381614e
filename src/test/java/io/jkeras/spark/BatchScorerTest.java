package io.jkeras.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.savedmodel.LoadedSavedModel;
import io.jkeras.savedmodel.SavedModel;
import io.jkeras.testing.PythonKeras;
import java.nio.file.Files;
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
    spark = LocalSpark.start();
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
  void aSavedModelExportedByJkerasScoresAsItsInProcessPredict() {
    Path export = dir.resolve("jkeras-export/1");
    try (Model m = Model.load(modelFile)) {
      m.export(export);
    }
    float[][] inProcess;
    try (LoadedSavedModel saved = SavedModel.load(export)) {
      inProcess = saved.predict(x);
    }
    List<Row> got =
        BatchScorer.builder(export.toString())
            .outputColumn("score")
            .batchSize(16)
            .build()
            .score(rows())
            .collectAsList();
    assertEquals(x.length, got.size());
    for (Row r : got) {
      int id = r.getInt(0);
      assertEquals(inProcess[id][0], r.getFloat(2), 0.0f, "row " + id);
      // The exported graph computes what the model computes.
      assertEquals(expected[id][0], r.getFloat(2), 1e-6f, "row " + id + " vs Model.predict");
    }
  }

  @Test
  void aSavedModelExportedByPythonKerasScoresAsItsInProcessPredict() throws Exception {
    Path inputs = dir.resolve("x.txt");
    List<String> lines = new ArrayList<>();
    for (float[] row : x) {
      StringBuilder b = new StringBuilder();
      for (float v : row) {
        b.append(Float.toString(v)).append(' ');
      }
      lines.add(b.toString().trim());
    }
    Files.write(inputs, lines);
    Path export = dir.resolve("python-export");
    Path pythonOut = dir.resolve("python-predictions.txt");
    PythonKeras.runCode(
        String.join(
            "\n",
            "import sys, numpy as np, keras",
            "x = np.loadtxt(sys.argv[1], dtype=np.float32, ndmin=2)",
            "inp = keras.Input((5,), name='features')",
            "out = keras.layers.Dense(3)(keras.layers.Dense(6, activation='tanh')(inp))",
            "m = keras.Model(inp, out)",
            "rng = np.random.default_rng(3)",
            "m.set_weights([0.5 * rng.normal(size=w.shape).astype('float32')"
                + " for w in m.get_weights()])",
            "m.export(sys.argv[2], format='tf_saved_model', verbose=False)",
            "np.savetxt(sys.argv[3], m.predict(x, verbose=0), fmt='%.9g')"),
        inputs.toString(),
        export.toString(),
        pythonOut.toString());
    float[][] inProcess;
    try (LoadedSavedModel saved = SavedModel.load(export)) {
      inProcess = saved.predict(x);
    }
    List<String> python = Files.readAllLines(pythonOut);
    Dataset<Row> scored =
        BatchScorer.builder(export.toString()).batchSize(32).build().score(rows());
    assertEquals(
        "array<float>", scored.schema().fields()[2].dataType().simpleString(), "3 outputs");
    List<Row> got = scored.collectAsList();
    assertEquals(x.length, got.size());
    for (Row r : got) {
      int id = r.getInt(0);
      List<Float> p = r.getList(2);
      String[] py = python.get(id).trim().split(" ");
      assertEquals(3, p.size());
      for (int k = 0; k < 3; k++) {
        assertEquals(inProcess[id][k], p.get(k), 0.0f, "row " + id + ", output " + k);
        assertEquals(Float.parseFloat(py[k]), p.get(k), 1e-5f, "row " + id + " vs Python");
      }
    }
  }

  @Test
  void aSavedModelOutputThatIsNotThereIsNamed() {
    Path export = dir.resolve("jkeras-export-2/1");
    try (Model m = Model.load(modelFile)) {
      m.export(export);
    }
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BatchScorer.builder(export.toString()).outputKey("logits").build());
    assertTrue(e.getMessage().contains("has outputs [output_0], not \"logits\""), e.getMessage());
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
