package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Repeats every step of a sequence {@code size} times, as Keras 3's {@code
 * keras.layers.UpSampling1D}.
 *
 * <p>Argument: {@code size} (2). Shapes: {@code (batch, steps, features)} becomes {@code (batch,
 * steps * size, features)}.
 *
 * <pre>{@code
 * KerasTensor longer = new UpSampling1D(3).apply(x); // (None, 4, 8) -> (None, 12, 8)
 * }</pre>
 */
public class UpSampling1D extends Layer {

  private final int size;

  /** Doubles every step, Keras's default. */
  public UpSampling1D() {
    this(2, null);
  }

  /**
   * Repeats every step {@code size} times, with an automatic name.
   *
   * @throws IllegalArgumentException if {@code size} is not positive
   */
  public UpSampling1D(int size) {
    this(size, null);
  }

  /**
   * Repeats every step {@code size} times.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code size} is not positive
   */
  public UpSampling1D(int size, String name) {
    super(name);
    this.size = SpatialArguments.amount("UpSampling1D", "size", size, true);
    setInputSpec(InputSpec.rank(3));
  }

  /** An UpSampling1D layer from its Keras config: {@code size}. */
  public static UpSampling1D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("UpSampling1D", config);
    String name = c.name();
    return c.finish(new UpSampling1D(c.intOrSingleton("size", 2), name));
  }

  /** How many times each step is repeated. */
  public int size() {
    return size;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long steps = inputShape.size(1);
    return Shape.of(inputShape.size(0), steps < 0 ? -1 : steps * size, inputShape.size(2));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    return SpatialArguments.repeat(tf, x, 1, size);
  }

  /** Keras's class overrides build(), so its files carry a build_config. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("size", size);
    return config;
  }
}
