package io.jkeras.optimizers.schedules;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code initial_learning_rate · decay_rate ^ (step / decay_steps)}, the exponent floored with
 * {@code staircase}, as Keras's ExponentialDecay (float32 math).
 *
 * <pre>{@code
 * new SGD().learningRate(new ExponentialDecay(0.1, 1000, 0.96, false));
 * }</pre>
 */
public final class ExponentialDecay extends StepwiseDecay {

  /**
   * Named "ExponentialDecay", as Keras's default.
   *
   * <pre>{@code LearningRateSchedule s = new ExponentialDecay(0.1, 1000, 0.96, false);}</pre>
   */
  public ExponentialDecay(
      double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
    this(initialLearningRate, decaySteps, decayRate, staircase, "ExponentialDecay");
  }

  /**
   * With Keras's {@code name} argument.
   *
   * @throws IllegalArgumentException when {@code decaySteps} is not positive
   */
  public ExponentialDecay(
      double initialLearningRate,
      double decaySteps,
      double decayRate,
      boolean staircase,
      String name) {
    super(initialLearningRate, decaySteps, decayRate, staircase, name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    return tf.math.mul(
        tf.constant((float) initialLearningRate),
        tf.math.pow(tf.constant((float) decayRate), progress(tf, step)));
  }

  /**
   * From a Keras config.
   *
   * <pre>{@code ExponentialDecay s = ExponentialDecay.fromConfig(Map.of(
   *     "initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5));}</pre>
   */
  public static ExponentialDecay fromConfig(Map<String, Object> config) {
    return fromConfig("ExponentialDecay", config, ExponentialDecay::new);
  }
}
