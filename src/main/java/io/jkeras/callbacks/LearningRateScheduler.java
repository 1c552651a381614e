package io.jkeras.callbacks;

import io.jkeras.optimizers.Optimizer;
import java.util.Map;

/**
 * Sets the learning rate at the start of every epoch from a function of the epoch (from 0) and the
 * current learning rate, as Keras's {@code LearningRateScheduler}. Needs an optimizer without a
 * learning-rate schedule. Adds {@code learning_rate} to the epoch's logs.
 *
 * <pre>{@code
 * new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1))
 * }</pre>
 */
public class LearningRateScheduler implements Callback {

  /** The schedule: the learning rate for {@code epoch}, given the current one. */
  @FunctionalInterface
  public interface Schedule {
    /**
     * The learning rate for an epoch.
     *
     * @param epoch the epoch, from 0
     * @param currentLearningRate the optimizer's learning rate now
     * @return the learning rate for {@code epoch}, positive
     */
    double learningRate(int epoch, double currentLearningRate);
  }

  private final Schedule schedule;
  private Optimizer optimizer;

  /**
   * Sets the learning rate from {@code schedule} at the start of every epoch.
   *
   * <pre>{@code
   * new LearningRateScheduler((epoch, lr) -> epoch < 5 ? lr : lr * 0.9)
   * }</pre>
   *
   * @param schedule the learning rate by epoch
   */
  public LearningRateScheduler(Schedule schedule) {
    this.schedule = schedule;
  }

  /**
   * A builder for a scheduler following {@code schedule} (Keras's only other argument, verbose, is
   * SLF4J's business here).
   *
   * <pre>{@code
   * LearningRateScheduler s = LearningRateScheduler.builder((epoch, lr) -> lr * 0.95).build();
   * }</pre>
   *
   * @param schedule the learning rate by epoch
   * @return a new builder
   */
  public static Builder builder(Schedule schedule) {
    return new Builder(schedule);
  }

  /**
   * Keras's {@code LearningRateScheduler} arguments.
   *
   * <pre>{@code
   * LearningRateScheduler.builder((epoch, lr) -> 1e-3 / (1 + epoch)).build();
   * }</pre>
   */
  public static final class Builder {
    private final Schedule schedule;

    private Builder(Schedule schedule) {
      this.schedule = schedule;
    }

    /**
     * The callback.
     *
     * @return a new LearningRateScheduler
     */
    public LearningRateScheduler build() {
      return new LearningRateScheduler(schedule);
    }
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    optimizer = run.model().optimizer();
  }

  @Override
  public void onEpochBegin(int epoch) {
    double lr = schedule.learningRate(epoch, (float) optimizer.learningRate());
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException(
          "LearningRateScheduler: the schedule gave learning rate "
              + lr
              + " for epoch "
              + epoch
              + "; expected a positive number");
    }
    optimizer.setLearningRate(lr);
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", (double) (float) optimizer.learningRate());
  }
}
