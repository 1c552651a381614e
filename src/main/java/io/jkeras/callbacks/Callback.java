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

  /** What the training run is: the model, the number of epochs and of steps per epoch. */
  record TrainingRun(Model model, int epochs, int stepsPerEpoch, int samples) {}

  /**
   * Called once before the first epoch.
   *
   * @param run the model being trained and the size of the run
   */
  default void onTrainBegin(TrainingRun run) {}

  /**
   * Called once after the last epoch (or after training was stopped).
   *
   * @param logs the last epoch's logged values
   */
  default void onTrainEnd(Map<String, Double> logs) {}

  /** Called at the start of epoch {@code epoch} (from 0). */
  default void onEpochBegin(int epoch) {}

  /**
   * Called at the end of epoch {@code epoch}, after validation.
   *
   * @param logs the epoch's averaged loss and metrics, and the {@code val_} values when validating
   */
  default void onEpochEnd(int epoch, Map<String, Double> logs) {}

  /** Called before training batch {@code batch} (from 0 in each epoch). */
  default void onBatchBegin(int batch) {}

  /**
   * Called after training batch {@code batch} (from 0 in each epoch).
   *
   * @param logs the running averages of the epoch so far
   */
  default void onBatchEnd(int batch, Map<String, Double> logs) {}
}
