package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Huber loss as Keras: for the error {@code x = p - y}, {@code ½x²} where {@code |x| <= delta},
 * else {@code delta |x| - ½delta²}; mean over the last axis. Default delta 1. (Keras 3.15 leaves
 * {@code delta} out of its config; jkeras writes it when it is not 1.)
 *
 * <pre>{@code
 * model.compile("adam", new Huber(0.5), "mae");
 * }</pre>
 */
public class Huber extends LossFunction {

  private final double delta;

  /** The Huber loss with delta 1. */
  public Huber() {
    this(1.0);
  }

  /** The Huber loss, quadratic for errors up to {@code delta} and linear beyond. */
  public Huber(double delta) {
    super("huber_loss");
    this.delta = delta;
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> d = tf.constant((float) delta);
    Operand<TFloat32> half = tf.constant(0.5f);
    Operand<TFloat32> error = tf.math.sub(yPred, yTrue);
    Operand<TFloat32> abs = tf.math.abs(error);
    return LossTerms.meanLastAxis(
        tf,
        tf.select(
            tf.math.lessEqual(abs, d),
            tf.math.mul(half, tf.math.mul(error, error)),
            tf.math.sub(tf.math.mul(d, abs), tf.math.mul(half, tf.math.mul(d, d)))));
  }

  /** Keras's function is {@code huber} (the class's default name is {@code huber_loss}). */
  @Override
  public String functionName() {
    return "huber";
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    if (delta != 1.0) {
      config.put("delta", delta);
    }
  }

  /** From a Keras config. */
  public static Huber fromConfig(Map<String, Object> config) {
    return withBase(
        new Huber(ConfigReader.of("Huber", config).number("delta", 1.0)), config, List.of("delta"));
  }
}
