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
 * ParameterServerStrategy workers, all on loopback, and prints steps/s side by side; then, for a
 * DeepFM with a hashed table of 10^6 and of 10^7 rows trained by 2 workers, the bytes one step
 * sends between tasks and the summed steps/s with 1 ps (tables whole) and with 2 ps (tables in 2
 * row shards), and a table of 10^8 rows (3.6 GB with its linear table) in 2 row shards trained by
 * workers with 512 MB heaps. Started by benchmarks/distributed.
 */
public final class DistributedBenchmark {

  private DistributedBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = 100_000;
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
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

    System.out.println(
        "DeepFM (8 hashed fields, one table of R rows x 8 plus its 1-wide linear table, MLP 64-32,"
            + " Adagrad, batch 64 per worker), 2 workers:");
    for (int tableRows : new int[] {1_000_000, 10_000_000, 100_000_000}) {
      for (int servers : new int[] {1, 2}) {
        if (tableRows > 10_000_000 && servers == 1) {
          continue; // whole, the table is generated on the worker heap: split only
        }
        Map<String, String>[] f = deepFmRun(dir, servers, tableRows, steps);
        long tableBytes = 4L * tableRows * (SparseProblem.DIM + 1);
        double rate = 0;
        long bytes = 0;
        for (Map<String, String> w : f) {
          rate += Double.parseDouble(w.get("steps_per_s"));
          bytes = Math.max(bytes, Long.parseLong(w.get("bytes")));
        }
        System.out.printf(
            "  R=%,d (%,d table bytes), %d ps%s: %,d bytes per step in %s tensors (%.5f%% of the"
                + " tables), %.1f steps/s summed over workers, ps bytes [%s], worker heap %d MB,"
                + " first fit (graph, initial values, 4 steps) %.1f s%n",
            tableRows,
            tableBytes,
            servers,
            servers == 1 ? " (whole)     " : " (2 row shards)",
            bytes,
            f[0].get("tensors"),
            100.0 * bytes / tableBytes,
            rate,
            f[0].get("ps_bytes"),
            Long.parseLong(f[0].get("heap")) >> 20,
            Double.parseDouble(f[0].get("first_fit_s")));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String>[] deepFmRun(Path dir, int ps, int rows, int steps)
      throws Exception {
    Map<String, Integer> jobs = new LinkedHashMap<>();
    jobs.put("ps", ps);
    jobs.put("worker", 2);
    Map<String, String>[] out = new Map[2];
    String tag = "deepfm-" + rows + "-" + ps + "-";
    // A whole table is generated on the worker heap; a split one is streamed into its shards.
    try (LocalCluster c = new LocalCluster(dir, jobs).heap(ps == 1 ? "3g" : "512m")) {
      for (int i = 0; i < ps; i++) {
        c.start("ps", i, "serve");
      }
      Process[] p = new Process[2];
      for (int i = 0; i < 2; i++) {
        p[i] =
            c.start(
                "worker",
                i,
                "ps-deepfm",
                dir.resolve(tag + i).toString(),
                "" + rows,
                "" + ps,
                "" + steps);
      }
      for (int i = 0; i < 2; i++) {
        check(c, p[i]);
        out[i] = figures(dir.resolve(tag + i));
      }
    }
    return out;
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
