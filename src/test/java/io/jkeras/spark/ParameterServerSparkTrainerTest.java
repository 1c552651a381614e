package io.jkeras.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.distribute.FixedShardsPartitioner;
import io.jkeras.distribute.TfConfig;
import io.jkeras.distribute.TinyTableProblem;
import io.jkeras.models.Model;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Parameter-server training in a barrier stage ({@code local[2]}: 1 ps + 2 workers) against the
 * same run as three processes of {@code io.jkeras.distribute.ClusterTaskMain}, on {@link
 * TinyTableProblem}: the ps holds its lookup table. Worker 1 builds its model only after {@link
 * #WORKER1_DELAY_MS}, so the chief has finished its own epochs before worker 1 starts: the chief's
 * result holds worker 1's updates only if it waited for worker 1.
 */
class ParameterServerSparkTrainerTest {

  static final int EPOCHS = 8;
  static final long WORKER1_DELAY_MS = 3000;

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

  /** Two partitions, in order: TinyTableProblem's partition 0 (96 rows) and 1 (160 rows). */
  private static Dataset<Row> rows() {
    StructType schema =
        new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("label", DataTypes.FloatType, false);
    // Partition p generates the problem's partition p (parallelize would slice evenly).
    var rdd =
        new JavaSparkContext(spark.sparkContext())
            .parallelize(List.of(0, 1), 2)
            .mapPartitionsWithIndex(
                (p, ignored) -> {
                  int[][] ids = TinyTableProblem.ids(p);
                  float[] y = TinyTableProblem.labels(p);
                  List<Row> rows = new ArrayList<>();
                  for (int i = 0; i < y.length; i++) {
                    rows.add(RowFactory.create(new Integer[] {ids[i][0], ids[i][1]}, y[i]));
                  }
                  return rows.iterator();
                },
                true);
    return spark.createDataFrame(rdd, schema);
  }

  /** Worker 1 starts late (see the class comment); both build the problem's model. */
  private static Model delayedModel() {
    if (TfConfig.fromEnvironment().taskIndex() == 1) {
      try {
        Thread.sleep(WORKER1_DELAY_MS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    return TinyTableProblem.model();
  }

  private static SparkTrainer.Builder trainer(ModelFactory factory) {
    return SparkTrainer.builder(factory)
        .parameterServers(1)
        .epochs(EPOCHS)
        .batchSize(TinyTableProblem.BATCH)
        .shuffle(false)
        .seed(TinyTableProblem.SEED)
        .operationTimeout(Duration.ofSeconds(20))
        .taskJavaOptions("-Xmx256m");
  }

  private static double loss(Model m) {
    return m.evaluate(
            HostArray.of(TinyTableProblem.allIds()), HostArray.of(TinyTableProblem.allLabels()))
        .get("loss");
  }

  @Test
  void oneParameterServerAndTwoWorkersTrainAsTheLocalThreeProcessRun() throws Exception {
    long t0 = System.nanoTime();
    // The table in two row shards (both on ps 0): lookups and updates go shard by shard.
    TrainingResult result =
        trainer(ParameterServerSparkTrainerTest::delayedModel)
            .variablePartitioner(new FixedShardsPartitioner(2))
            .build()
            .fit(rows());
    double sparkSeconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(List.of(96, 160), result.workerRows(), "every worker trains its whole partition");
    assertEquals(0, result.droppedRows());
    assertEquals(EPOCHS, result.epochs());

    long t1 = System.nanoTime();
    double referenceLoss = threeProcessRun();
    double processSeconds = (System.nanoTime() - t1) / 1e9;

    double untrained;
    float[] initialTable;
    GlobalSeed.set(TinyTableProblem.SEED);
    try (Model m = TinyTableProblem.model()) {
      untrained = loss(m);
      initialTable = m.weights().get(0).read();
    }
    double sparkLoss;
    float[] table;
    try (Model m = result.model()) {
      assertArrayEquals(
          new long[] {TinyTableProblem.TABLE_ROWS, TinyTableProblem.DIM},
          m.weights().get(0).shape().asArray(),
          "the table comes back whole");
      sparkLoss = loss(m);
      table = m.weights().get(0).read();
    }
    System.out.printf(
        "ps barrier run %.1f s, three-process run %.1f s; loss over all rows: untrained %.6f,"
            + " barrier run %.6f, three processes %.6f%n",
        sparkSeconds, processSeconds, untrained, sparkLoss, referenceLoss);
    // Training takes the loss from 0.695 to 0.034. Asynchronous runs differ in how the workers'
    // updates interleave: measured, the reference with worker 1 not delayed (fully overlapped)
    // ends at 0.033912 and 0.033911, delayed (in turn) at 0.033995, 1e-4 of the gain apart. A
    // hundredth of the gain (0.0066) allows 50 times that; a chief that saves without waiting for
    // worker 1 (tried by removing the wait) ends at 0.157.
    assertTrue(referenceLoss < 0.1 * untrained, "reference " + referenceLoss + " vs " + untrained);
    assertEquals(referenceLoss, sparkLoss, 0.01 * (untrained - referenceLoss), "final loss");

    int dim = TinyTableProblem.DIM;
    // Table rows no worker looks up keep the initial values: the seed made them the same.
    for (int id = TinyTableProblem.UNUSED_IDS; id < TinyTableProblem.TABLE_ROWS; id++) {
      assertArrayEquals(
          Arrays.copyOfRange(initialTable, id * dim, (id + 1) * dim),
          Arrays.copyOfRange(table, id * dim, (id + 1) * dim),
          "unused id " + id);
    }
    // Rows only worker 1 looks up, after the chief's own training: they moved in the chief's model.
    for (int id = TinyTableProblem.WORKER1_ONLY_IDS; id < TinyTableProblem.UNUSED_IDS; id++) {
      double moved = 0;
      for (int k = id * dim; k < (id + 1) * dim; k++) {
        moved = Math.max(moved, Math.abs(table[k] - initialTable[k]));
      }
      // Without the chief's wait they would be exactly the initial values.
      assertTrue(moved > 1e-3, "id " + id + " only worker 1 looks up moved by " + moved);
    }
  }

  @Test
  void psOptionsOutsideTheirRangeAreRefusedWithTheOptionNamed() {
    var negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkTrainer.builder(TinyTableProblem::model).parameterServers(-1));
    assertTrue(
        negative
            .getMessage()
            .contains("parameterServers must be >= 0 (0: mirrored training), got -1"),
        negative.getMessage());
    var tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () -> trainer(TinyTableProblem::model).parameterServers(3).build().fit(rows()));
    assertTrue(tooMany.getMessage().contains("parameterServers(3)"), tooMany.getMessage());
    assertTrue(tooMany.getMessage().contains("at most 2"), tooMany.getMessage());
    var partitioner =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SparkTrainer.builder(TinyTableProblem::model)
                    .variablePartitioner(new FixedShardsPartitioner(2))
                    .build());
    assertTrue(
        partitioner.getMessage().contains("variablePartitioner applies to parameter-server"),
        partitioner.getMessage());
    assertTrue(
        partitioner.getMessage().contains("got parameterServers(0)"), partitioner.getMessage());
    var options =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SparkTrainer.builder(TinyTableProblem::model)
                    .parameterServerJavaOptions("-Xmx1g")
                    .build());
    assertTrue(
        options.getMessage().contains("parameterServerJavaOptions applies"), options.getMessage());
  }

  @Test
  void aFailingParameterServerEndsTheRunWithAnErrorNamingItAndNoTaskIsLeftRunning()
      throws Exception {
    long t0 = System.nanoTime();
    // A heap too small for the JVM to start: the ps process exits at once with code 1.
    var e =
        assertThrows(
            SparkException.class,
            () ->
                trainer(TinyTableProblem::model)
                    .parameterServerJavaOptions("-Xmx1m")
                    .build()
                    .fit(rows()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(e.getMessage().contains("training task ps:0"), e.getMessage());
    assertTrue(e.getMessage().contains("failed with exit code 1"), e.getMessage());
    assertTrue(e.getMessage().contains("heap"), e.getMessage());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (trainingTasksAlive() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, trainingTasksAlive(), "training task processes left running");
    System.out.printf("failed ps run ended after %.1f s%n", seconds);
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

  /**
   * Runs ClusterTaskMain's "ps-until-done" as ps 0 and "ps-table" as workers 0 and 1 (worker 1
   * delayed as in the barrier run); returns the chief's loss over all rows after both finished (the
   * chief waits for the stage "fit", where the Spark run's chief waits for the end of the run).
   */
  private static double threeProcessRun() throws Exception {
    String cluster =
        "{\"cluster\": {\"ps\": [\"127.0.0.1:"
            + freePort()
            + "\"], \"worker\": [\"127.0.0.1:"
            + freePort()
            + "\", \"127.0.0.1:"
            + freePort()
            + "\"]}, \"task\": ";
    String[][] tasks = {
      {"ps", "0", "ps-until-done"},
      {
        "worker", "0", "ps-table", dir.resolve("ref").toString(), "" + EPOCHS, "" + WORKER1_DELAY_MS
      },
      {"worker", "1", "ps-table", dir.resolve("ref").toString(), "" + EPOCHS, "" + WORKER1_DELAY_MS}
    };
    List<Process> ps = new ArrayList<>();
    try {
      for (String[] t : tasks) {
        List<String> cmd =
            new ArrayList<>(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.jkeras.distribute.ClusterTaskMain"));
        cmd.addAll(Arrays.asList(t).subList(2, t.length));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment()
            .put("TF_CONFIG", cluster + "{\"type\": \"" + t[0] + "\", \"index\": " + t[1] + "}}");
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Path log = dir.resolve("ref-" + t[0] + t[1] + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        ps.add(pb.start());
      }
      for (int i = 0; i < tasks.length; i++) {
        Path log = dir.resolve("ref-" + tasks[i][0] + tasks[i][1] + ".log");
        // The ps ends on its own once both workers have reported.
        if (!ps.get(i).waitFor(120, TimeUnit.SECONDS) || ps.get(i).exitValue() != 0) {
          throw new AssertionError(
              "reference task "
                  + tasks[i][0]
                  + ":"
                  + tasks[i][1]
                  + " failed:\n"
                  + Files.readString(log));
        }
      }
    } finally {
      ps.forEach(Process::destroyForcibly);
    }
    String line = Files.readAllLines(dir.resolve("ref")).get(0);
    return Double.parseDouble(line.substring("loss ".length()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
