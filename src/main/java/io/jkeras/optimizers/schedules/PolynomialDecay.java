package io.jkeras.optimizers.schedules;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code (initial - end) · (1 - step / decay_steps) ^ power + end}, the step capped at {@code
 * decay_steps}, or with {@code cycle} the period stretched to the next multiple of {@code
 * decay_steps}, as Keras's PolynomialDecay (defaults: end_learning_rate 0.0001, power 1).
 *
 * <pre>{@code
 * new SGD().learningRate(new PolynomialDecay(0.1, 100, 0.001, 0.5, false));
 * }</pre>
 */
public final class PolynomialDecay implements LearningRateSchedule {

  private final double initialLearningRate;
  private final double decaySteps;
  private final double endLearningRate;
  private final double power;
  private final boolean cycle;
  private final String name;

  /**
   * Linear decay from {@code initialLearningRate} to 0.0001 over {@code decaySteps} steps, then
   * constant.
   */
  public PolynomialDecay(double initialLearningRate, double decaySteps) {
    this(initialLearningRate, decaySteps, 0.0001, 1.0, false);
  }

  /**
   * Polynomial decay, named {@code "PolynomialDecay"}.
   *
   * @param decaySteps the steps the decay takes, positive
   * @param endLearningRate the rate at and after {@code decaySteps}
   * @param power the exponent of the decay (1 is linear)
   * @param cycle restart the decay each time {@code decaySteps} is passed, over a longer period
   */
  public PolynomialDecay(
      double initialLearningRate,
      double decaySteps,
      double endLearningRate,
      double power,
      boolean cycle) {
    this(initialLearningRate, decaySteps, endLearningRate, power, cycle, "PolynomialDecay");
  }

  /**
   * Polynomial decay with a config name.
   *
   * @param decaySteps the steps the decay takes, positive
   * @param endLearningRate the rate at and after {@code decaySteps}
   * @param power the exponent of the decay (1 is linear)
   * @param cycle restart the decay each time {@code decaySteps} is passed, over a longer period
   * @param name the {@code name} written in the config
   * @throws IllegalArgumentException if {@code decaySteps} is not positive
   */
  public PolynomialDecay(
      double initialLearningRate,
      double decaySteps,
      double endLearningRate,
      double power,
      boolean cycle,
      String name) {
    ScheduleConfig.positive("PolynomialDecay", "decay_steps", decaySteps);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.endLearningRate = endLearningRate;
    this.power = power;
    this.cycle = cycle;
    this.name = name;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> steps = tf.constant((float) decaySteps);
    Operand<TFloat32> s = step;
    if (cycle) {
      Operand<TFloat32> multiplier =
          tf.select(
              tf.math.equal(step, tf.constant(0f)),
              tf.constant(1f),
              tf.math.ceil(tf.math.div(step, steps)));
      steps = tf.math.mul(steps, multiplier);
    } else {
      s = tf.math.minimum(step, steps);
    }
    Operand<TFloat32> p = tf.math.div(s, steps);
    Operand<TFloat32> end = tf.constant((float) endLearningRate);
    return tf.math.add(
        tf.math.mul(
            tf.math.sub(tf.constant((float) initialLearningRate), end),
            tf.math.pow(tf.math.sub(tf.constant(1f), p), tf.constant((float) power))),
        end);
  }

  @Override
  public String className() {
    return "PolynomialDecay";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("initial_learning_rate", initialLearningRate);
    c.put("decay_steps", ScheduleConfig.number(decaySteps));
    c.put("end_learning_rate", endLearningRate);
    c.put("power", power);
    c.put("cycle", cycle);
    c.put("name", name);
    return c;
  }

  /** From a Keras config. */
  public static PolynomialDecay fromConfig(Map<String, Object> config) {
    String cls = "PolynomialDecay";
    ScheduleConfig.check(
        cls,
        config,
        List.of(
            "initial_learning_rate", "decay_steps", "end_learning_rate", "power", "cycle", "name"));
    return new PolynomialDecay(
        ScheduleConfig.required(cls, config, "initial_learning_rate"),
        ScheduleConfig.required(cls, config, "decay_steps"),
        ConfigReader.of(cls, config).number("end_learning_rate", 0.0001),
        ConfigReader.of(cls, config).number("power", 1.0),
        ScheduleConfig.bool(cls, config, "cycle", false),
        ConfigReader.of(cls, config).string("name", cls));
  }
}
