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

  default void onTrainBegin(TrainingRun run) {}

  default void onTrainEnd(Map<String, Double> logs) {}

  default void onEpochBegin(int epoch) {}

  default void onEpochEnd(int epoch, Map<String, Double> logs) {}

  default void onBatchBegin(int batch) {}

  default void onBatchEnd(int batch, Map<String, Double> logs) {}
}
