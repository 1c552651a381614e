package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import io.jkeras.regularizers.L1L2;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Passes its input through unchanged and adds an L1/L2 penalty on it to the training loss, as Keras
 * 3's {@code keras.layers.ActivityRegularization}: {@code l1 * sum(|x|) + l2 * sum(x^2)}, divided
 * by the batch size as every activity regularizer is.
 *
 * <p>Arguments: {@code l1} (0), {@code l2} (0). Shapes: output shape = input shape. No weights.
 *
 * <pre>{@code
 * KerasTensor sparse = new ActivityRegularization(1e-4, 0).apply(hidden);
 * }</pre>
 */
public class ActivityRegularization extends Layer {

  private final double l1;
  private final double l2;

  /**
   * A layer adding {@code l1 * sum(|x|) + l2 * sum(x * x)} of its input to the training loss, with
   * an automatic name.
   *
   * @throws IllegalArgumentException if a factor is negative or not finite
   */
  public ActivityRegularization(double l1, double l2) {
    this(l1, l2, null);
  }

  /**
   * A layer adding {@code l1 * sum(|x|) + l2 * sum(x * x)} of its input to the training loss.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if a factor is negative or not finite
   */
  public ActivityRegularization(double l1, double l2, String name) {
    super(name);
    if (!(l1 >= 0) || !(l2 >= 0) || !Double.isFinite(l1) || !Double.isFinite(l2)) {
      throw new IllegalArgumentException(
          "ActivityRegularization: l1 and l2 must be non-negative numbers, got l1="
              + l1
              + ", l2="
              + l2);
    }
    this.l1 = l1;
    this.l2 = l2;
    setActivityRegularizer(new L1L2(l1, l2));
  }

  /** An ActivityRegularization layer from its Keras config: {@code l1}, {@code l2}. */
  public static ActivityRegularization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("ActivityRegularization", config);
    String name = c.name();
    double l1 = c.number("l1", 0);
    double l2 = c.number("l2", 0);
    // Keras writes no activity_regularizer key: the layer's own l1/l2 are the regularizer.
    return c.finish(new ActivityRegularization(l1, l2, name));
  }

  /** The L1 factor of the activity penalty. */
  public double l1() {
    return l1;
  }

  /** The L2 factor of the activity penalty. */
  public double l2() {
    return l2;
  }

  /** Keras's ActivityRegularization keeps masks: the input's mask passes through to the output. */
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
    return tf.identity(x);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("activity_regularizer");
    config.put("l1", l1);
    config.put("l2", l2);
    return config;
  }
}
