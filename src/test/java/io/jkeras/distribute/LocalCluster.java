package io.jkeras.distribute;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Child JVMs on loopback ports that run the tasks of a test cluster; closing kills them all. */
final class LocalCluster implements AutoCloseable {

  private final Map<String, List<String>> jobs = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private final Path logs;
  private String heap = "-Xmx256m";

  LocalCluster(Path logs, Map<String, Integer> tasksPerJob) throws IOException {
    this.logs = logs;
    for (Map.Entry<String, Integer> e : tasksPerJob.entrySet()) {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < e.getValue(); i++) {
        addresses.add("127.0.0.1:" + freePort());
      }
      jobs.put(e.getKey(), addresses);
    }
  }

  /** The maximum heap of the task JVMs started from now on, for example "2g". */
  LocalCluster heap(String size) {
    this.heap = "-Xmx" + size;
    return this;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String tfConfig(String type, int index) {
    StringBuilder b = new StringBuilder("{\"cluster\": {");
    boolean first = true;
    for (Map.Entry<String, List<String>> e : jobs.entrySet()) {
      b.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": [");
      for (int i = 0; i < e.getValue().size(); i++) {
        b.append(i == 0 ? "" : ", ").append('"').append(e.getValue().get(i)).append('"');
      }
      b.append(']');
      first = false;
    }
    return b.append("}, \"task\": {\"type\": \"")
        .append(type)
        .append("\", \"index\": ")
        .append(index)
        .append("}}")
        .toString();
  }

  TfConfig config(String type, int index) {
    return TfConfig.parse(tfConfig(type, index));
  }

  /** Starts task {@code type:index} running {@link ClusterTaskMain} with {@code args}. */
  Process start(String type, int index, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ClusterTaskMain.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("TF_CONFIG", tfConfig(type, index));
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Path log = logs.resolve(type + "-" + index + "-" + processes.size() + ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** Waits at most {@code seconds} for {@code p}; returns its exit code, or fails with its log. */
  int await(Process p, int seconds) throws Exception {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("task did not finish in " + seconds + " s; logs:\n" + allLogs());
    }
    return p.exitValue();
  }

  String allLogs() throws IOException {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        b.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
