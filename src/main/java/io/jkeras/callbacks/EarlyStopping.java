package io.jkeras.callbacks;

import io.jkeras.models.Model;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Stops training when a monitored value stops improving, as Keras's {@code EarlyStopping}, with its
 * defaults: monitor {@code "val_loss"}, min_delta 0, patience 0, mode "auto" (minimize losses,
 * follow a compiled metric's direction otherwise), no baseline, restore_best_weights false,
 * start_from_epoch 0.
 *
 * <p>Each epoch from {@code startFromEpoch} on, a value better than the best so far by more than
 * {@code minDelta} becomes the best; after {@code patience} epochs without one (and not in the
 * first epoch) training stops. With a baseline, the wait restarts only when a best also beats the
 * baseline. With {@code restoreBestWeights}, the weights of the best epoch are put back when
 * training ends (also when it ran all its epochs). A missing monitored value is logged and skipped.
 *
 * <pre>{@code
 * EarlyStopping stop =
 *     EarlyStopping.builder().monitor("val_auc").patience(3).restoreBestWeights(true).build();
 * model.fit(x, y, FitOptions.epochs(50).validationSplit(0.2).callbacks(stop));
 * }</pre>
 */
public class EarlyStopping implements Callback {

  private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

  private final Monitor monitor;
  private final int patience;
  private final Double baseline;
  private final boolean restoreBestWeights;
  private final int startFromEpoch;
  private Model model;
  private Double best;
  private int wait;
  private int stoppedEpoch = -1;
  private int bestEpoch;
  private List<FloatNdArray> bestWeights;

  private EarlyStopping(Builder b) {
    this.monitor = new Monitor("EarlyStopping", b.monitor, b.mode, b.minDelta);
    this.patience = b.patience;
    this.baseline = b.baseline;
    this.restoreBestWeights = b.restoreBestWeights;
    this.startFromEpoch = b.startFromEpoch;
  }

  /**
   * A builder with Keras's defaults.
   *
   * <pre>{@code
   * EarlyStopping stop = EarlyStopping.builder().monitor("loss").patience(2).build();
   * }</pre>
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    model = run.model();
    best = null;
    wait = 0;
    stoppedEpoch = -1;
    bestEpoch = 0;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    monitor.resolve(model);
    Double current = logs.get(monitor.name());
    if (current == null) {
      LOG.warn(
          "EarlyStopping: monitor \"{}\" is not among the logged values {}",
          monitor.name(),
          logs.keySet());
      return;
    }
    if (epoch < startFromEpoch) {
      return;
    }
    if (restoreBestWeights && bestWeights == null) {
      // Until something improves, the first monitored epoch's weights are the best.
      bestWeights = model.getWeights();
      bestEpoch = epoch;
    }
    wait++;
    if (monitor.isImprovement(current, best)) {
      best = current;
      bestEpoch = epoch;
      if (restoreBestWeights) {
        bestWeights = model.getWeights();
      }
      if (baseline == null || monitor.isImprovement(current, baseline)) {
        wait = 0;
      }
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      model.stopTraining();
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (restoreBestWeights && bestWeights != null) {
      LOG.info("EarlyStopping: restoring the weights of the best epoch, {}", bestEpoch + 1);
      model.setWeights(bestWeights);
    }
  }

  /**
   * The epoch (from 0) at which training was stopped.
   *
   * @return the epoch, or -1 when training was not stopped
   */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /**
   * The best monitored value of the last training run.
   *
   * @return the best value, or null when none was seen
   */
  public Double best() {
    return best;
  }

  /**
   * Keras's {@code EarlyStopping} arguments, with its defaults.
   *
   * <pre>{@code
   * EarlyStopping.builder().monitor("val_loss").minDelta(1e-3).patience(5).build();
   * }</pre>
   */
  public static final class Builder {
    private String monitor = "val_loss";
    private double minDelta;
    private int patience;
    private String mode = "auto";
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch;

    private Builder() {}

    /**
     * The logged value to watch ({@code "val_loss"} by default).
     *
     * @param monitor a log name such as {@code "val_auc"}
     * @return this builder
     */
    public Builder monitor(String monitor) {
      this.monitor = monitor;
      return this;
    }

    /**
     * The smallest change that counts as an improvement (its absolute value; 0 by default).
     *
     * @param minDelta the change
     * @return this builder
     */
    public Builder minDelta(double minDelta) {
      this.minDelta = minDelta;
      return this;
    }

    /**
     * Epochs without improvement before stopping (0 by default).
     *
     * @param patience at least 0
     * @return this builder
     */
    public Builder patience(int patience) {
      if (patience < 0) {
        throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
      }
      this.patience = patience;
      return this;
    }

    /**
     * {@code "min"}, {@code "max"} or {@code "auto"} (the default).
     *
     * @param mode the direction of improvement
     * @return this builder
     */
    public Builder mode(String mode) {
      this.mode = mode;
      return this;
    }

    /**
     * A value the monitored value must beat for the wait to restart.
     *
     * @param baseline the baseline
     * @return this builder
     */
    public Builder baseline(double baseline) {
      this.baseline = baseline;
      return this;
    }

    /**
     * Whether to put back the best epoch's weights when training ends (false by default).
     *
     * @param restore whether to restore
     * @return this builder
     */
    public Builder restoreBestWeights(boolean restore) {
      this.restoreBestWeights = restore;
      return this;
    }

    /**
     * Epochs to wait (a warm-up) before watching the value (0 by default).
     *
     * @param epoch the first epoch watched, from 0
     * @return this builder
     */
    public Builder startFromEpoch(int epoch) {
      this.startFromEpoch = epoch;
      return this;
    }

    /**
     * The callback.
     *
     * @return a new EarlyStopping
     * @throws IllegalArgumentException for a mode other than auto, min or max
     */
    public EarlyStopping build() {
      return new EarlyStopping(this);
    }
  }
}
