package io.jkeras.layers;

import io.jkeras.GlobalSeed;
import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * Adds zero-centered Gaussian noise during training, as Keras 3's {@code
 * keras.layers.GaussianNoise}: {@code y = x + N(0, stddev^2)}, drawn afresh for every element and
 * step; outside training the layer is the identity. A regularizer, and a data augmentation for
 * real-valued inputs.
 *
 * <p>Arguments: {@code stddev}, the noise's standard deviation; {@code seed} (null: from {@link
 * GlobalSeed}). Shapes: output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor noisy = new GaussianNoise(0.1).apply(x);
 * }</pre>
 */
public class GaussianNoise extends Layer {

  private final double stddev;
  private final Long seed;
  private final long opSeed;
  private long emissions;

  /**
   * Adds {@code N(0, stddev^2)} noise during training, with no seed and an automatic name.
   *
   * @throws IllegalArgumentException if {@code stddev} is negative or not finite
   */
  public GaussianNoise(double stddev) {
    this(stddev, null, null);
  }

  /**
   * Adds {@code N(0, stddev^2)} noise during training.
   *
   * @param seed makes the noise repeatable; null draws from the source {@link io.jkeras.GlobalSeed}
   *     seeds
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code stddev} is negative or not finite
   */
  public GaussianNoise(double stddev, Long seed, String name) {
    super(name);
    if (!(stddev >= 0) || !Double.isFinite(stddev)) {
      throw new IllegalArgumentException(
          "GaussianNoise: stddev must be a non-negative number, got " + stddev);
    }
    this.stddev = stddev;
    this.seed = seed;
    this.opSeed = seed != null ? seed : GlobalSeed.nextOpSeed();
  }

  /** A GaussianNoise layer from its Keras config: {@code stddev}, {@code seed}. */
  public static GaussianNoise fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("GaussianNoise", config);
    if (!c.has("stddev")) {
      throw c.fail("stddev", "missing (expected a number)");
    }
    String name = c.name();
    double stddev = c.number("stddev", 0);
    return c.finish(new GaussianNoise(stddev, c.optionalLong("seed"), name));
  }

  /** The standard deviation of the noise. */
  public double stddev() {
    return stddev;
  }

  /** The noise seed, or null (drawn from the source {@link io.jkeras.GlobalSeed} seeds). */
  public Long seed() {
    return seed;
  }

  @Override
  public boolean callTakesTraining() {
    return true;
  }

  /** Keras's GaussianNoise keeps masks: the input's mask passes through to the output. */
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
    if (!training || stddev == 0) {
      return tf.identity(x);
    }
    return tf.math.add(x, standardNormal(tf, x, opSeed, ++emissions, stddev));
  }

  /**
   * Normal noise shaped like {@code x}, times {@code scale}; {@code seed2} differs per emission so
   * two passes in one graph draw differently.
   */
  static Operand<TFloat32> standardNormal(
      Ops tf, Operand<TFloat32> x, long seed, long seed2, double scale) {
    Operand<TFloat32> n =
        tf.random.randomStandardNormal(
            tf.shape(tf.stopGradient(x)),
            TFloat32.class,
            RandomStandardNormal.seed(seed),
            RandomStandardNormal.seed2(seed2));
    // Behind a StopGradient: the random op has no gradient, and the noise needs none.
    return tf.stopGradient(tf.math.mul(n, tf.constant((float) scale)));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("stddev", stddev);
    config.put("seed", seed);
    return config;
  }
}
