package io.jkeras.optimizers.schedules;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
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
public final class InverseTimeDecay implements LearningRateSchedule {

  private final double initialLearningRate;
  private final double decaySteps;
  private final double decayRate;
  private final boolean staircase;
  private final String name;

  /**
   * Inverse time decay, named {@code "InverseTimeDecay"}.
   *
   * @param decaySteps the step count that makes one unit of decay, positive
   * @param staircase floor {@code step / decaySteps}, so the rate changes in steps
   */
  public InverseTimeDecay(
      double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
    this(initialLearningRate, decaySteps, decayRate, staircase, "InverseTimeDecay");
  }

  /**
   * Inverse time decay with a config name.
   *
   * @param decaySteps the step count that makes one unit of decay, positive
   * @param staircase floor {@code step / decaySteps}, so the rate changes in steps
   * @param name the {@code name} written in the config
   * @throws IllegalArgumentException if {@code decaySteps} is not positive
   */
  public InverseTimeDecay(
      double initialLearningRate,
      double decaySteps,
      double decayRate,
      boolean staircase,
      String name) {
    ScheduleConfig.positive("InverseTimeDecay", "decay_steps", decaySteps);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.decayRate = decayRate;
    this.staircase = staircase;
    this.name = name;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> p = tf.math.div(step, tf.constant((float) decaySteps));
    if (staircase) {
      p = tf.math.floor(p);
    }
    Operand<TFloat32> denominator =
        tf.math.add(tf.constant(1f), tf.math.mul(tf.constant((float) decayRate), p));
    return tf.math.div(tf.constant((float) initialLearningRate), denominator);
  }

  @Override
  public String className() {
    return "InverseTimeDecay";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("initial_learning_rate", initialLearningRate);
    c.put("decay_steps", ScheduleConfig.number(decaySteps));
    c.put("decay_rate", decayRate);
    c.put("staircase", staircase);
    c.put("name", name);
    return c;
  }

  /** From a Keras config. */
  public static InverseTimeDecay fromConfig(Map<String, Object> config) {
    String cls = "InverseTimeDecay";
    ScheduleConfig.check(
        cls,
        config,
        List.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"));
    return new InverseTimeDecay(
        ScheduleConfig.required(cls, config, "initial_learning_rate"),
        ScheduleConfig.required(cls, config, "decay_steps"),
        ScheduleConfig.required(cls, config, "decay_rate"),
        ScheduleConfig.bool(cls, config, "staircase", false),
        ConfigReader.of(cls, config).string("name", cls));
  }
}
