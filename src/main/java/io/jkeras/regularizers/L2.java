package io.jkeras.regularizers;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * L2 weight penalty, {@code l2 * sum(x * x)}, as Keras 3's {@code keras.regularizers.L2}. (No
 * factor 1/2, unlike TF's {@code l2_loss}.)
 *
 * <pre>{@code
 * Regularizer r = new L2(1e-4);
 * Operand<TFloat32> penalty = r.apply(tf, kernel);
 * r.getConfig(); // {"l2": 1.0E-4}
 * }</pre>
 */
public final class L2 implements Regularizer {

  /** Keras's default factor. */
  public static final double DEFAULT_L2 = 0.01;

  private final double l2;

  /** L2 with factor 0.01. */
  public L2() {
    this(DEFAULT_L2);
  }

  /**
   * @param l2 the factor; non-negative and finite
   */
  public L2(double l2) {
    this.l2 = Penalties.nonNegative("l2", l2);
  }

  /** Reads a Keras config {@code {"l2": ...}}; a missing or null {@code l2} means 0.01. */
  public static L2 fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("L2", config);
    L2 r = new L2(c.numberOrDefault("l2", DEFAULT_L2));
    c.rejectUnknownKeys();
    return r;
  }

  /** The L2 factor: the penalty is {@code l2 * sum(w * w)}. */
  public double l2() {
    return l2;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return tf.math.mul(tf.constant((float) l2), Penalties.sumSquares(tf, x));
  }

  @Override
  public String className() {
    return "L2";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("l2", l2);
    return config;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L2 && Double.compare(((L2) o).l2, l2) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(l2);
  }

  @Override
  public String toString() {
    return "L2(l2=" + l2 + ")";
  }
}
