package io.jkeras.optimizers.schedules;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Cosine decay with warm restarts (SGDR), as Keras's CosineDecayRestarts: the first period lasts
 * {@code first_decay_steps}, each next one {@code t_mul} times longer with a peak {@code m_mul}
 * times lower; within a period the rate follows {@code initial · ((1 - alpha) · ½ m(1 + cos(π f)) +
 * alpha)} for the fraction {@code f} of the period done. Defaults: t_mul 2, m_mul 1, alpha 0.
 *
 * <pre>{@code
 * new SGD().learningRate(new CosineDecayRestarts(0.1, 100, 2.0, 1.0, 0.0));
 * }</pre>
 */
public final class CosineDecayRestarts implements LearningRateSchedule {

  private final double initialLearningRate;
  private final double firstDecaySteps;
  private final double tMul;
  private final double mMul;
  private final double alpha;
  private final String name;

  /**
   * Warm restarts from {@code initialLearningRate}, a first period of {@code firstDecaySteps} steps
   * and Keras's defaults (each period twice as long, the same peak, alpha 0).
   */
  public CosineDecayRestarts(double initialLearningRate, double firstDecaySteps) {
    this(initialLearningRate, firstDecaySteps, 2.0, 1.0, 0.0);
  }

  /**
   * Warm restarts, named {@code "SGDRDecay"} as Keras names it.
   *
   * @param firstDecaySteps the length of the first period, positive
   * @param tMul how many times longer each period is than the one before
   * @param mMul the factor each period's peak rate is multiplied by
   * @param alpha the floor, as a fraction of the period's peak rate
   */
  public CosineDecayRestarts(
      double initialLearningRate, double firstDecaySteps, double tMul, double mMul, double alpha) {
    this(initialLearningRate, firstDecaySteps, tMul, mMul, alpha, "SGDRDecay");
  }

  /**
   * Warm restarts with a config name.
   *
   * @param firstDecaySteps the length of the first period, positive
   * @param tMul how many times longer each period is than the one before
   * @param mMul the factor each period's peak rate is multiplied by
   * @param alpha the floor, as a fraction of the period's peak rate
   * @param name the {@code name} written in the config
   * @throws IllegalArgumentException if {@code firstDecaySteps} is not positive
   */
  public CosineDecayRestarts(
      double initialLearningRate,
      double firstDecaySteps,
      double tMul,
      double mMul,
      double alpha,
      String name) {
    ScheduleConfig.positive("CosineDecayRestarts", "first_decay_steps", firstDecaySteps);
    this.initialLearningRate = initialLearningRate;
    this.firstDecaySteps = firstDecaySteps;
    this.tMul = tMul;
    this.mMul = mMul;
    this.alpha = alpha;
    this.name = name;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> t = tf.constant((float) tMul);
    Operand<TFloat32> fraction = tf.math.div(step, tf.constant((float) firstDecaySteps));
    Operand<TFloat32> restart;
    if (tMul == 1.0) {
      restart = tf.math.floor(fraction);
      fraction = tf.math.sub(fraction, restart);
    } else {
      // Periods grow geometrically: restart i begins at fraction (1 - t^i) / (1 - t).
      Operand<TFloat32> oneMinusT = tf.math.sub(one, t);
      restart =
          tf.math.floor(
              tf.math.div(
                  tf.math.log(tf.math.sub(one, tf.math.mul(fraction, oneMinusT))), tf.math.log(t)));
      Operand<TFloat32> done = tf.math.div(tf.math.sub(one, tf.math.pow(t, restart)), oneMinusT);
      fraction = tf.math.div(tf.math.sub(fraction, done), tf.math.pow(t, restart));
    }
    Operand<TFloat32> m = tf.math.pow(tf.constant((float) mMul), restart);
    Operand<TFloat32> cosine =
        tf.math.mul(
            tf.math.mul(tf.constant(0.5f), m),
            tf.math.add(one, tf.math.cos(tf.math.mul(tf.constant((float) Math.PI), fraction))));
    Operand<TFloat32> decayed =
        tf.math.add(
            tf.math.mul(tf.constant((float) (1 - alpha)), cosine), tf.constant((float) alpha));
    return tf.math.mul(tf.constant((float) initialLearningRate), decayed);
  }

  @Override
  public String className() {
    return "CosineDecayRestarts";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("initial_learning_rate", initialLearningRate);
    c.put("first_decay_steps", ScheduleConfig.number(firstDecaySteps));
    c.put("t_mul", tMul);
    c.put("m_mul", mMul);
    c.put("alpha", alpha);
    c.put("name", name);
    return c;
  }

  /** From a Keras config. */
  public static CosineDecayRestarts fromConfig(Map<String, Object> config) {
    String cls = "CosineDecayRestarts";
    ScheduleConfig.check(
        cls,
        config,
        List.of("initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha", "name"));
    return new CosineDecayRestarts(
        ScheduleConfig.required(cls, config, "initial_learning_rate"),
        ScheduleConfig.required(cls, config, "first_decay_steps"),
        ConfigReader.of(cls, config).number("t_mul", 2.0),
        ConfigReader.of(cls, config).number("m_mul", 1.0),
        ConfigReader.of(cls, config).number("alpha", 0.0),
        ConfigReader.of(cls, config).string("name", "SGDRDecay"));
  }
}
