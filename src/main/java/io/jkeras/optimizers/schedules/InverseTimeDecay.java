package io.jkeras.optimizers.schedules;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code initial_learning_rate / (1 + decay_rate · step / decay_steps)}, the quotient floored with
 * {@code staircase}, as Keras's InverseTimeDecay.
 *
 * <pre>{@code
 * new Adam().learningRate(new InverseTimeDecay(0.01, 10, 0.5, false));
 * }</pre>
 */
public final class InverseTimeDecay extends StepwiseDecay {

  /**
   * Named "InverseTimeDecay", as Keras's default.
   *
   * <pre>{@code LearningRateSchedule s = new InverseTimeDecay(0.01, 10, 0.5, false);}</pre>
   */
  public InverseTimeDecay(
      double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
    this(initialLearningRate, decaySteps, decayRate, staircase, "InverseTimeDecay");
  }

  /**
   * With Keras's {@code name} argument.
   *
   * @throws IllegalArgumentException when {@code decaySteps} is not positive
   */
  public InverseTimeDecay(
      double initialLearningRate,
      double decaySteps,
      double decayRate,
      boolean staircase,
      String name) {
    super(initialLearningRate, decaySteps, decayRate, staircase, name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> denominator =
        tf.math.add(
            tf.constant(1f), tf.math.mul(tf.constant((float) decayRate), progress(tf, step)));
    return tf.math.div(tf.constant((float) initialLearningRate), denominator);
  }

  /**
   * From a Keras config.
   *
   * <pre>{@code InverseTimeDecay s = InverseTimeDecay.fromConfig(Map.of(
   *     "initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5));}</pre>
   */
  public static InverseTimeDecay fromConfig(Map<String, Object> config) {
    return fromConfig("InverseTimeDecay", config, InverseTimeDecay::new);
  }
}
