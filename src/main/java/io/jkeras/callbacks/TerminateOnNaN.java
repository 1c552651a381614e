package io.jkeras.callbacks;

import io.jkeras.models.Model;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training as soon as a batch's loss is NaN or infinite, as Keras's {@code TerminateOnNaN}.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(5).callbacks(new TerminateOnNaN()));
 * }</pre>
 */
public class TerminateOnNaN implements Callback {

  private static final Logger LOG = LoggerFactory.getLogger(TerminateOnNaN.class);

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
      LOG.warn("Batch {}: Invalid loss, terminating training", batch);
      terminated = true;
      model.stopTraining();
    }
  }

  /** True if the last run was stopped by a NaN or infinite loss. */
  public boolean terminated() {
    return terminated;
  }
}
