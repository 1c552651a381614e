package io.jkeras.callbacks;

import io.jkeras.models.Model;
import io.jkeras.optimizers.Optimizer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the learning rate when a monitored value stops improving, as Keras's {@code
 * ReduceLROnPlateau}, with its defaults: monitor "val_loss", factor 0.1, patience 10, mode "auto"
 * (minimize losses, follow a compiled metric's direction otherwise), min_delta 1e-4, cooldown 0,
 * min_lr 0.
 *
 * <p>After {@code patience} epochs without an improvement larger than {@code min_delta}, the
 * learning rate becomes {@code max(lr · factor, min_lr)} (when above {@code min_lr}), then {@code
 * cooldown} epochs pass before counting again. Reducing needs an optimizer without a learning-rate
 * schedule. Adds {@code learning_rate} (with a schedule, its current value) to the epoch's logs. A
 * missing monitored value is logged and skipped.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(50).validationSplit(0.2)
 *     .callbacks(ReduceLROnPlateau.builder().factor(0.5).patience(3).minLr(1e-5).build()));
 * }</pre>
 */
public class ReduceLROnPlateau implements Callback {

  private static final Logger LOG = LoggerFactory.getLogger(ReduceLROnPlateau.class);

  private final Monitor monitor;
  private final double factor;
  private final int patience;
  private final int cooldown;
  private final double minLr;
  private Model model;
  private Optimizer optimizer;
  private Double best;
  private int wait;
  private int cooldownCounter;

  private ReduceLROnPlateau(Builder b) {
    this.monitor = new Monitor("ReduceLROnPlateau", b.monitor, b.mode, b.minDelta);
    this.factor = b.factor;
    this.patience = b.patience;
    this.cooldown = b.cooldown;
    this.minLr = b.minLr;
  }

  /**
   * A builder with Keras's defaults.
   *
   * <pre>{@code
   * ReduceLROnPlateau r = ReduceLROnPlateau.builder().monitor("loss").factor(0.5).build();
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
    optimizer = model.optimizer();
    best = null;
    wait = 0;
    cooldownCounter = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    monitor.resolve(model);
    double lr = optimizer.currentLearningRate();
    logs.put("learning_rate", lr);
    Double current = logs.get(monitor.name());
    if (current == null) {
      LOG.warn(
          "ReduceLROnPlateau: learning-rate reduction is conditioned on \"{}\", which is not"
              + " logged; logged values are {}",
          monitor.name(),
          logs.keySet());
      return;
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      wait = 0;
    }
    if (monitor.isImprovement(current, best)) {
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

  /**
   * Keras's {@code ReduceLROnPlateau} arguments, with its defaults.
   *
   * <pre>{@code
   * ReduceLROnPlateau.builder().monitor("val_auc").mode("max").patience(2).cooldown(1).build();
   * }</pre>
   */
  public static final class Builder {
    private String monitor = "val_loss";
    private double factor = 0.1;
    private int patience = 10;
    private String mode = "auto";
    private double minDelta = 1e-4;
    private int cooldown;
    private double minLr;

    private Builder() {}

    /**
     * The logged value to watch ({@code "val_loss"} by default).
     *
     * @param monitor a log name
     * @return this builder
     */
    public Builder monitor(String monitor) {
      this.monitor = monitor;
      return this;
    }

    /**
     * The factor the learning rate is multiplied by (0.1 by default).
     *
     * @param factor below 1
     * @return this builder
     */
    public Builder factor(double factor) {
      if (!(factor < 1.0)) {
        throw new IllegalArgumentException(
            "ReduceLROnPlateau does not support a factor >= 1.0, got " + factor);
      }
      this.factor = factor;
      return this;
    }

    /**
     * Epochs without improvement before lowering the rate (10 by default).
     *
     * @param patience at least 0
     * @return this builder
     */
    public Builder patience(int patience) {
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
     * The smallest change that counts as an improvement (1e-4 by default).
     *
     * @param minDelta the change
     * @return this builder
     */
    public Builder minDelta(double minDelta) {
      this.minDelta = minDelta;
      return this;
    }

    /**
     * Epochs to wait after a reduction before counting again (0 by default).
     *
     * @param cooldown epochs
     * @return this builder
     */
    public Builder cooldown(int cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    /**
     * The lowest learning rate (0 by default).
     *
     * @param minLr the floor
     * @return this builder
     */
    public Builder minLr(double minLr) {
      this.minLr = minLr;
      return this;
    }

    /**
     * The callback.
     *
     * @return a new ReduceLROnPlateau
     * @throws IllegalArgumentException for a mode other than auto, min or max
     */
    public ReduceLROnPlateau build() {
      return new ReduceLROnPlateau(this);
    }
  }
}
