package io.jkeras.callbacks;

import io.jkeras.optimizers.Optimizer;
import java.util.Map;

/**
 * Lowers the learning rate when a monitored value stops improving, as Keras's {@code
 * ReduceLROnPlateau}: monitor "val_loss", factor 0.1, patience 10, mode "auto", min_delta 1e-4,
 * cooldown 0, min_lr 0.
 *
 * <p>After {@code patience} epochs without an improvement larger than {@code min_delta}, the
 * learning rate becomes {@code max(lr · factor, min_lr)} (when above {@code min_lr}), then {@code
 * cooldown} epochs pass before counting again. Needs an optimizer without a learning-rate schedule.
 * Adds {@code learning_rate} to the epoch's logs.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(50).validationSplit(0.2)
 *     .callbacks(new ReduceLROnPlateau("val_loss", 0.5, 3, "auto", 1e-4, 0, 1e-5)));
 * }</pre>
 */
public class ReduceLROnPlateau implements Callback {

  private final String monitor;
  private final double factor;
  private final int patience;
  private final String mode;
  private final double minDelta;
  private final int cooldown;
  private final double minLr;
  private Optimizer optimizer;
  private Double best;
  private int wait;
  private int cooldownCounter;

  /**
   * Keras's defaults: monitor {@code "val_loss"}, factor 0.1, patience 10, mode auto, min_delta
   * 1e-4, no cooldown, min_lr 0.
   */
  public ReduceLROnPlateau() {
    this("val_loss", 0.1, 10, "auto", 1e-4, 0, 0.0);
  }

  /**
   * Lowers the learning rate when {@code monitor} stops improving.
   *
   * @param monitor the logged value watched, for example {@code "val_loss"}
   * @param factor the multiplier of the learning rate, below 1
   * @param patience epochs without improvement before lowering
   * @param mode {@code "min"}, {@code "max"} or {@code "auto"} (max for accuracy and AUC names)
   * @param minDelta the smallest change that counts as an improvement
   * @param cooldown epochs to wait after a reduction before counting again
   * @param minLr the learning rate is never lowered below this
   * @throws IllegalArgumentException if {@code factor} is 1 or more or the mode is unknown
   */
  public ReduceLROnPlateau(
      String monitor,
      double factor,
      int patience,
      String mode,
      double minDelta,
      int cooldown,
      double minLr) {
    if (!(factor < 1.0)) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau does not support a factor >= 1.0, got " + factor);
    }
    if (!mode.equals("auto") && !mode.equals("min") && !mode.equals("max")) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau: mode must be one of [auto, min, max], got \"" + mode + "\"");
    }
    this.monitor = monitor;
    this.factor = factor;
    this.patience = patience;
    this.mode = mode;
    this.minDelta = Math.abs(minDelta);
    this.cooldown = cooldown;
    this.minLr = minLr;
  }

  /** Auto mode: maximize accuracy-like metrics, minimize losses and errors. */
  private boolean maximize() {
    if (!mode.equals("auto")) {
      return mode.equals("max");
    }
    String name = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
    return name.contains("acc")
        || name.contains("auc")
        || name.contains("precision")
        || name.contains("recall")
        || name.contains("f1")
        || name.contains("r2");
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    optimizer = run.model().optimizer();
    best = null;
    wait = 0;
    cooldownCounter = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    // The learning rate as the optimizer holds it: float32.
    double lr = (float) optimizer.learningRate();
    logs.put("learning_rate", lr);
    Double current = logs.get(monitor);
    if (current == null) {
      System.err.println(
          "ReduceLROnPlateau: learning-rate reduction is conditioned on \""
              + monitor
              + "\", which is not available; available: "
              + logs.keySet());
      return;
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      wait = 0;
    }
    boolean improved =
        best == null || (maximize() ? current - minDelta > best : current + minDelta < best);
    if (improved) {
      best = current;
      wait = 0;
    } else if (cooldownCounter <= 0) {
      wait++;
      if (wait >= patience && lr > (float) minLr) {
        optimizer.setLearningRate(Math.max(lr * factor, minLr));
        cooldownCounter = cooldown;
        wait = 0;
      }
    }
  }
}
