package io.jkeras.distribute;

import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.Callback;
import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One task of a test cluster, run in a child JVM with TF_CONFIG set: {@code serve} (a server only),
 * {@code mirrored OUT EPOCHS} (a MultiWorkerMirroredStrategy replica that writes its final weights
 * to OUT), {@code mirrored-seeded OUT EPOCHS SEED} (the same from initializers seeded with SEED; it
 * also writes the weights it starts training from to OUT.initial).
 */
public final class ClusterTaskMain {

  private ClusterTaskMain() {}

  public static void main(String[] args) throws Exception {
    TfConfig config = TfConfig.fromEnvironment();
    switch (args[0]) {
      case "serve" -> TaskServer.start(config).join();
      case "mirrored" -> mirrored(config, Path.of(args[1]), Integer.parseInt(args[2]));
      case "mirrored-seeded" ->
          mirroredSeeded(
              config, Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
      case "mirrored-ckpt" ->
          mirroredWithCheckpoints(
              config, Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), args[4]);
      case "ps-train" ->
          parameterServer(
              config,
              Path.of(args[1]),
              Integer.parseInt(args[2]),
              args.length > 3 ? Integer.parseInt(args[3]) : SparseProblem.TABLE_ROWS);
      case "mirrored-sparse" ->
          mirroredSparse(
              config, Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
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

  private static void mirroredSeeded(TfConfig config, Path out, int epochs, long seed)
      throws Exception {
    var strategy = new MultiWorkerMirroredStrategy(config, Duration.ofSeconds(30));
    Model model;
    try (var scope = strategy.scope()) {
      model = TinyProblem.seededModel(seed);
    }
    Path initial = Path.of(out + ".initial");
    Callback recordStart =
        new Callback() {
          @Override
          public void onTrainBegin(TrainingRun run) {
            try {
              TinyProblem.writeWeights(run.model(), initial);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    int global = TinyProblem.GLOBAL_BATCH;
    model.fit(
        strategy.shard(TinyProblem.x(), global),
        strategy.shard(TinyProblem.y(), global),
        FitOptions.epochs(epochs)
            .batchSize(strategy.perReplicaBatchSize(global))
            .shuffle(false)
            .verbose(0)
            .callbacks(recordStart));
    TinyProblem.writeWeights(model, out);
    model.close();
  }

  /**
   * A replica that checkpoints through the chief and resumes from the last checkpoint; with {@code
   * die} = "die-after-epoch-1" it halts (as kill -9) when its first epoch ends.
   */
  private static void mirroredWithCheckpoints(
      TfConfig config, Path out, Path ckptDir, int epochs, String die) throws Exception {
    var strategy = new MultiWorkerMirroredStrategy(config, Duration.ofSeconds(10));
    Model model;
    try (var scope = strategy.scope()) {
      model = TinyProblem.model();
    }
    ChiefCheckpoint ckpt = new ChiefCheckpoint(strategy, ckptDir);
    int start = ckpt.restore(model);
    System.out.println("resuming at epoch " + start);
    Callback killer =
        new Callback() {
          @Override
          public void onEpochEnd(int epoch, Map<String, Double> logs) {
            if (die.equals("die-after-epoch-1") && epoch == 0) {
              Runtime.getRuntime().halt(137);
            }
          }
        };
    int global = TinyProblem.GLOBAL_BATCH;
    model.fit(
        strategy.shard(TinyProblem.x(), global),
        strategy.shard(TinyProblem.y(), global),
        FitOptions.epochs(epochs)
            .initialEpoch(start)
            .batchSize(strategy.perReplicaBatchSize(global))
            .shuffle(false)
            .verbose(0)
            .callbacks(ckpt, killer));
    TinyProblem.writeWeights(model, out);
    model.close();
  }

  /** A worker of ps + workers training the CTR-like problem; writes its figures to OUT. */
  private static void parameterServer(TfConfig config, Path out, int epochs, int rows)
      throws Exception {
    var strategy = new ParameterServerStrategy(config, Duration.ofSeconds(60));
    Model model;
    try (var scope = strategy.scope()) {
      model = SparseProblem.model(rows);
    }
    HostArray x = SparseProblem.x(rows);
    HostArray y = SparseProblem.y();
    double before = model.evaluate(x, y).get("loss");
    HostArray xs = strategy.shard(x);
    HostArray ys = strategy.shard(y);
    // One epoch first: graph building is not part of the rate.
    model.fit(xs, ys, FitOptions.epochs(1).batchSize(SparseProblem.BATCH).verbose(0));
    long start = System.nanoTime();
    model.fit(xs, ys, FitOptions.epochs(epochs).batchSize(SparseProblem.BATCH).verbose(0));
    double seconds = (System.nanoTime() - start) / 1e9;
    int steps = epochs * ((xs.count() + SparseProblem.BATCH - 1) / SparseProblem.BATCH);
    StepTraffic traffic = SparseProblem.measureStep(model, x, y);
    double after = model.evaluate(x, y).get("loss");
    List<String> lines = new ArrayList<>();
    lines.add("loss_before " + before);
    lines.add("loss_after " + after);
    lines.add("bytes " + traffic.bytes());
    lines.add("tensors " + traffic.tensors());
    lines.add("steps_per_s " + steps / seconds);
    lines.add("ps_bytes " + java.util.Arrays.toString(strategy.bytesPerParameterServer()));
    Files.write(out, lines);
    model.close();
  }

  /** A MultiWorkerMirroredStrategy replica on the sparse problem (global batch 2 x BATCH). */
  private static void mirroredSparse(TfConfig config, Path out, int epochs, int rows)
      throws Exception {
    var strategy = new MultiWorkerMirroredStrategy(config, Duration.ofSeconds(60));
    Model model;
    try (var scope = strategy.scope()) {
      model = SparseProblem.model(rows);
    }
    int global = SparseProblem.BATCH * strategy.numReplicasInSync();
    HostArray x = strategy.shard(SparseProblem.x(rows), global);
    HostArray y = strategy.shard(SparseProblem.y(), global);
    // One epoch first: graph building and the first collective are not part of the rate.
    model.fit(x, y, FitOptions.epochs(1).batchSize(SparseProblem.BATCH).verbose(0));
    long start = System.nanoTime();
    model.fit(x, y, FitOptions.epochs(epochs).batchSize(SparseProblem.BATCH).verbose(0));
    double seconds = (System.nanoTime() - start) / 1e9;
    int steps = epochs * ((x.count() + SparseProblem.BATCH - 1) / SparseProblem.BATCH);
    Files.write(out, List.of("steps_per_s " + steps / seconds));
    model.close();
  }
}
