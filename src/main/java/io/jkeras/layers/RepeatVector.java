package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Repeats each sample vector {@code n} times, as Keras 3's {@code keras.layers.RepeatVector}.
 *
 * <p>Argument: {@code n}, the number of repetitions. Shapes: {@code (batch, features)} becomes
 * {@code (batch, n, features)}.
 *
 * <pre>{@code
 * KerasTensor steps = new RepeatVector(5).apply(encoded); // (None, 32) -> (None, 5, 32)
 * }</pre>
 */
public class RepeatVector extends Layer {

  private final int n;

  /**
   * Repeats each {@code (batch, features)} input {@code n} times into {@code (batch, n, features)},
   * with an automatic name.
   *
   * @throws IllegalArgumentException if {@code n} is not positive
   */
  public RepeatVector(int n) {
    this(n, null);
  }

  /**
   * Repeats each {@code (batch, features)} input {@code n} times into {@code (batch, n, features)}.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code n} is not positive
   */
  public RepeatVector(int n, String name) {
    super(name);
    if (n <= 0) {
      throw new IllegalArgumentException("RepeatVector: n must be a positive integer, got " + n);
    }
    this.n = n;
    setInputSpec(InputSpec.rank(2));
  }

  /** A RepeatVector layer from its Keras config: {@code n}. */
  public static RepeatVector fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("RepeatVector", config);
    String name = c.name();
    return c.finish(new RepeatVector(c.positiveInt("n"), name));
  }

  /** How many times the input is repeated. */
  public int n() {
    return n;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(inputShape.size(0), n, inputShape.size(1));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    return tf.tile(tf.expandDims(x, tf.constant(1)), tf.constant(new int[] {1, n, 1}));
  }

  /** Keras's class overrides build(), so its files carry a build_config. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("n", n);
    return config;
  }
}
