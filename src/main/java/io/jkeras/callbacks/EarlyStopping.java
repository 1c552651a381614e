package io.jkeras.callbacks;

import io.jkeras.models.Model;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Stops training when a monitored value stops improving, as Keras's {@code EarlyStopping}: monitor
 * "val_loss", min_delta 0, patience 0, mode "auto" (max for names containing "acc" or "auc", min
 * otherwise), baseline none, restore_best_weights false, start_from_epoch 0.
 *
 * <pre>{@code
 * new EarlyStopping("val_loss", 0.0, 2, "auto", true)
 * }</pre>
 */
public class EarlyStopping implements Callback {

  private final String monitor;
  private final double minDelta;
  private final int patience;
  private final boolean maximize;
  private final boolean restoreBestWeights;
  private Model model;
  private double best;
  private int wait;
  private int stoppedEpoch = -1;
  private List<FloatNdArray> bestWeights;

  /**
   * Keras's defaults: monitor {@code "val_loss"}, min_delta 0, patience 0, mode auto, the last
   * weights kept.
   */
  public EarlyStopping() {
    this("val_loss", 0.0, 0, "auto", false);
  }

  /**
   * Stops training when {@code monitor} stops improving.
   *
   * @param monitor the logged value watched, for example {@code "val_loss"}
   * @param minDelta the smallest change that counts as an improvement
   * @param patience epochs without improvement before stopping
   * @param mode {@code "min"}, {@code "max"} or {@code "auto"} (max for names containing {@code
   *     "acc"} or {@code "auc"})
   * @param restoreBestWeights put back the weights of the best epoch when training stops
   * @throws IllegalArgumentException if {@code patience} is negative or the mode is unknown
   */
  public EarlyStopping(
      String monitor, double minDelta, int patience, String mode, boolean restoreBestWeights) {
    if (patience < 0) {
      throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
    }
    this.monitor = monitor;
    this.minDelta = Math.abs(minDelta);
    this.patience = patience;
    switch (mode) {
      case "min":
        maximize = false;
        break;
      case "max":
        maximize = true;
        break;
      case "auto":
        maximize =
            monitor.endsWith("acc") || monitor.contains("accuracy") || monitor.endsWith("auc");
        break;
      default:
        throw new IllegalArgumentException(
            "EarlyStopping: mode must be one of [auto, min, max], got \"" + mode + "\"");
    }
    this.restoreBestWeights = restoreBestWeights;
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    model = run.model();
    best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    wait = 0;
    stoppedEpoch = -1;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double current = logs.get(monitor);
    if (current == null) {
      throw new IllegalStateException(
          "EarlyStopping: monitor \""
              + monitor
              + "\" is not among the logged values "
              + logs.keySet());
    }
    wait++;
    boolean improved = maximize ? current - minDelta > best : current + minDelta < best;
    if (improved) {
      best = current;
      wait = 0;
      if (restoreBestWeights) {
        bestWeights = model.getWeights();
      }
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      model.stopTraining();
      if (restoreBestWeights && bestWeights != null) {
        model.setWeights(bestWeights);
      }
    }
  }

  /** The epoch at which training was stopped, or -1. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }
}
