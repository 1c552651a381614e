package io.jkeras.optimizers.schedules;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
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
public final class ExponentialDecay implements LearningRateSchedule {

  private final double initialLearningRate;
  private final double decaySteps;
  private final double decayRate;
  private final boolean staircase;
  private final String name;

  /**
   * Exponential decay, named {@code "ExponentialDecay"}.
   *
   * @param decaySteps the steps over which the rate is multiplied by {@code decayRate}, positive
   * @param staircase floor {@code step / decaySteps}, so the rate changes in steps
   */
  public ExponentialDecay(
      double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
    this(initialLearningRate, decaySteps, decayRate, staircase, "ExponentialDecay");
  }

  /**
   * Exponential decay with a config name.
   *
   * @param decaySteps the steps over which the rate is multiplied by {@code decayRate}, positive
   * @param staircase floor {@code step / decaySteps}, so the rate changes in steps
   * @param name the {@code name} written in the config
   * @throws IllegalArgumentException if {@code decaySteps} is not positive
   */
  public ExponentialDecay(
      double initialLearningRate,
      double decaySteps,
      double decayRate,
      boolean staircase,
      String name) {
    ScheduleConfig.positive("ExponentialDecay", "decay_steps", decaySteps);
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
    return tf.math.mul(
        tf.constant((float) initialLearningRate), tf.math.pow(tf.constant((float) decayRate), p));
  }

  @Override
  public String className() {
    return "ExponentialDecay";
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
  public static ExponentialDecay fromConfig(Map<String, Object> config) {
    String cls = "ExponentialDecay";
    ScheduleConfig.check(
        cls,
        config,
        List.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"));
    return new ExponentialDecay(
        ScheduleConfig.required(cls, config, "initial_learning_rate"),
        ScheduleConfig.required(cls, config, "decay_steps"),
        ScheduleConfig.required(cls, config, "decay_rate"),
        ScheduleConfig.bool(cls, config, "staircase", false),
        ConfigReader.of(cls, config).string("name", cls));
  }
}
