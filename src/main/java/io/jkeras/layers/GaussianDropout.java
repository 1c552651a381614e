package io.jkeras.layers;

import io.jkeras.GlobalSeed;
import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Multiplies its input by Gaussian noise of mean 1 during training, as Keras 3's {@code
 * keras.layers.GaussianDropout}: {@code y = x * N(1, rate / (1 - rate))}, a continuous counterpart
 * of Dropout with the same mean and variance; outside training the layer is the identity.
 *
 * <p>Arguments: {@code rate} in [0, 1); {@code seed} (null: from {@link GlobalSeed}). Shapes:
 * output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor y = new GaussianDropout(0.2).apply(x);
 * }</pre>
 */
public class GaussianDropout extends Layer {

  private final double rate;
  private final Long seed;
  private final long opSeed;
  private long emissions;

  /**
   * Multiplies inputs by {@code N(1, rate / (1 - rate))} noise during training, with no seed and an
   * automatic name.
   *
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1)}
   */
  public GaussianDropout(double rate) {
    this(rate, null, null);
  }

  /**
   * Multiplies inputs by {@code N(1, rate / (1 - rate))} noise during training.
   *
   * @param seed makes the noise repeatable; null draws from the source {@link io.jkeras.GlobalSeed}
   *     seeds
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1)}
   */
  public GaussianDropout(double rate, Long seed, String name) {
    super(name);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException(
          "GaussianDropout: rate must be a number in [0, 1), got rate=" + rate);
    }
    this.rate = rate;
    this.seed = seed;
    this.opSeed = seed != null ? seed : GlobalSeed.nextOpSeed();
  }

  /** A GaussianDropout layer from its Keras config: {@code rate}, {@code seed}. */
  public static GaussianDropout fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("GaussianDropout", config);
    if (!c.has("rate")) {
      throw c.fail("rate", "missing (expected a number)");
    }
    String name = c.name();
    double rate = c.number("rate", 0);
    return c.finish(new GaussianDropout(rate, c.optionalLong("seed"), name));
  }

  /** The drop probability that sets the noise variance {@code rate / (1 - rate)}. */
  public double rate() {
    return rate;
  }

  /** The noise seed, or null (drawn from the source {@link io.jkeras.GlobalSeed} seeds). */
  public Long seed() {
    return seed;
  }

  @Override
  public boolean callTakesTraining() {
    return true;
  }

  /** Keras's GaussianDropout keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    if (!training || rate == 0) {
      return tf.identity(x);
    }
    double stddev = Math.sqrt(rate / (1 - rate));
    Operand<TFloat32> noise =
        tf.math.add(
            tf.constant(1f), GaussianNoise.standardNormal(tf, x, opSeed, ++emissions, stddev));
    return tf.math.mul(x, noise);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("rate", rate);
    config.put("seed", seed);
    return config;
  }
}
