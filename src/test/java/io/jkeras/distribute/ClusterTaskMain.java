package io.jkeras.distribute;

import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One task of a test cluster, run in a child JVM with TF_CONFIG set: {@code serve} (a server only),
 * {@code mirrored OUT EPOCHS} (a MultiWorkerMirroredStrategy replica that writes its final weights
 * to OUT).
 */
public final class ClusterTaskMain {

  private ClusterTaskMain() {}

  public static void main(String[] args) throws Exception {
    TfConfig config = TfConfig.fromEnvironment();
    switch (args[0]) {
      case "serve" -> TaskServer.start(config).join();
      case "mirrored" -> mirrored(config, Path.of(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.exit(0);
  }

  private static void mirrored(TfConfig config, Path out, int epochs) throws Exception {
    var strategy = new MultiWorkerMirroredStrategy(config, Duration.ofSeconds(30));
    Model model;
    try (var scope = strategy.scope()) {
      model = TinyProblem.model();
    }
    int global = TinyProblem.GLOBAL_BATCH;
    long start = System.nanoTime();
    model.fit(
        strategy.shard(TinyProblem.x(), global),
        strategy.shard(TinyProblem.y(), global),
        FitOptions.epochs(epochs)
            .batchSize(strategy.perReplicaBatchSize(global))
            .shuffle(false)
            .verbose(0));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.println("steps/s " + epochs * (TinyProblem.ROWS / global) / seconds);
    TinyProblem.writeWeights(model, out);
    model.close();
  }
}
