package io.jkeras.distribute;

import io.jkeras.callbacks.Callback;
import io.jkeras.io.AtomicFile;
import io.jkeras.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * Fault tolerance of a distributed run, as Keras's {@code BackupAndRestore}: the chief writes the
 * model's weights and optimizer state at the end of every epoch (to a folder every task can read),
 * and a restarted task restores them and continues from the next epoch.
 *
 * <p>A model with a lookup table split into row shards (the parameter-server strategy with a
 * variable partitioner) is checkpointed where its variables live: at the chief's request every ps
 * task writes its own variables as a TensorFlow checkpoint bundle into {@code
 * dir/variables-<epoch>} (so a table larger than one machine's memory never passes through one),
 * and the chief restores them when {@code fit} starts. The folder must then be writable by the ps
 * tasks too.
 *
 * <pre>{@code
 * ChiefCheckpoint ckpt = new ChiefCheckpoint(strategy, Path.of("/shared/run1"));
 * int start = ckpt.restore(model); // 0 on a fresh run
 * model.fit(x, y, FitOptions.epochs(10).initialEpoch(start).callbacks(ckpt));
 * }</pre>
 */
public final class ChiefCheckpoint implements Callback {

  private static final String WEIGHTS = "checkpoint.weights.h5";
  private static final String EPOCH = "checkpoint.epoch";
  private static final String VARIABLES = "variables-";

  private final boolean chief;
  private final Path dir;
  private Model model;
  private ShardedCheckpoint sharded;
  private Path pendingRestore;

  /**
   * A checkpoint callback that writes to {@code dir} on the chief and only reads on the other
   * tasks.
   *
   * @param strategy the run's strategy, which tells whether this task is the chief
   * @param dir a folder every task can read (a shared file system)
   */
  public ChiefCheckpoint(Strategy strategy, Path dir) {
    this.chief = strategy.isChief();
    this.dir = dir;
  }

  /**
   * Loads the last checkpoint into {@code model}, if there is one, and returns the epoch to
   * continue from (the number of epochs it holds); 0 when there is none.
   */
  public int restore(Model model) {
    Path epochFile = dir.resolve(EPOCH);
    if (!Files.exists(epochFile)) {
      return 0;
    }
    try {
      String text = Files.readString(epochFile).trim();
      int epochs;
      try {
        epochs = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            "Checkpoint " + epochFile + ": expected an epoch count, got \"" + text + "\"");
      }
      Path variables = dir.resolve(VARIABLES + epochs);
      if (Files.isDirectory(variables)) {
        pendingRestore = variables; // read by the tasks holding the variables when fit starts
      } else {
        model.loadWeights(dir.resolve(WEIGHTS));
      }
      return epochs;
    } catch (IOException e) {
      throw new UncheckedIOException("Checkpoint " + epochFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    this.model = run.model();
    boolean split = model.weights().stream().anyMatch(w -> w.rowPartition() != null);
    sharded = split ? new ShardedCheckpoint(model) : null;
    if (pendingRestore != null) {
      if (sharded == null) {
        throw new IllegalStateException(
            "Checkpoint "
                + pendingRestore
                + " was written by the parameter servers of a model with split lookup tables;"
                + " model \""
                + model.name()
                + "\" has none: build it under the same strategy and variable partitioner");
      }
      if (chief) {
        sharded.restore(pendingRestore);
      }
      pendingRestore = null;
    }
  }

  /** On the chief: weights first, then the epoch count that makes them the last checkpoint. */
  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (!chief) {
      return;
    }
    try {
      Files.createDirectories(dir);
      if (sharded == null) {
        model.saveWeights(dir.resolve(WEIGHTS));
      } else {
        Path variables = dir.resolve(VARIABLES + (epoch + 1));
        Files.createDirectories(variables);
        sharded.save(variables);
      }
      AtomicFile.write(dir.resolve(EPOCH), tmp -> Files.writeString(tmp, (epoch + 1) + "\n"));
      if (sharded != null) {
        deleteOlderVariables(epoch + 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Removes the variable folders of epochs before {@code current}, now that it is the last. */
  private void deleteOlderVariables(int current) throws IOException {
    try (var entries = Files.list(dir)) {
      for (Path old : entries.toList()) {
        String name = old.getFileName().toString();
        if (name.startsWith(VARIABLES) && !name.equals(VARIABLES + current)) {
          try (var files = Files.walk(old)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
              Files.delete(f);
            }
          }
        }
      }
    }
  }
}
