package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Removes steps from the start and end of a sequence, as Keras 3's {@code keras.layers.Cropping1D}.
 *
 * <p>Argument: {@code cropping}, the steps removed at the start and at the end ({@code (1, 1)} by
 * default; one integer crops both ends alike). Shapes: {@code (batch, steps, features)} becomes
 * {@code (batch, steps - start - end, features)}; at least one step must remain.
 *
 * <pre>{@code
 * KerasTensor inner = new Cropping1D(2, 1).apply(x); // (None, 10, 4) -> (None, 7, 4)
 * }</pre>
 */
public class Cropping1D extends Layer {

  private final int start;
  private final int end;

  /** Crops one step at each end, Keras's default. */
  public Cropping1D() {
    this(1, 1, null);
  }

  /**
   * Removes {@code start} steps at the beginning and {@code end} steps at the end of each sequence,
   * with an automatic name.
   *
   * @throws IllegalArgumentException if an amount is negative
   */
  public Cropping1D(int start, int end) {
    this(start, end, null);
  }

  /**
   * Removes {@code start} steps at the beginning and {@code end} steps at the end of each sequence.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if an amount is negative
   */
  public Cropping1D(int start, int end, String name) {
    super(name);
    this.start = SpatialArguments.amount("Cropping1D", "cropping", start, false);
    this.end = SpatialArguments.amount("Cropping1D", "cropping", end, false);
    setInputSpec(InputSpec.rank(3));
  }

  /** A Cropping1D layer from its Keras config: {@code cropping}. */
  public static Cropping1D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Cropping1D", config);
    String name = c.name();
    int[] p = c.has("cropping") ? SpatialArguments.pair(c, "cropping") : new int[] {1, 1};
    return c.finish(new Cropping1D(p[0], p[1], name));
  }

  /** The steps removed at the start and at the end. */
  public int[] cropping() {
    return new int[] {start, end};
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long steps = inputShape.size(1);
    if (steps >= 0 && steps - start - end <= 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Cropping1D): cropping ("
              + start
              + ", "
              + end
              + ") leaves no step of an input of shape "
              + KerasShape.format(inputShape));
    }
    return Shape.of(inputShape.size(0), steps < 0 ? -1 : steps - start - end, inputShape.size(2));
  }

  @Override
  protected void build(Shape inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    return SpatialArguments.crop(tf, x, new int[] {0, start, 0}, new int[] {0, end, 0});
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("cropping", List.of(start, end));
    return config;
  }
}
