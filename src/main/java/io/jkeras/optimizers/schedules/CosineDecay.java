package io.jkeras.optimizers.schedules;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Cosine decay (Loshchilov and Hutter, 2017) with optional linear warmup, as Keras's CosineDecay:
 * without warmup, {@code initial · ((1 - alpha) · ½(1 + cos(π · min(step, decay_steps) /
 * decay_steps)) + alpha)}; with a {@code warmup_target}, the rate first rises linearly from {@code
 * initial} to the target over {@code warmup_steps} steps, then decays from the target.
 *
 * <pre>{@code
 * new Adam().learningRate(new CosineDecay(0.0, 1000, 0.0, 0.001, 100));
 * }</pre>
 */
public final class CosineDecay implements LearningRateSchedule {

  private final double initialLearningRate;
  private final double decaySteps;
  private final double alpha;
  private final Double warmupTarget;
  private final double warmupSteps;
  private final String name;

  /**
   * Cosine decay from {@code initialLearningRate} to 0 over {@code decaySteps} steps, without
   * warmup.
   */
  public CosineDecay(double initialLearningRate, double decaySteps) {
    this(initialLearningRate, decaySteps, 0.0, null, 0);
  }

  /**
   * Cosine decay with optional warmup, named {@code "CosineDecay"}.
   *
   * @param decaySteps the steps the decay takes, positive
   * @param alpha the floor, as a fraction of the decay's starting rate
   * @param warmupTarget the rate reached at the end of warmup, or null for no warmup
   * @param warmupSteps the steps the linear warmup takes
   */
  public CosineDecay(
      double initialLearningRate,
      double decaySteps,
      double alpha,
      Double warmupTarget,
      double warmupSteps) {
    this(initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps, "CosineDecay");
  }

  /**
   * Cosine decay with optional warmup and a config name.
   *
   * @param decaySteps the steps the decay takes, positive
   * @param alpha the floor, as a fraction of the decay's starting rate
   * @param warmupTarget the rate reached at the end of warmup, or null for no warmup
   * @param warmupSteps the steps the linear warmup takes
   * @param name the {@code name} written in the config
   * @throws IllegalArgumentException if {@code decaySteps} is not positive
   */
  public CosineDecay(
      double initialLearningRate,
      double decaySteps,
      double alpha,
      Double warmupTarget,
      double warmupSteps,
      String name) {
    ScheduleConfig.positive("CosineDecay", "decay_steps", decaySteps);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.alpha = alpha;
    this.warmupTarget = warmupTarget;
    this.warmupSteps = warmupSteps;
    this.name = name;
  }

  private Operand<TFloat32> decay(
      Ops tf, Operand<TFloat32> step, Operand<TFloat32> steps, Operand<TFloat32> from) {
    Operand<TFloat32> fraction = tf.math.div(step, steps);
    Operand<TFloat32> cosine =
        tf.math.mul(
            tf.constant(0.5f),
            tf.math.add(
                tf.constant(1f), tf.math.cos(tf.math.mul(tf.constant((float) Math.PI), fraction))));
    Operand<TFloat32> decayed =
        tf.math.add(
            tf.math.mul(tf.constant((float) (1 - alpha)), cosine), tf.constant((float) alpha));
    return tf.math.mul(from, decayed);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> initial = tf.constant((float) initialLearningRate);
    Operand<TFloat32> steps = tf.constant((float) decaySteps);
    if (warmupTarget == null) {
      return decay(tf, tf.math.minimum(step, steps), steps, initial);
    }
    Operand<TFloat32> target = tf.constant(warmupTarget.floatValue());
    Operand<TFloat32> warmup = tf.constant((float) warmupSteps);
    Operand<TFloat32> s = tf.math.minimum(step, tf.math.add(steps, warmup));
    Operand<TFloat32> warming =
        tf.math.add(tf.math.mul(tf.math.sub(target, initial), tf.math.div(s, warmup)), initial);
    Operand<TFloat32> decaying = decay(tf, tf.math.sub(s, warmup), steps, target);
    return tf.select(tf.math.less(s, warmup), warming, decaying);
  }

  @Override
  public String className() {
    return "CosineDecay";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("initial_learning_rate", initialLearningRate);
    c.put("decay_steps", ScheduleConfig.number(decaySteps));
    c.put("alpha", alpha);
    c.put("name", name);
    c.put("warmup_target", warmupTarget);
    c.put("warmup_steps", ScheduleConfig.number(warmupSteps));
    return c;
  }

  /** From a Keras config. */
  public static CosineDecay fromConfig(Map<String, Object> config) {
    String cls = "CosineDecay";
    ScheduleConfig.check(
        cls,
        config,
        List.of(
            "initial_learning_rate",
            "decay_steps",
            "alpha",
            "name",
            "warmup_target",
            "warmup_steps"));
    Object target = config.get("warmup_target");
    return new CosineDecay(
        ScheduleConfig.required(cls, config, "initial_learning_rate"),
        ScheduleConfig.required(cls, config, "decay_steps"),
        ConfigReader.of(cls, config).number("alpha", 0.0),
        target == null ? null : ConfigReader.of(cls, config).number("warmup_target", 0),
        ConfigReader.of(cls, config).number("warmup_steps", 0),
        ConfigReader.of(cls, config).string("name", cls));
  }
}
