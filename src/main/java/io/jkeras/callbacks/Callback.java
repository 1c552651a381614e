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
   * per pass over the data; the last two are -1 for streamed data of unknown length.
   *
   * @param model the model being trained
   * @param epochs the epoch count {@code fit} runs to
   * @param stepsPerEpoch batches per epoch, or -1 when unknown
   * @param samples samples in one pass over the training data, or -1 when unknown
   */
  record TrainingRun(Model model, int epochs, int stepsPerEpoch, int samples) {}

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
