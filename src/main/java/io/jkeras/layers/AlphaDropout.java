package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Dropout that keeps the mean and variance of self-normalizing (SELU) activations, as Keras 3's
 * {@code keras.layers.AlphaDropout}: during training, dropped units are set to SELU's negative
 * saturation value {@code -alpha * scale} instead of 0, and the result is transformed by {@code a *
 * x + b}, with {@code a = ((1 - rate) * (1 + rate * alpha'^2))^-1/2} and {@code b = -a * alpha' *
 * rate} ({@code alpha' = -alpha * scale}). Outside training the layer is the identity.
 *
 * <p>Arguments: {@code rate} in [0, 1] (1 fails in training, where Keras divides by zero); {@code
 * noiseShape} and {@code seed} as {@link Dropout}. Shapes: output shape = input shape. No weights;
 * masks pass through.
 *
 * <pre>{@code
 * KerasTensor h = new Dense(64, "selu").apply(x);
 * KerasTensor dropped = new AlphaDropout(0.1).apply(h);
 * }</pre>
 */
public class AlphaDropout extends Dropout {

  /** SELU's alpha and scale, as Keras's AlphaDropout writes them. */
  private static final double ALPHA = 1.6732632423543772848170429916717;

  private static final double SCALE = 1.0507009873554804934193349852946;

  /**
   * Alpha-dropout at {@code rate} during training, without a seed or noise shape.
   *
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1]}
   */
  public AlphaDropout(double rate) {
    this(rate, null, null, null);
  }

  /**
   * Alpha-dropout at {@code rate} during training.
   *
   * <pre>{@code new AlphaDropout(0.2, Arrays.asList(null, 1L, null), 7L, "alpha");}</pre>
   *
   * @param noiseShape the keep mask's shape, one entry per input axis, null entries following the
   *     input; null for the input's shape
   * @param seed makes the masks repeatable; null draws from the source {@link io.jkeras.GlobalSeed}
   *     seeds
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1]} or the noise shape is
   *     invalid
   */
  public AlphaDropout(double rate, List<Long> noiseShape, Long seed, String name) {
    super(Dropout.builder(rate).noiseShape(noiseShape).seed(seed).name(name));
  }

  /** An AlphaDropout layer from its Keras config: {@code rate}, {@code seed}, noise_shape. */
  public static AlphaDropout fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("AlphaDropout", config);
    if (!c.has("rate")) {
      throw c.fail("rate", "missing (expected a number)");
    }
    String name = c.name();
    double rate = c.number("rate", 0);
    AlphaDropout layer;
    try {
      layer = new AlphaDropout(rate, c.optionalDims("noise_shape"), c.optionalLong("seed"), name);
    } catch (IllegalArgumentException e) {
      throw c.fail("rate", e.getMessage());
    }
    c.requireFloat32Dtype();
    return c.finish(layer);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    double rate = rate();
    if (!training || rate == 0) {
      return tf.identity(x);
    }
    if (rate == 1) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (AlphaDropout): rate 1 cannot be used in training (its affine correction"
              + " divides by zero, as in Keras)");
    }
    double alphaP = -ALPHA * SCALE;
    double a = Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
    double b = -a * alphaP * rate;
    Operand<TFloat32> kept = tf.dtypes.cast(keepMask(tf, x), TFloat32.class);
    // Keras's arithmetic: x * kept + alpha' * (1 - kept), the mask broadcasting over the input.
    Operand<TFloat32> dropped =
        tf.math.add(
            tf.math.mul(x, kept),
            tf.math.mul(tf.constant((float) alphaP), tf.math.sub(tf.constant(1f), kept)));
    return tf.math.add(tf.math.mul(tf.constant((float) a), dropped), tf.constant((float) b));
  }
}
