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

  default void onTrainBegin(TrainingRun run) {}

  default void onTrainEnd(Map<String, Double> logs) {}

  default void onEpochBegin(int epoch) {}

  default void onEpochEnd(int epoch, Map<String, Double> logs) {}

  default void onBatchBegin(int batch) {}

  default void onBatchEnd(int batch, Map<String, Double> logs) {}
}
