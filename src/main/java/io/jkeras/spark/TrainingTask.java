package io.jkeras.spark;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.distribute.ClusterSpec;
import io.jkeras.distribute.MultiWorkerMirroredStrategy;
import io.jkeras.distribute.ParameterServerStrategy;
import io.jkeras.distribute.Partitioner;
import io.jkeras.distribute.Strategy;
import io.jkeras.distribute.TfConfig;
import io.jkeras.io.AtomicFile;
import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One TensorFlow task of a {@link SparkTrainer} run, in a JVM of its own that the barrier task
 * started. A worker reads its {@link Spec} (cluster, rows, model factory, fit settings), starts its
 * TensorFlow server and its strategy ({@link MultiWorkerMirroredStrategy}, or {@link
 * ParameterServerStrategy} when the cluster has ps tasks), builds the model in the strategy's
 * scope, fits on its rows and writes its {@link Outcome} (history; on the chief also the {@code
 * .keras} file). A ps task serves until every worker has reported that it finished.
 *
 * <p>Usage: {@code TrainingTask SPEC_FILE OUTCOME_FILE} for a worker, {@code TrainingTask ps} for a
 * ps task (its task read from {@code TF_CONFIG}). Exit code 0 when the outcome is written (the ps:
 * when the workers are done), 1 on any failure (with the stack trace on standard error), 3 when its
 * parent (the Spark executor) went away, which it notices as the end of its standard input.
 */
final class TrainingTask {

  /** Exit code when the executor that started this task closed its end of standard input. */
  static final int ORPHANED = 3;

  private TrainingTask() {}

  /**
   * What a worker needs: the addresses of all workers (worker 0 is the chief) and of the ps tasks
   * (none: mirrored training), its index, the tables' partitioner (ps only, may be null), the seed
   * every worker builds its model with, the model factory, the fit settings (the batch size is
   * global when mirrored, per worker with ps tasks) and its rows: features as {@code float[][]} or
   * {@code int[][]}, labels as {@code float[][]} ({@code scalarLabels}: one column fed as a
   * vector), and how many rows of the other partitions were left out.
   */
  record Spec(
      List<String> workers,
      List<String> parameterServers,
      int index,
      Partitioner partitioner,
      long seed,
      ModelFactory factory,
      int epochs,
      int batchSize,
      boolean shuffle,
      Duration operationTimeout,
      Object x,
      float[][] y,
      boolean scalarLabels,
      int droppedRows)
      implements Serializable {

    TfConfig config() {
      ClusterSpec.Builder cluster = ClusterSpec.builder().job("worker", workers);
      if (!parameterServers.isEmpty()) {
        cluster.job("ps", parameterServers);
      }
      return new TfConfig(cluster.build(), "worker", index);
    }
  }

  /**
   * What a worker returns: its index, its history, from the chief the trained model, the rows it
   * trained on and the rows left out of the run.
   */
  record Outcome(
      int index,
      LinkedHashMap<String, ArrayList<Double>> history,
      byte[] kerasFile,
      int rows,
      int droppedRows)
      implements Serializable {}

  /**
   * Runs the worker of {@code args[0]} and writes its outcome to {@code args[1]}, or with {@code
   * args[0]} = {@code "ps"} serves as the ps task {@code TF_CONFIG} names until the workers finish.
   *
   * @param args the spec file and the outcome file, or {@code "ps"}
   */
  public static void main(String[] args) {
    exitWithParent();
    try {
      if (args[0].equals("ps")) {
        ParameterServerStrategy.serveUntilWorkersFinish(TfConfig.fromEnvironment());
        // The server cannot be stopped; it ends with the JVM.
        System.exit(0);
      }
      Spec spec = read(Path.of(args[0]), Spec.class);
      Outcome outcome = run(spec, Path.of(args[1]).resolveSibling("model.keras"));
      write(Path.of(args[1]), outcome);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    // The TensorFlow server cannot be stopped; its threads end with the JVM.
    System.exit(0);
  }

  private static Outcome run(Spec spec, Path kerasFile) throws IOException {
    GlobalSeed.set(spec.seed());
    boolean ps = !spec.parameterServers().isEmpty();
    Strategy strategy =
        ps
            ? ParameterServerStrategy.builder(spec.config())
                .operationTimeout(spec.operationTimeout())
                .variablePartitioner(spec.partitioner())
                .build()
            : new MultiWorkerMirroredStrategy(spec.config(), spec.operationTimeout());
    // With ps tasks every worker steps on its own: the batch size is each worker's.
    int batchSize =
        strategy instanceof MultiWorkerMirroredStrategy m
            ? m.perReplicaBatchSize(spec.batchSize())
            : spec.batchSize();
    Model model;
    Outcome outcome;
    try (var scope = strategy.scope()) {
      model = spec.factory().build();
    }
    try {
      HostArray x =
          spec.x() instanceof int[][] ints
              ? HostArray.of(ints)
              : HostArray.of((float[][]) spec.x());
      HostArray y = spec.scalarLabels() ? HostArray.of(column(spec.y())) : HostArray.of(spec.y());
      History history =
          model.fit(
              x,
              y,
              FitOptions.epochs(spec.epochs())
                  .batchSize(batchSize)
                  .shuffle(spec.shuffle())
                  .verbose(0));
      LinkedHashMap<String, ArrayList<Double>> logs = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> e : history.history().entrySet()) {
        logs.put(e.getKey(), new ArrayList<>(e.getValue()));
      }
      byte[] keras = null;
      if (strategy.isChief()) {
        if (strategy instanceof ParameterServerStrategy p) {
          // The variables on the ps tasks hold every worker's updates once all have finished.
          p.awaitOtherWorkers();
        }
        model.save(kerasFile);
        keras = Files.readAllBytes(kerasFile);
      }
      outcome = new Outcome(spec.index(), logs, keras, spec.y().length, spec.droppedRows());
    } finally {
      model.close();
    }
    if (strategy instanceof ParameterServerStrategy p) {
      // Last: the chief has read the variables above, and the ps tasks exit once all reported.
      p.reportFinished();
    }
    return outcome;
  }

  private static float[] column(float[][] y) {
    float[] out = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i][0];
    }
    return out;
  }

  /** Halts this JVM when standard input ends: the executor that started it is gone. */
  private static void exitWithParent() {
    Thread watch =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                while (in.read() >= 0) {
                  // The parent never writes; reading only waits for the end of the stream.
                }
              } catch (IOException e) {
                // A broken pipe means the same as the end of the stream.
              }
              Runtime.getRuntime().halt(ORPHANED);
            },
            "jkeras-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  static <T> T read(Path file, Class<T> type) throws IOException {
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
      return type.cast(in.readObject());
    } catch (ClassNotFoundException e) {
      throw new IOException(file + ": class " + e.getMessage() + " is not on the class path", e);
    }
  }

  static void write(Path file, Serializable value) throws IOException {
    AtomicFile.write(
        file,
        tmp -> {
          try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(tmp))) {
            out.writeObject(value);
          }
        });
  }
}
