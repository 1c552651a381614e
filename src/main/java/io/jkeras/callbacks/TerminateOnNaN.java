package io.jkeras.callbacks;

import io.jkeras.models.Model;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training as soon as a batch's loss is NaN or infinite, as Keras's {@code TerminateOnNaN}:
 * gracefully by default (the epoch's callbacks and {@code onTrainEnd} still run), or with {@code
 * raiseError} by throwing from {@code fit} at once, so that no other callback's end-of-training
 * work (a checkpoint, restoring best weights) runs on the broken model.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(5).callbacks(new TerminateOnNaN()));
 * model.fit(x, y, FitOptions.epochs(5).callbacks(TerminateOnNaN.builder().raiseError(true).build()));
 * }</pre>
 */
public class TerminateOnNaN implements Callback {

  private static final Logger LOG = LoggerFactory.getLogger(TerminateOnNaN.class);

  private final boolean raiseError;
  private Model model;
  private boolean terminated;

  /**
   * Stops training gracefully at the first NaN or infinite batch loss (Keras's default).
   *
   * <pre>{@code
   * TerminateOnNaN t = new TerminateOnNaN();
   * }</pre>
   */
  public TerminateOnNaN() {
    this(false);
  }

  private TerminateOnNaN(boolean raiseError) {
    this.raiseError = raiseError;
  }

  /**
   * A builder for Keras's arguments.
   *
   * <pre>{@code
   * TerminateOnNaN t = TerminateOnNaN.builder().raiseError(true).build();
   * }</pre>
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link TerminateOnNaN}.
   *
   * <pre>{@code
   * TerminateOnNaN.builder().build();
   * }</pre>
   */
  public static final class Builder {
    private boolean raiseError;

    private Builder() {}

    /**
     * Whether to throw {@link IllegalStateException} from {@code fit} at the bad batch instead of
     * stopping after it (false by default, as Keras's {@code raise_error}).
     *
     * @param raiseError whether to throw
     * @return this builder
     */
    public Builder raiseError(boolean raiseError) {
      this.raiseError = raiseError;
      return this;
    }

    /**
     * The callback.
     *
     * @return a new TerminateOnNaN
     */
    public TerminateOnNaN build() {
      return new TerminateOnNaN(raiseError);
    }
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    model = run.model();
    terminated = false;
  }

  @Override
  public void onBatchEnd(int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && (loss.isNaN() || loss.isInfinite())) {
      terminated = true;
      if (raiseError) {
        throw new IllegalStateException(
            "TerminateOnNaN: NaN or Inf loss encountered at batch "
                + batch
                + ". Loss value: "
                + PythonFormat.str(loss)
                + ". Terminating training immediately.");
      }
      LOG.warn("Batch {}: Invalid loss, terminating training", batch);
      model.stopTraining();
    }
  }

  /**
   * Whether the last training run was stopped by a bad loss.
   *
   * @return true after a NaN or infinite loss
   */
  public boolean terminated() {
    return terminated;
  }
}
