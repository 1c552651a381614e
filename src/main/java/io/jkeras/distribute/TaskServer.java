package io.jkeras.distribute;

import org.tensorflow.Server;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.ServerDef;

/**
 * The TensorFlow gRPC server of this process's cluster task: it runs the ops other tasks place on
 * this task (variables of a parameter server, a worker's share of a collective). TensorFlow cannot
 * stop such a server inside a running JVM, so there is one per process, started on first use and
 * serving until the JVM exits.
 *
 * <pre>{@code
 * TaskServer server = TaskServer.start(TfConfig.fromEnvironment());
 * if (server.config().taskType().equals("ps")) {
 *   server.join(); // a parameter server only serves
 * }
 * }</pre>
 */
public final class TaskServer {

  private static TaskServer running;

  private final TfConfig config;
  private final Server server;

  private TaskServer(TfConfig config, Server server) {
    this.config = config;
    this.server = server;
  }

  /**
   * Starts this process's server for {@code config}'s task, or returns the running one when it
   * serves the same task of the same cluster.
   */
  public static synchronized TaskServer start(TfConfig config) {
    if (running != null) {
      if (!running.config.equals(config)) {
        throw new IllegalStateException(
            "This JVM already serves task "
                + running.config.taskName()
                + " of cluster "
                + running.config.cluster()
                + "; a TensorFlow server cannot be stopped, so it cannot also serve "
                + config.taskName()
                + " of "
                + config.cluster());
      }
      return running;
    }
    ServerDef def =
        ServerDef.newBuilder()
            .setCluster(config.cluster().toClusterDef())
            .setJobName(config.taskType())
            .setTaskIndex(config.taskIndex())
            .setProtocol("grpc")
            // The collective executor of the server reads its group leader from here, not from
            // the sessions' configs: every task names the same leader.
            .setDefaultSessionConfig(
                ConfigProto.newBuilder()
                    .setAllowSoftPlacement(true)
                    .setExperimental(
                        ConfigProto.Experimental.newBuilder()
                            .setCollectiveGroupLeader(groupLeader(config.cluster()))))
            .build();
    Server server = new Server(def);
    server.start();
    running = new TaskServer(config, server);
    return running;
  }

  /** The task that resolves collective groups: chief 0, else worker 0, else the first task. */
  static String groupLeader(ClusterSpec cluster) {
    String job =
        cluster.hasJob("chief")
            ? "chief"
            : cluster.hasJob("worker") ? "worker" : cluster.jobs().get(0);
    return "/job:" + job + "/replica:0/task:0";
  }

  /** The running server of this JVM, or null. */
  public static synchronized TaskServer current() {
    return running;
  }

  /** The cluster and task this server was started for. */
  public TfConfig config() {
    return config;
  }

  /** The session target of this server: {@code grpc://} and this task's address. */
  public String target() {
    return "grpc://" + config.address();
  }

  /** Blocks while the server runs: for tasks that only serve (parameter servers). */
  public void join() {
    server.join();
  }
}
