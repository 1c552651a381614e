package io.jkeras.callbacks;

import io.jkeras.models.Model;
import java.util.Map;

/**
 * Hooks into {@code fit}, as Keras's {@code keras.callbacks.Callback}. Epochs and batches count
 * from 0; {@code logs} hold the running values ({@code loss}, metrics, and at epoch end the {@code
 * val_} values). Every method does nothing unless overridden.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(10).callbacks(new Callback() {
 *   public void onEpochEnd(int epoch, Map<String, Double> logs) {
 *     System.out.println(epoch + ": " + logs.get("loss"));
 *   }
 * }));
 * }</pre>
 */
public interface Callback {

  /**
   * What the training run is: the model, the number of epochs, of steps per epoch and of samples
   * per pass over the data (the last two -1 for streamed data of unknown length), and the epoch it
   * starts at, which a callback may move in {@code onTrainBegin} to resume an interrupted run (as
   * Keras's {@code BackupAndRestore} sets the model's initial epoch).
   *
   * <pre>{@code
   * public void onTrainBegin(TrainingRun run) {
   *   run.resumeFrom(3); // epochs 3.. run
   * }
   * }</pre>
   */
  final class TrainingRun {
    private final Model model;
    private final int epochs;
    private final int stepsPerEpoch;
    private final int samples;
    private int initialEpoch;

    /**
     * A run starting at epoch 0.
     *
     * @param model the model being trained
     * @param epochs the epoch count {@code fit} runs to
     * @param stepsPerEpoch batches per epoch, or -1 when unknown
     * @param samples samples in one pass over the training data, or -1 when unknown
     */
    public TrainingRun(Model model, int epochs, int stepsPerEpoch, int samples) {
      this(model, epochs, stepsPerEpoch, samples, 0);
    }

    /**
     * A run starting at {@code initialEpoch} (Keras's {@code initial_epoch}).
     *
     * @param model the model being trained
     * @param epochs the epoch count {@code fit} runs to
     * @param stepsPerEpoch batches per epoch, or -1 when unknown
     * @param samples samples in one pass over the training data, or -1 when unknown
     * @param initialEpoch the first epoch's index
     */
    public TrainingRun(Model model, int epochs, int stepsPerEpoch, int samples, int initialEpoch) {
      this.model = model;
      this.epochs = epochs;
      this.stepsPerEpoch = stepsPerEpoch;
      this.samples = samples;
      this.initialEpoch = initialEpoch;
    }

    /**
     * The model being trained.
     *
     * @return the model
     */
    public Model model() {
      return model;
    }

    /**
     * The epoch count {@code fit} runs to.
     *
     * @return the epochs
     */
    public int epochs() {
      return epochs;
    }

    /**
     * Batches per epoch.
     *
     * @return the steps, or -1 when unknown
     */
    public int stepsPerEpoch() {
      return stepsPerEpoch;
    }

    /**
     * Samples in one pass over the training data.
     *
     * @return the samples, or -1 when unknown
     */
    public int samples() {
      return samples;
    }

    /**
     * The index of the first epoch to run.
     *
     * @return the initial epoch
     */
    public int initialEpoch() {
      return initialEpoch;
    }

    /**
     * Starts the run at {@code epoch} instead (called from {@code onTrainBegin}); the epochs before
     * it do not run.
     *
     * @param epoch the first epoch to run, from 0
     * @throws IllegalArgumentException for a negative epoch
     */
    public void resumeFrom(int epoch) {
      if (epoch < 0) {
        throw new IllegalArgumentException("resumeFrom: the epoch must be >= 0, got " + epoch);
      }
      initialEpoch = epoch;
    }
  }

  /**
   * Called once when {@code fit} starts.
   *
   * @param run the model, epochs, steps and samples of this run
   */
  default void onTrainBegin(TrainingRun run) {}

  /**
   * Called once when {@code fit} ends, also after a stop.
   *
   * @param logs the last epoch's logs (empty when no epoch ran)
   */
  default void onTrainEnd(Map<String, Double> logs) {}

  /**
   * Called before each epoch.
   *
   * @param epoch the epoch, from 0
   */
  default void onEpochBegin(int epoch) {}

  /**
   * Called after each epoch, validation included; callbacks may add values to {@code logs}.
   *
   * @param epoch the epoch, from 0
   * @param logs the metrics, {@code loss} and the {@code val_} values
   */
  default void onEpochEnd(int epoch, Map<String, Double> logs) {}

  /**
   * Called before each training batch.
   *
   * @param batch the batch within the epoch, from 0
   */
  default void onBatchBegin(int batch) {}

  /**
   * Called after each training batch.
   *
   * @param batch the batch within the epoch, from 0
   * @param logs the running metrics and {@code loss} of the epoch so far
   */
  default void onBatchEnd(int batch, Map<String, Double> logs) {}
}
