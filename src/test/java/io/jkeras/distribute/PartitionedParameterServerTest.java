package io.jkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table split into two row shards on two ps tasks (each a JVM of its own), trained by one worker:
 * with one worker the asynchronous updates are the synchronous ones, so the result must equal a
 * single-process run on the same data in the same order.
 */
class PartitionedParameterServerTest {

  @TempDir Path dir;

  @Test
  void aTableInTwoShardsOnTwoParameterServersTrainsAsInOneProcess() throws Exception {
    int rows = SparseProblem.TABLE_ROWS;
    int epochs = 2;
    Map<String, Integer> jobs = new LinkedHashMap<>();
    jobs.put("ps", 2);
    jobs.put("worker", 1);
    Path out = dir.resolve("w0");
    try (LocalCluster cluster = new LocalCluster(dir, jobs)) {
      cluster.start("ps", 0, "serve");
      cluster.start("ps", 1, "serve");
      Process w =
          cluster.start("worker", 0, "ps-split", out.toString(), "" + epochs, "" + rows, "2");
      assertEquals(0, cluster.await(w, 300), cluster.allLogs());
    }
    Map<String, String> f = ParameterServerStrategyTest.figures(out);
    System.out.println("split table " + f);

    // The same training in this process, the table whole.
    float[] expected;
    try (Model m = SparseProblem.model(rows)) {
      SparseProblem.setInitialWeights(m, 7);
      HostArray x = SparseProblem.x(rows);
      m.fit(
          x,
          SparseProblem.y(),
          FitOptions.epochs(epochs).batchSize(SparseProblem.BATCH).shuffle(false).verbose(0));
      expected = flatWeights(m);
    }
    float[] trained = new float[expected.length];
    try (DataInputStream in =
        new DataInputStream(Files.newInputStream(Path.of(out + ".weights")))) {
      for (int i = 0; i < trained.length; i++) {
        trained[i] = in.readFloat();
      }
      assertEquals(-1, in.read(), "more weights than the model has");
    }
    int changed = 0;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], trained[i], 1e-5, "weight value " + i);
      changed += expected[i] != 0 && Math.abs(expected[i]) > 0.05 ? 1 : 0;
    }
    assertTrue(changed > 100, "training moved " + changed + " values past the initial range");

    // The saved file holds one table of the full shape with the joined values.
    try (Model loaded = Model.load(Path.of(out + ".keras"))) {
      Weight table = loaded.weights().get(0);
      assertArrayEquals(
          new long[] {rows, SparseProblem.DIM}, table.shape().asArray(), table.toString());
      assertArrayEquals(trained, flatWeights(loaded));
    }

    // Each ps holds half the table and half its Adagrad accumulator (one also the Dense layer).
    long tableAndSlot = 2L * 4 * rows * SparseProblem.DIM;
    String[] ps = f.get("ps_bytes").split(",");
    assertEquals(2, ps.length);
    for (String b : ps) {
      long bytes = Long.parseLong(b);
      assertTrue(
          bytes >= tableAndSlot / 2 && bytes < tableAndSlot / 2 + 4096,
          "ps bytes " + f.get("ps_bytes") + " for table and slot of " + tableAndSlot);
    }

    // A step moves rows, not shards: the same bytes for a table of a tenth of the rows.
    long bytes = Long.parseLong(f.get("bytes"));
    long tenth = Long.parseLong(f.get("bytes_tenth"));
    long rowBytes = 4L * SparseProblem.BATCH * SparseProblem.FIELDS * SparseProblem.DIM;
    assertTrue(bytes >= rowBytes && tenth >= rowBytes, f.toString());
    assertTrue(bytes < 4L * rows * SparseProblem.DIM / 50, f.toString());
    assertTrue(bytes <= tenth * 3 / 2 && tenth <= bytes * 3 / 2, f.toString());
  }

  @Test
  void aTableLargerThanTheWorkersHeapTrainsAndTheParameterServersCheckpointIt() throws Exception {
    int rows = 6_000_000; // 6M x 8 floats: a 192 MB table for a worker with a 96 MB heap
    long tableBytes = 4L * rows * SparseProblem.DIM;
    Path ckpt = dir.resolve("ckpt");
    Path trained = dir.resolve("train.txt");
    Path resumed = dir.resolve("resume.txt");
    for (Path out : List.of(trained, resumed)) {
      Map<String, Integer> jobs = new LinkedHashMap<>();
      jobs.put("ps", 2);
      jobs.put("worker", 1);
      // A new cluster each time: the second one's ps tasks start empty.
      try (LocalCluster cluster = new LocalCluster(dir, jobs)) {
        cluster.start("ps", 0, "serve");
        cluster.start("ps", 1, "serve");
        String phase = out == trained ? "train" : "resume";
        Process w =
            cluster
                .heap("96m")
                .start("worker", 0, "ps-large", out.toString(), ckpt.toString(), "" + rows, phase);
        assertEquals(0, cluster.await(w, 300), cluster.allLogs());
      }
    }
    Map<String, String> a = ParameterServerStrategyTest.figures(trained);
    Map<String, String> b = ParameterServerStrategyTest.figures(resumed);
    System.out.println("large table: " + a + " then " + b);
    assertTrue(Long.parseLong(a.get("heap")) < tableBytes, a.get("heap"));
    assertEquals("0", a.get("start"));
    assertEquals("1", b.get("start"));
    // The new cluster's ps tasks read back exactly the rows the first run trained.
    assertEquals(a.get("trained"), b.get("restored"));
    assertTrue(Double.parseDouble(b.get("loss")) < Double.parseDouble(a.get("loss")), a + " " + b);
    assertTrue(
        a.get("closed").contains("stayed in row shards on the parameter servers"), a.get("closed"));
    // Each ps task wrote its half of the table and of the Adagrad accumulator; only the last
    // checkpoint is kept.
    try (var listed = Files.list(ckpt)) {
      assertEquals(
          List.of("checkpoint.epoch", "variables-2"),
          listed.map(p -> p.getFileName().toString()).sorted().toList());
    }
    for (int task = 0; task < 2; task++) {
      long bytes = 0;
      try (var files = Files.list(ckpt.resolve("variables-2"))) {
        for (Path f : files.toList()) {
          if (f.getFileName().toString().startsWith("job_ps_replica_0_task_" + task + ".data")) {
            bytes += Files.size(f);
          }
        }
      }
      assertTrue(bytes >= tableBytes && bytes < tableBytes + 4096, "ps " + task + ": " + bytes);
    }
  }

  private static float[] flatWeights(Model m) {
    int n = 0;
    for (Weight w : m.weights()) {
      n += (int) w.size();
    }
    float[] out = new float[n];
    int at = 0;
    for (Weight w : m.weights()) {
      float[] v = w.read();
      System.arraycopy(v, 0, out, at, v.length);
      at += v.length;
    }
    return out;
  }
}
