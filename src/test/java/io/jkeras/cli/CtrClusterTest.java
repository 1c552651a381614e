package io.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.data.SyntheticClicks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jkeras ctr --strategy}: the same CTR job as one process, as two mirrored workers and as a
 * parameter server with two workers (each task its own JVM on loopback, configured by TF_CONFIG
 * exactly as a user would), reaching the single-process test AUC.
 */
class CtrClusterTest {

  @TempDir static Path dir;
  static Path train;
  static Path test;

  @BeforeAll
  static void data() {
    int[] vocab = {40, 40, 40, 40, 40, 40, 40, 40};
    train = dir.resolve("train.libfm");
    test = dir.resolve("test.libfm");
    SyntheticClicks.builder().rows(40_000).seed(2).vocabularySizes(vocab).build().writeLibfm(train);
    SyntheticClicks.builder()
        .rows(20_000)
        .firstRow(40_000)
        .seed(2)
        .vocabularySizes(vocab)
        .build()
        .writeLibfm(test);
  }

  private static List<String> job(Path out) {
    return List.of(
        "ctr",
        "--train",
        train.toString(),
        "--test",
        test.toString(),
        "--models",
        "fm",
        "--emb",
        "4",
        "--epochs",
        "8",
        "--batch-size",
        "512",
        "--learning-rate",
        "0.01",
        "--verbose",
        "0",
        "--out",
        out.toString());
  }

  private static double testAuc(Path results) throws IOException {
    Matcher m = Pattern.compile("\"test_auc\": ([0-9.]+)").matcher(Files.readString(results));
    assertTrue(m.find(), Files.readString(results));
    return Double.parseDouble(m.group(1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs one task of {@code cluster} per entry of {@code tasks} ("worker:0", "ps:0", ...). */
  private static List<Process> startCluster(
      String strategy,
      Map<String, List<String>> cluster,
      List<String> tasks,
      Path out,
      String... options)
      throws IOException {
    StringBuilder spec = new StringBuilder("{");
    cluster.forEach(
        (job, addresses) -> {
          spec.append(spec.length() > 1 ? ", " : "").append('"').append(job).append("\": [");
          for (int i = 0; i < addresses.size(); i++) {
            spec.append(i == 0 ? "" : ", ").append('"').append(addresses.get(i)).append('"');
          }
          spec.append(']');
        });
    spec.append('}');
    List<Process> processes = new ArrayList<>();
    for (String task : tasks) {
      String[] t = task.split(":");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx512m");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(Main.class.getName());
      cmd.addAll(job(out));
      cmd.add("--strategy");
      cmd.add(strategy);
      cmd.addAll(List.of(options));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment()
          .put(
              "TF_CONFIG",
              "{\"cluster\": "
                  + spec
                  + ", \"task\": {\"type\": \""
                  + t[0]
                  + "\", \"index\": "
                  + t[1]
                  + "}}");
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      pb.redirectErrorStream(true)
          .redirectOutput(dir.resolve(strategy + "-" + task.replace(':', '-') + ".log").toFile());
      processes.add(pb.start());
    }
    return processes;
  }

  private static void awaitAll(List<Process> processes, String strategy) throws Exception {
    try {
      for (Process p : processes) {
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
          throw new AssertionError(strategy + ": a task did not finish; logs:\n" + logs(strategy));
        }
        assertEquals(0, p.exitValue(), strategy + " logs:\n" + logs(strategy));
      }
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
  }

  private static String logs(String strategy) throws IOException {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(strategy)).toList()) {
        b.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    }
    return b.toString();
  }

  @Test
  void bothStrategiesReachTheSingleProcessAuc() throws Exception {
    Path single = dir.resolve("single");
    assertEquals(0, Main.run(job(single).toArray(String[]::new)));
    double alone = testAuc(single.resolve("results.json"));
    assertTrue(alone > 0.7, "the synthetic labels carry signal: " + alone);

    Path mirroredOut = dir.resolve("mirrored");
    List<String> workers = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
    awaitAll(
        startCluster(
            "multi_worker_mirrored",
            Map.of("worker", workers),
            List.of("worker:0", "worker:1"),
            mirroredOut),
        "multi_worker_mirrored");
    double mirrored = testAuc(mirroredOut.resolve("results.json"));
    assertEquals(alone, mirrored, 0.01, "mirrored vs one process");

    Path psOut = dir.resolve("ps");
    Map<String, List<String>> psCluster = new java.util.LinkedHashMap<>();
    psCluster.put("ps", List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort()));
    psCluster.put("worker", List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort()));
    // The tables split over the two ps tasks (shards of at least 4 KB: 2 each).
    awaitAll(
        startCluster(
            "parameter_server",
            psCluster,
            List.of("ps:0", "ps:1", "worker:0", "worker:1"),
            psOut,
            "--min-shard-bytes",
            "4096"),
        "parameter_server");
    double ps = testAuc(psOut.resolve("results.json"));
    System.out.printf(
        "CtrClusterTest test AUC: one process %.4f, 2 mirrored workers %.4f, ps + 2 workers %.4f%n",
        alone, mirrored, ps);
    assertEquals(alone, ps, 0.01, "parameter server vs one process");
    assertTrue(
        logs("parameter_server").contains("every worker has finished"),
        "the ps task ended after the workers reported");
    // Only the chief (worker 0) wrote outputs; worker 1 said so.
    assertFalse(Files.exists(psOut.resolve("worker-1")));
    assertTrue(logs("parameter_server").contains("not the chief"));
    assertTrue(
        java.util.regex.Pattern.compile(
                "embeddings \\[\\d+, \\d+\\] in 2 row shards on the ps tasks")
            .matcher(logs("parameter_server"))
            .find(),
        logs("parameter_server"));
  }
}
