package io.jkeras.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.distribute.TfConfig;
import io.jkeras.distribute.TinyProblem;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
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

/**
 * A barrier-stage training run in {@code local[2]} against two references: the same problem run by
 * {@code io.jkeras.distribute.ClusterTaskMain} as two multi-worker processes (each taking its shard
 * with {@code MultiWorkerMirroredStrategy.shard}), and one process on full batches.
 */
class SparkTrainerTest {

  // TinyProblem is what ClusterTaskMain trains, so the two-process reference is the same run.
  static final int ROWS = TinyProblem.ROWS;
  static final int FEATURES = TinyProblem.FEATURES;
  static final int GLOBAL_BATCH = TinyProblem.GLOBAL_BATCH;
  static final int EPOCHS = 3;

  @TempDir static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static float[][] x() {
    return TinyProblem.features();
  }

  static float[] y() {
    return TinyProblem.labels();
  }

  static Model model() {
    return TinyProblem.model();
  }

  /**
   * Two partitions holding, in order, what {@code MultiWorkerMirroredStrategy.shard} gives replica
   * 0 and replica 1: each one's half of every global batch.
   */
  private static Dataset<Row> shardedRows() {
    float[][] x = x();
    float[] y = y();
    List<Row> rows = new ArrayList<>();
    int half = GLOBAL_BATCH / 2;
    for (int replica = 0; replica < 2; replica++) {
      for (int from = 0; from < ROWS; from += GLOBAL_BATCH) {
        for (int i = from + replica * half; i < from + (replica + 1) * half; i++) {
          Float[] f = new Float[FEATURES];
          for (int j = 0; j < FEATURES; j++) {
            f[j] = x[i][j];
          }
          rows.add(RowFactory.create(i, f, y[i]));
        }
      }
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.FloatType, false);
    // parallelize slices a list into consecutive runs: partition r is replica r's shard.
    var rdd = new JavaSparkContext(spark.sparkContext()).parallelize(rows, 2);
    return spark.createDataFrame(rdd, schema);
  }

  private static SparkTrainer.Builder trainer(ModelFactory factory) {
    return SparkTrainer.builder(factory)
        .epochs(EPOCHS)
        .batchSize(GLOBAL_BATCH)
        .shuffle(false)
        .seed(7)
        .operationTimeout(Duration.ofSeconds(20))
        .taskJavaOptions("-Xmx256m");
  }

  @Test
  void aBarrierStageOfTwoWorkersTrainsAsTwoMultiWorkerProcessesAndAsOneProcessOnFullBatches()
      throws Exception {
    long t0 = System.nanoTime();
    TrainingResult result = trainer(SparkTrainerTest::model).build().fit(shardedRows());
    double sparkSeconds = (System.nanoTime() - t0) / 1e9;
    List<float[]> spark;
    double sparkLoss;
    try (Model m = result.model()) {
      spark = weights(m);
      sparkLoss = m.evaluate(HostArray.of(x()), HostArray.of(y())).get("loss");
    }
    assertEquals(48, result.rowsPerWorker());
    assertEquals(0, result.droppedRows());
    assertEquals(2, result.workerHistories().size());
    assertEquals(EPOCHS, result.epochs());

    // Reference 1: two processes of io.jkeras.distribute's own multi-worker test.
    long t1 = System.nanoTime();
    List<float[]> twoProcesses = twoProcessRun();
    double processSeconds = (System.nanoTime() - t1) / 1e9;
    double loss2;
    try (Model m = model()) {
      assign(m, twoProcesses);
      loss2 = m.evaluate(HostArray.of(x()), HostArray.of(y())).get("loss");
    }
    // Reference 2: one process on the full global batches.
    List<float[]> single;
    List<Double> singleLosses;
    try (Model m = model()) {
      singleLosses =
          m.fit(
                  HostArray.of(x()),
                  HostArray.of(y()),
                  FitOptions.epochs(EPOCHS).batchSize(GLOBAL_BATCH).shuffle(false).verbose(0))
              .get("loss");
      single = weights(m);
    }
    System.out.printf(
        "barrier run %.1f s, two-process run %.1f s; final loss %.9f (two processes %.9f)%n",
        sparkSeconds, processSeconds, sparkLoss, loss2);
    // Same shards, same order, same graph: the replicas' arithmetic is the same as in the
    // two-process run.
    assertEquals(0, maxDiff(spark, twoProcesses), 1e-6, "barrier run vs two processes");
    assertEquals(loss2, sparkLoss, 1e-6 * loss2, "final loss over all rows");
    // Averaging two half-batch gradients equals the full-batch gradient up to float rounding.
    assertEquals(0, maxDiff(spark, single), 1e-5, "barrier run vs one process");
    List<Double> losses = result.history().get("loss");
    for (int e = 0; e < EPOCHS; e++) {
      // The workers' mean loss is the loss over all rows, as one process logs it.
      assertEquals(singleLosses.get(e), losses.get(e), 1e-5, "epoch " + e + " loss");
    }
    try (Model fresh = model()) {
      double moved = maxDiff(weights(fresh), single);
      assertTrue(moved > 1e-2, "training moved the weights by only " + moved);
    }
    Path saved = dir.resolve("trained.keras");
    result.save(saved);
    try (Model m = Model.load(saved)) {
      assertEquals(0, maxDiff(weights(m), spark), 0.0, "saved file");
    }
  }

  @Test
  void unevenPartitionsTrainOnTheSmallestOnesRowCount() {
    float[][] x = x();
    float[] y = y();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Float[] f = new Float[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        f[j] = x[i][j];
      }
      rows.add(RowFactory.create(f, (double) y[i]));
    }
    StructType schema =
        new StructType()
            .add("f", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("target", DataTypes.DoubleType, false);
    var jsc = new JavaSparkContext(spark.sparkContext());
    // Two partitions of 20 rows; partition 0 keeps 13 of them.
    var rdd =
        jsc.parallelize(rows, 2)
            .mapPartitionsWithIndex(
                (index, it) -> {
                  List<Row> kept = new ArrayList<>();
                  it.forEachRemaining(kept::add);
                  return (index == 0 ? kept.subList(0, 13) : kept).iterator();
                },
                true);
    TrainingResult result =
        trainer(SparkTrainerTest::model)
            .featuresColumn("f")
            .labelColumn("target")
            .epochs(1)
            .batchSize(4)
            .build()
            .fit(spark.createDataFrame(rdd, schema));
    assertEquals(13, result.rowsPerWorker());
    assertEquals(7, result.droppedRows());
    assertTrue(Double.isFinite(result.history().get("loss").get(0)));
    // A lineage Spark refuses in a barrier stage (a union of two one-partition RDDs).
    var union =
        jsc.parallelize(rows.subList(0, 13), 1).union(jsc.parallelize(rows.subList(13, 40), 1));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer(SparkTrainerTest::model)
                    .featuresColumn("f")
                    .labelColumn("target")
                    .batchSize(4)
                    .build()
                    .fit(spark.createDataFrame(union, schema)));
    assertTrue(e.getMessage().contains("repartition(n) the rows before fit"), e.getMessage());
  }

  @Test
  void moreTasksThanSlotsFailAtOnce() {
    Dataset<Row> rows = shardedRows().repartition(3);
    long t0 = System.nanoTime();
    var e =
        assertThrows(
            IllegalStateException.class, () -> trainer(SparkTrainerTest::model).build().fit(rows));
    assertTrue(e.getMessage().contains("3 partitions"), e.getMessage());
    assertTrue(e.getMessage().contains("has 2 free task slots"), e.getMessage());
    assertTrue((System.nanoTime() - t0) / 1e9 < 10, "the check took too long");
  }

  @Test
  void aFailingTaskEndsTheRunWithAnErrorNamingItAndNoWorkerIsLeftRunning() throws Exception {
    ModelFactory failsOnWorker1 =
        () -> {
          if (TfConfig.fromEnvironment().taskIndex() == 1) {
            throw new IllegalStateException("no model for worker 1 (test)");
          }
          return model();
        };
    long t0 = System.nanoTime();
    var e =
        assertThrows(
            SparkException.class, () -> trainer(failsOnWorker1).build().fit(shardedRows()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(e.getMessage().contains("training task worker:1"), e.getMessage());
    assertTrue(e.getMessage().contains("no model for worker 1 (test)"), e.getMessage());
    // Worker 0 would time out in its all-reduce after 20 s; Spark kills it before.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (trainingTasksAlive() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, trainingTasksAlive(), "training task processes left running");
    System.out.printf("failed run ended after %.1f s%n", seconds);
  }

  @Test
  void aMissingOrMistypedColumnIsNamed() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> trainer(SparkTrainerTest::model).labelColumn("y").build().fit(shardedRows()));
    assertTrue(e.getMessage().contains("no label column \"y\""), e.getMessage());
    assertTrue(e.getMessage().contains("id, features, label"), e.getMessage());
    var e2 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer(SparkTrainerTest::model)
                    .featuresColumn("label")
                    .build()
                    .fit(shardedRows()));
    assertTrue(e2.getMessage().contains("must be an array of numbers, got float"), e2.getMessage());
    var e3 =
        assertThrows(
            IllegalArgumentException.class,
            () -> trainer(SparkTrainerTest::model).batchSize(15).build().fit(shardedRows()));
    assertTrue(e3.getMessage().contains("global batch size 15"), e3.getMessage());
  }

  private static long trainingTasksAlive() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(a -> List.of(a).contains(TrainingTask.class.getName()))
                    .orElse(false))
        .count();
  }

  /** Runs ClusterTaskMain's "mirrored" mode as worker 0 and 1; returns worker 0's weights. */
  private static List<float[]> twoProcessRun() throws Exception {
    String cluster =
        "{\"cluster\": {\"worker\": [\"127.0.0.1:" + freePort() + "\", \"127.0.0.1:" + freePort();
    List<Process> ps = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        ProcessBuilder pb =
            new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.jkeras.distribute.ClusterTaskMain",
                "mirrored",
                dir.resolve("ref" + i).toString(),
                "" + EPOCHS);
        pb.environment()
            .put(
                "TF_CONFIG",
                cluster + "\"]}, \"task\": {\"type\": \"worker\", \"index\": " + i + "}}");
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("ref" + i + ".log").toFile());
        ps.add(pb.start());
      }
      for (int i = 0; i < 2; i++) {
        if (!ps.get(i).waitFor(120, TimeUnit.SECONDS) || ps.get(i).exitValue() != 0) {
          throw new AssertionError(
              "reference worker "
                  + i
                  + " failed:\n"
                  + Files.readString(dir.resolve("ref" + i + ".log")));
        }
      }
    } finally {
      ps.forEach(Process::destroyForcibly);
    }
    List<float[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("ref0"))) {
      String[] parts = line.trim().split(" ");
      float[] v = new float[parts.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = Float.parseFloat(parts[i]);
      }
      out.add(v);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static List<float[]> weights(Model m) {
    return m.weights().stream().map(Weight::read).toList();
  }

  private static void assign(Model m, List<float[]> values) {
    for (int k = 0; k < values.size(); k++) {
      m.weights().get(k).assign(values.get(k));
    }
  }

  private static double maxDiff(List<float[]> a, List<float[]> b) {
    assertEquals(a.size(), b.size());
    double max = 0;
    for (int k = 0; k < a.size(); k++) {
      assertEquals(a.get(k).length, b.get(k).length);
      for (int i = 0; i < a.get(k).length; i++) {
        max = Math.max(max, Math.abs(a.get(k)[i] - b.get(k)[i]));
      }
    }
    return max;
  }
}
