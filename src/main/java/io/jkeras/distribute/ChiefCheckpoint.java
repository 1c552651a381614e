package io.jkeras.distribute;

import io.jkeras.callbacks.Callback;
import io.jkeras.io.AtomicFile;
import io.jkeras.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fault tolerance of a distributed run, as Keras's {@code BackupAndRestore}: the chief writes the
 * model's weights and optimizer state at the end of every epoch (to a folder every task can read),
 * and a restarted task restores them and continues from the next epoch.
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

  private final boolean chief;
  private final Path dir;
  private Model model;

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
      model.loadWeights(dir.resolve(WEIGHTS));
      return epochs;
    } catch (IOException e) {
      throw new UncheckedIOException("Checkpoint " + epochFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    this.model = run.model();
  }

  /** On the chief: weights first, then the epoch count that makes them the last checkpoint. */
  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (!chief) {
      return;
    }
    try {
      Files.createDirectories(dir);
      model.saveWeights(dir.resolve(WEIGHTS));
      AtomicFile.write(dir.resolve(EPOCH), tmp -> Files.writeString(tmp, (epoch + 1) + "\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("Checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }
}
