package io.jkeras.optimizers.schedules;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What Keras's ExponentialDecay and InverseTimeDecay share: the arguments {@code
 * initial_learning_rate}, {@code decay_steps}, {@code decay_rate}, {@code staircase} and {@code
 * name} (their config, in that order), and the progress {@code step / decay_steps}, floored with
 * {@code staircase}. A subclass turns the progress into the learning rate.
 */
abstract class StepwiseDecay implements LearningRateSchedule {

  /** The config keys, in Keras's order. */
  private static final List<String> KEYS =
      List.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name");

  /** A subclass's constructor of every argument. */
  interface Factory<S extends StepwiseDecay> {
    S make(
        double initialLearningRate,
        double decaySteps,
        double decayRate,
        boolean staircase,
        String name);
  }

  final double initialLearningRate;
  final double decaySteps;
  final double decayRate;
  final boolean staircase;
  private final String name;

  StepwiseDecay(
      double initialLearningRate,
      double decaySteps,
      double decayRate,
      boolean staircase,
      String name) {
    ScheduleConfig.positive(getClass().getSimpleName(), "decay_steps", decaySteps);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.decayRate = decayRate;
    this.staircase = staircase;
    this.name = name;
  }

  /** {@code step / decay_steps}, floored with {@code staircase}. */
  Operand<TFloat32> progress(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> p = tf.math.div(step, tf.constant((float) decaySteps));
    return staircase ? tf.math.floor(p) : p;
  }

  @Override
  public String className() {
    return getClass().getSimpleName();
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

  /** The schedule of class {@code cls} made by {@code factory} from a Keras config. */
  static <S extends StepwiseDecay> S fromConfig(
      String cls, Map<String, Object> config, Factory<S> factory) {
    ScheduleConfig.check(cls, config, KEYS);
    return factory.make(
        ScheduleConfig.required(cls, config, "initial_learning_rate"),
        ScheduleConfig.required(cls, config, "decay_steps"),
        ScheduleConfig.required(cls, config, "decay_rate"),
        ScheduleConfig.bool(cls, config, "staircase", false),
        ConfigReader.of(cls, config).string("name", cls));
  }
}
