package io.jkeras.optimizers.schedules;

import io.jkeras.KerasSerializable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A learning rate that changes with the optimizer's step, as Keras's {@code
 * keras.optimizers.schedules.LearningRateSchedule}: the optimizer evaluates it at its iteration
 * count (0 for the first update) before every update. An optimizer with a schedule has no {@code
 * learning_rate} variable, as in Keras, and writes the schedule into its config as {@code
 * {"module": "keras.optimizers.schedules", "class_name", "config"}}.
 *
 * <p>User schedules implement this interface, declare {@code public static fromConfig(Map)} and are
 * registered with {@link LearningRateSchedules#register(Class)} so that files naming them load.
 *
 * <pre>{@code
 * Optimizer sgd = new SGD().learningRate(new ExponentialDecay(0.1, 100, 0.96));
 * }</pre>
 */
public interface LearningRateSchedule extends KerasSerializable {

  /** The learning rate at {@code step} (the optimizer's iteration count, as float32). */
  Operand<TFloat32> call(Ops tf, Operand<TFloat32> step);
}
