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
    /** The learning rate for {@code epoch} (from 0), given the one in use. */
    double learningRate(int epoch, double currentLearningRate);
  }

  private final Schedule schedule;
  private Optimizer optimizer;

  /** Sets the optimizer's learning rate to {@code schedule}'s value at the start of every epoch. */
  public LearningRateScheduler(Schedule schedule) {
    this.schedule = schedule;
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
