package io.jkeras.callbacks;

import io.jkeras.models.Model;
import java.util.Map;

/**
 * Stops training as soon as a batch's loss is NaN or infinite, as Keras's {@code TerminateOnNaN}.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(5).callbacks(new TerminateOnNaN()));
 * }</pre>
 */
public class TerminateOnNaN implements Callback {

  private Model model;
  private boolean terminated;

  @Override
  public void onTrainBegin(TrainingRun run) {
    model = run.model();
    terminated = false;
  }

  @Override
  public void onBatchEnd(int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && (loss.isNaN() || loss.isInfinite())) {
      System.err.println("Batch " + batch + ": Invalid loss, terminating training");
      terminated = true;
      model.stopTraining();
    }
  }

  public boolean terminated() {
    return terminated;
  }
}
