package io.jkeras.distribute;

import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.Callback;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adagrad;
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
 * also writes the weights it starts training from to OUT.initial), {@code ps-until-done} (a ps task
 * that serves until its workers report), and the parameter-server workers of the tests and of
 * {@link DistributedBenchmark}.
 */
public final class ClusterTaskMain {

  private ClusterTaskMain() {}

  public static void main(String[] args) throws Exception {
    TfConfig config = TfConfig.fromEnvironment();
    switch (args[0]) {
      case "serve" -> TaskServer.start(config).join();
      case "ps-until-done" -> ParameterServerStrategy.serveUntilWorkersFinish(config);
      case "ps-table" ->
          tinyTable(config, Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
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
      case "ps-split" ->
          splitTable(
              config,
              Path.of(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]));
      case "ps-deepfm" ->
          deepFm(
              config,
              Path.of(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]));
      case "ps-large" ->
          largeTable(
              config, Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), args[4]);
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

  /**
   * Worker i of ps + 2 workers training {@link TinyTableProblem}'s partition i for {@code epochs}
   * epochs in order, worker 1 only after {@code worker1DelayMs}; the chief then waits for worker 1
   * to report the stage "fit" and writes the loss over all rows (OUT) and the weights
   * (OUT.weights), and every worker reports that it finished.
   */
  private static void tinyTable(TfConfig config, Path out, int epochs, long worker1DelayMs)
      throws Exception {
    io.jkeras.GlobalSeed.set(TinyTableProblem.SEED);
    var strategy = new ParameterServerStrategy(config, Duration.ofSeconds(30));
    int index = strategy.replicaIndex();
    if (index == 1) {
      Thread.sleep(worker1DelayMs);
    }
    Model model;
    try (var scope = strategy.scope()) {
      model = TinyTableProblem.model();
    }
    model.fit(
        HostArray.of(TinyTableProblem.ids(index)),
        HostArray.of(TinyTableProblem.labels(index)),
        FitOptions.epochs(epochs).batchSize(TinyTableProblem.BATCH).shuffle(false).verbose(0));
    strategy.reportFinished("fit");
    if (strategy.isChief()) {
      strategy.awaitOtherWorkers("fit");
      double loss =
          model
              .evaluate(
                  HostArray.of(TinyTableProblem.allIds()),
                  HostArray.of(TinyTableProblem.allLabels()))
              .get("loss");
      Files.write(out, List.of("loss " + loss));
      TinyProblem.writeWeights(model, Path.of(out + ".weights"));
    }
    model.close();
    strategy.reportFinished();
  }

  /**
   * A worker training the CTR-like problem with a table of {@code rows} x 8 in two row shards on
   * two ps tasks, in a JVM whose heap the test makes smaller than the table, checkpointed by the ps
   * tasks into CKPT (a {@link ChiefCheckpoint}). Phase "train" fits one epoch from the initial
   * values; phase "resume" (a new cluster) restores the checkpoint with a fit of no epoch, then
   * fits the second. Writes to OUT: the heap, the epoch it started at, the table rows of the first
   * two samples' ids (after restoring, and after training), the losses, and what reading the table
   * says once its model is closed.
   */
  private static void largeTable(TfConfig config, Path out, Path ckpt, int rows, String phase)
      throws Exception {
    var strategy =
        ParameterServerStrategy.builder(config)
            .operationTimeout(Duration.ofSeconds(120))
            .variablePartitioner(new FixedShardsPartitioner(2))
            .build();
    Model model;
    Model lookup;
    Embedding table = new Embedding(rows, SparseProblem.DIM);
    try (var scope = strategy.scope()) {
      KerasTensor in = Input.of("int32", SparseProblem.FIELDS);
      KerasTensor e = table.apply(in);
      model = new Model(in, new Dense(1, "sigmoid").apply(new Flatten().apply(e)));
      model.compile(new Adagrad(0.5), "binary_crossentropy");
      lookup = new Model(in, e);
    }
    ChiefCheckpoint checkpoint = new ChiefCheckpoint(strategy, ckpt);
    int start = checkpoint.restore(model);
    HostArray x = SparseProblem.x(rows);
    HostArray y = SparseProblem.y();
    HostArray firstTwo = HostArray.of(java.util.Arrays.copyOf(SparseProblem.ids(rows), 2));
    List<String> lines = new ArrayList<>();
    lines.add("heap " + Runtime.getRuntime().maxMemory());
    lines.add("start " + start);
    FitOptions options =
        FitOptions.epochs(start + 1)
            .initialEpoch(start)
            .batchSize(SparseProblem.BATCH)
            .shuffle(false)
            .verbose(0)
            .callbacks(checkpoint);
    if (phase.equals("resume")) {
      // No epoch left to run: the fit only restores the checkpoint.
      model.fit(
          x, y, FitOptions.epochs(start).initialEpoch(start).verbose(0).callbacks(checkpoint));
      lines.add("restored " + java.util.Arrays.toString(flat(lookup.predict(firstTwo))));
    }
    var history = model.fit(x, y, options);
    lines.add("loss " + history.get("loss").get(0));
    lines.add("trained " + java.util.Arrays.toString(flat(lookup.predict(firstTwo))));
    lookup.close();
    model.close();
    try {
      table.weights().get(0).read();
      lines.add("closed copied back");
    } catch (IllegalStateException expected) {
      lines.add("closed " + expected.getMessage());
    }
    Files.write(out, lines);
  }

  private static float[] flat(org.tensorflow.ndarray.FloatNdArray a) {
    float[] out = new float[Math.toIntExact(a.size())];
    a.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false));
    return out;
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

  /**
   * The only worker of ps tasks holding the table in {@code shards} row shards: trains the sparse
   * problem of {@code rows} rows from {@link SparseProblem#setInitialWeights} for {@code epochs}
   * epochs in order, writes OUT (figures), OUT.weights (each weight's floats) and OUT.keras, then
   * measures the bytes of a step with this table and with one of a tenth of the rows.
   */
  private static void splitTable(TfConfig config, Path out, int epochs, int rows, int shards)
      throws Exception {
    var strategy =
        ParameterServerStrategy.builder(config)
            .operationTimeout(Duration.ofSeconds(60))
            .variablePartitioner(new FixedShardsPartitioner(shards))
            .build();
    Model model;
    Model small;
    try (var scope = strategy.scope()) {
      model = SparseProblem.model(rows);
      small = SparseProblem.model(rows / 10);
    }
    SparseProblem.setInitialWeights(model, 7);
    HostArray x = SparseProblem.x(rows);
    HostArray y = SparseProblem.y();
    model.fit(
        x, y, FitOptions.epochs(epochs).batchSize(SparseProblem.BATCH).shuffle(false).verbose(0));
    try (var w = new java.io.DataOutputStream(Files.newOutputStream(Path.of(out + ".weights")))) {
      for (var weight : model.weights()) {
        for (float v : weight.read()) {
          w.writeFloat(v);
        }
      }
    }
    model.save(Path.of(out + ".keras"));
    String psBytes = java.util.Arrays.toString(strategy.bytesPerParameterServer());
    StepTraffic large = SparseProblem.measureSteps(model, x, y, 3);
    HostArray xTenth = SparseProblem.x(rows / 10);
    small.fit(xTenth, y, FitOptions.epochs(1).batchSize(SparseProblem.BATCH).verbose(0));
    StepTraffic tenth = SparseProblem.measureSteps(small, xTenth, y, 3);
    Files.write(
        out,
        List.of(
            "ps_bytes " + psBytes.substring(1, psBytes.length() - 1).replace(" ", ""),
            "bytes " + large.bytes(),
            "tensors " + large.tensors(),
            "bytes_tenth " + tenth.bytes(),
            "tensors_tenth " + tenth.tensors()));
    small.close();
    model.close();
  }

  /**
   * A worker training a DeepFM (8 hashed fields into one table of {@code rows} rows, 8 wide; MLP
   * 64-32; Adagrad; batch 64) on ps tasks, the tables in {@code shards} row shards (1: whole);
   * writes steps/s over {@code steps} timed steps, the bytes of a traced step and the ps bytes.
   */
  private static void deepFm(TfConfig config, Path out, int rows, int shards, int steps)
      throws Exception {
    var builder = ParameterServerStrategy.builder(config).operationTimeout(Duration.ofSeconds(300));
    if (shards > 1) {
      builder.variablePartitioner(new FixedShardsPartitioner(shards));
    }
    var strategy = builder.build();
    int fields = 8;
    int batch = SparseProblem.BATCH;
    Model model;
    try (var scope = strategy.scope()) {
      model =
          io.jkeras.ctr.CtrModels.builder(
                  "deepfm", io.jkeras.data.Features.oneHot(fields, rows, SparseProblem.DIM))
              .hidden(64, 32)
              .build();
      model.compile(new io.jkeras.optimizers.Adagrad(0.05), "binary_crossentropy");
    }
    int n = batch * steps;
    int[][] ids = new int[n][fields];
    float[] labels = new float[n];
    long seed = 0x9E3779B97F4A7C15L * (strategy.replicaIndex() + 1);
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < fields; f++) {
        seed = seed * 6364136223846793005L + 1442695040888963407L;
        ids[i][f] = (int) Math.floorMod(seed >>> 17, (long) rows);
      }
      labels[i] = (ids[i][0] + ids[i][1]) % 4 == 0 ? 1f : 0f;
    }
    HostArray x = HostArray.of(ids);
    HostArray y = HostArray.of(labels);
    // A few steps first: graph building (and the tables' initial values) are not part of the rate.
    long first = System.nanoTime();
    model.fit(
        HostArray.of(java.util.Arrays.copyOf(ids, 4 * batch)),
        HostArray.of(java.util.Arrays.copyOf(labels, 4 * batch)),
        FitOptions.epochs(1).batchSize(batch).verbose(0));
    double firstSeconds = (System.nanoTime() - first) / 1e9;
    long start = System.nanoTime();
    model.fit(x, y, FitOptions.epochs(1).batchSize(batch).verbose(0));
    double seconds = (System.nanoTime() - start) / 1e9;
    StepTraffic traffic = SparseProblem.measureSteps(model, x, y, 3);
    String psBytes = java.util.Arrays.toString(strategy.bytesPerParameterServer());
    Files.write(
        out,
        List.of(
            "steps_per_s " + steps / seconds,
            "first_fit_s " + firstSeconds,
            "heap " + Runtime.getRuntime().maxMemory(),
            "bytes " + traffic.bytes(),
            "tensors " + traffic.tensors(),
            "ps_bytes " + psBytes.substring(1, psBytes.length() - 1).replace(" ", "")));
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
