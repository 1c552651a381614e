package io.jkeras.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.io.AtomicFile;
import io.jkeras.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up the training state so that a {@code fit} killed midway resumes where it stopped, as
 * Keras's {@code BackupAndRestore}. At the end of every epoch (or every {@code saveFreq} batches)
 * it writes the weights and optimizer state to {@code <backupDir>/latest.weights.h5} and the epoch
 * reached to {@code <backupDir>/training_metadata.json}; when {@code fit} starts with a backup
 * there, it loads it and runs only the epochs not yet completed. A run that ends normally deletes
 * the folder (unless {@code deleteCheckpoint(false)}); a crashed or killed one leaves it for the
 * next. The files are Keras's: a backup written by Python Keras resumes in jkeras and the reverse.
 *
 * <p>Keras's arguments and defaults: {@code save_freq="epoch"}, {@code double_checkpoint=False}
 * (with true, the previous backup is kept as {@code .bkp} files and used when the latest cannot be
 * read), {@code delete_checkpoint=True}. As in Keras, a run resumes at the start of the epoch after
 * the last backup; batches of a partly done epoch run again.
 *
 * <pre>{@code
 * BackupAndRestore backup = BackupAndRestore.builder(Path.of("/tmp/backup")).build();
 * model.fit(x, y, FitOptions.epochs(10).callbacks(backup)); // killed in epoch 6
 * model.fit(x, y, FitOptions.epochs(10).callbacks(backup)); // new process: runs epochs 6-10
 * }</pre>
 */
public class BackupAndRestore implements Callback {

  private static final Logger LOG = LoggerFactory.getLogger(BackupAndRestore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path backupDir;
  private final int saveFreq;
  private final boolean doubleCheckpoint;
  private final boolean deleteCheckpoint;
  private final Path weightsPath;
  private final Path metadataPath;
  private final Path previousWeightsPath;
  private final Path previousMetadataPath;
  private Model model;
  private int currentEpoch;
  private int lastBatchSeen;
  private int batchesSinceSave;

  /**
   * Backs up to {@code backupDir} at the end of every epoch, with Keras's defaults.
   *
   * <pre>{@code
   * new BackupAndRestore(Path.of("/tmp/backup"))
   * }</pre>
   *
   * @param backupDir the folder of the backup (created when needed; used only by this run)
   */
  public BackupAndRestore(Path backupDir) {
    this(builder(backupDir));
  }

  private BackupAndRestore(Builder b) {
    this.backupDir = b.backupDir;
    this.saveFreq = b.saveFreq;
    this.doubleCheckpoint = b.doubleCheckpoint;
    this.deleteCheckpoint = b.deleteCheckpoint;
    this.weightsPath = backupDir.resolve("latest.weights.h5");
    this.metadataPath = backupDir.resolve("training_metadata.json");
    this.previousWeightsPath = backupDir.resolve("latest.weights.h5.bkp");
    this.previousMetadataPath = backupDir.resolve("training_metadata.json.bkp");
  }

  /**
   * A builder for Keras's arguments.
   *
   * <pre>{@code
   * BackupAndRestore.builder(Path.of("/tmp/backup")).saveFreq(500).doubleCheckpoint(true).build();
   * }</pre>
   *
   * @param backupDir the folder of the backup
   * @return a new builder
   */
  public static Builder builder(Path backupDir) {
    return new Builder(backupDir);
  }

  /**
   * Keras's {@code BackupAndRestore} arguments, with its defaults.
   *
   * <pre>{@code
   * BackupAndRestore.builder(Path.of("/tmp/backup")).deleteCheckpoint(false).build();
   * }</pre>
   */
  public static final class Builder {
    private final Path backupDir;
    private int saveFreq;
    private boolean doubleCheckpoint;
    private boolean deleteCheckpoint = true;

    private Builder(Path backupDir) {
      if (backupDir == null || backupDir.toString().isEmpty()) {
        throw new IllegalArgumentException("BackupAndRestore: empty backup_dir");
      }
      this.backupDir = backupDir;
    }

    /**
     * Back up every {@code batches} training batches instead of at each epoch's end (Keras's {@code
     * save_freq} as an integer).
     *
     * @param batches batches between backups, at least 1
     * @return this builder
     */
    public Builder saveFreq(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException(
            "BackupAndRestore: save_freq must be \"epoch\" or a positive number of batches, got "
                + batches);
      }
      this.saveFreq = batches;
      return this;
    }

    /**
     * Whether to keep the previous backup as {@code .bkp} files, used when the latest cannot be
     * read (false by default).
     *
     * @param doubleCheckpoint whether to keep two backups
     * @return this builder
     */
    public Builder doubleCheckpoint(boolean doubleCheckpoint) {
      this.doubleCheckpoint = doubleCheckpoint;
      return this;
    }

    /**
     * Whether a run that ends normally deletes the backup folder (true by default).
     *
     * @param deleteCheckpoint whether to delete the backup at the end
     * @return this builder
     */
    public Builder deleteCheckpoint(boolean deleteCheckpoint) {
      this.deleteCheckpoint = deleteCheckpoint;
      return this;
    }

    /**
     * The callback.
     *
     * @return a new BackupAndRestore
     */
    public BackupAndRestore build() {
      return new BackupAndRestore(this);
    }
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    model = run.model();
    currentEpoch = 0;
    lastBatchSeen = 0;
    batchesSinceSave = 0;
    try {
      restore(run);
    } catch (RuntimeException e) {
      if (!Files.exists(previousWeightsPath)) {
        throw e;
      }
      LOG.warn(
          "BackupAndRestore: cannot restore {} ({}); restoring the previous backup",
          weightsPath,
          e.getMessage());
      try {
        Files.copy(previousWeightsPath, weightsPath, StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(previousMetadataPath)) {
          Files.copy(previousMetadataPath, metadataPath, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.deleteIfExists(metadataPath);
        }
      } catch (IOException io) {
        throw new UncheckedIOException(
            "BackupAndRestore: cannot restore the previous backup in " + backupDir, io);
      }
      restore(run);
    }
  }

  /** Loads the backup's weights and optimizer state, and resumes at the epoch it reached. */
  private void restore(TrainingRun run) {
    if (Files.exists(weightsPath)) {
      model.loadWeights(weightsPath);
    }
    if (Files.exists(metadataPath)) {
      JsonNode epoch;
      try {
        epoch = JSON.readTree(metadataPath.toFile()).get("epoch");
      } catch (IOException e) {
        throw new UncheckedIOException("BackupAndRestore: cannot read " + metadataPath, e);
      }
      if (epoch == null || !epoch.canConvertToInt() || epoch.asInt() < 0) {
        throw new IllegalStateException(
            "BackupAndRestore: "
                + metadataPath
                + " must hold {\"epoch\": a count >= 0, ...}, got "
                + (epoch == null ? "no epoch" : epoch.toString()));
      }
      run.resumeFrom(epoch.asInt());
      currentEpoch = epoch.asInt();
      LOG.info("BackupAndRestore: resuming from the backup in {} at epoch {}", backupDir, epoch);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    currentEpoch = epoch + 1;
    lastBatchSeen = 0;
    if (saveFreq == 0) {
      save();
    }
  }

  @Override
  public void onBatchEnd(int batch, Map<String, Double> logs) {
    if (saveFreq == 0) {
      return;
    }
    // Counts batches across epochs: a batch index not above the last one starts a new epoch.
    batchesSinceSave += batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen;
    lastBatchSeen = batch;
    if (batchesSinceSave >= saveFreq) {
      batchesSinceSave = 0;
      save();
    }
  }

  private void save() {
    try {
      Files.createDirectories(backupDir);
      if (doubleCheckpoint && Files.exists(weightsPath)) {
        Files.copy(weightsPath, previousWeightsPath, StandardCopyOption.REPLACE_EXISTING);
      }
      if (doubleCheckpoint && Files.exists(metadataPath)) {
        Files.copy(metadataPath, previousMetadataPath, StandardCopyOption.REPLACE_EXISTING);
      }
      model.saveWeights(weightsPath);
      String metadata = "{\"epoch\": " + currentEpoch + ", \"batch\": " + lastBatchSeen + "}";
      AtomicFile.write(
          metadataPath, tmp -> Files.writeString(tmp, metadata, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "BackupAndRestore: cannot write the backup in " + backupDir, e);
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (!deleteCheckpoint || !Files.exists(backupDir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(backupDir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore: cannot delete " + backupDir, e);
    }
  }
}
