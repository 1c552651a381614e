package io.jkeras.distribute;

import io.jkeras.backend.HostArray;
import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the sparse CTR-like problem (Embedding of 4 ids, 8 wide, into a Dense sigmoid; Adagrad;
 * batch 64 per worker) in one process, as 2 MultiWorkerMirroredStrategy workers, and as ps + 2
 * ParameterServerStrategy workers, all on loopback, and prints steps/s side by side; then the bytes
 * one ps-strategy step sends between tasks for tables of 10^6 and 10^7 rows. Started by
 * benchmarks/distributed.
 */
public final class DistributedBenchmark {

  private DistributedBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = 100_000;
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path dir = Files.createTempDirectory("jkeras-distributed-bench");
    System.out.printf(
        "sparse problem: %d samples, table %d x %d, batch %d per worker, %d timed epochs%n",
        SparseProblem.SAMPLES, rows, SparseProblem.DIM, SparseProblem.BATCH, epochs);

    double single = singleProcess(rows, epochs);
    System.out.printf(
        "1 process:              %8.1f steps/s  %8.0f samples/s%n",
        single, single * SparseProblem.BATCH);

    double[] mirrored = new double[2];
    try (LocalCluster c = new LocalCluster(dir, Map.of("worker", 2)).heap("1g")) {
      Process[] p = new Process[2];
      for (int i = 0; i < 2; i++) {
        p[i] =
            c.start(
                "worker",
                i,
                "mirrored-sparse",
                dir.resolve("m" + i).toString(),
                "" + epochs,
                "" + rows);
      }
      for (int i = 0; i < 2; i++) {
        check(c, p[i]);
        mirrored[i] = Double.parseDouble(figures(dir.resolve("m" + i)).get("steps_per_s"));
      }
    }
    System.out.printf(
        "2 workers (mirrored):   %8.1f steps/s  %8.0f samples/s (global batch %d)%n",
        mirrored[0], mirrored[0] * 2 * SparseProblem.BATCH, 2 * SparseProblem.BATCH);

    Map<String, String>[] ps = psRun(dir, "p", 2, rows, epochs);
    double psSteps = 0;
    for (Map<String, String> f : ps) {
      psSteps += Double.parseDouble(f.get("steps_per_s"));
    }
    System.out.printf(
        "ps + 2 workers (async): %8.1f steps/s  %8.0f samples/s (sum over workers)%n",
        psSteps, psSteps * SparseProblem.BATCH);

    for (int tableRows : new int[] {1_000_000, 10_000_000}) {
      Map<String, String> f = psRun(dir, "t" + tableRows, 1, tableRows, 1)[0];
      long tableBytes = 4L * tableRows * SparseProblem.DIM;
      System.out.printf(
          "ps step bytes, table %,d rows (%,d bytes): %,d bytes in %s tensors (%.5f%% of the"
              + " table)%n",
          tableRows,
          tableBytes,
          Long.parseLong(f.get("bytes")),
          f.get("tensors"),
          100.0 * Long.parseLong(f.get("bytes")) / tableBytes);
    }
  }

  private static double singleProcess(int rows, int epochs) {
    try (Model m = SparseProblem.model(rows)) {
      HostArray x = SparseProblem.x(rows);
      HostArray y = SparseProblem.y();
      m.fit(x, y, FitOptions.epochs(1).batchSize(SparseProblem.BATCH).verbose(0));
      long start = System.nanoTime();
      m.fit(x, y, FitOptions.epochs(epochs).batchSize(SparseProblem.BATCH).verbose(0));
      double seconds = (System.nanoTime() - start) / 1e9;
      return epochs * ((x.count() + SparseProblem.BATCH - 1) / SparseProblem.BATCH) / seconds;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String>[] psRun(
      Path dir, String tag, int workers, int rows, int epochs) throws Exception {
    Map<String, Integer> jobs = new LinkedHashMap<>();
    jobs.put("ps", 1);
    jobs.put("worker", workers);
    Map<String, String>[] out = new Map[workers];
    try (LocalCluster c = new LocalCluster(dir, jobs).heap("2g")) {
      c.start("ps", 0, "serve");
      Process[] p = new Process[workers];
      for (int i = 0; i < workers; i++) {
        p[i] =
            c.start(
                "worker", i, "ps-train", dir.resolve(tag + i).toString(), "" + epochs, "" + rows);
      }
      for (int i = 0; i < workers; i++) {
        check(c, p[i]);
        out[i] = figures(dir.resolve(tag + i));
      }
    }
    return out;
  }

  private static void check(LocalCluster c, Process p) throws Exception {
    if (c.await(p, 900) != 0) {
      throw new IllegalStateException("a task failed:\n" + c.allLogs());
    }
  }

  private static Map<String, String> figures(Path file) throws Exception {
    return ParameterServerStrategyTest.figures(file);
  }
}
