package io.jkeras.regularizers;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * L1 weight penalty, {@code l1 * sum(|x|)}, as Keras 3's {@code keras.regularizers.L1}.
 *
 * <pre>{@code
 * Regularizer r = new L1(0.001);
 * Operand<TFloat32> penalty = r.apply(tf, kernel);
 * r.getConfig(); // {"l1": 0.001}
 * }</pre>
 */
public final class L1 implements Regularizer {

  /** Keras's default factor. */
  public static final double DEFAULT_L1 = 0.01;

  private final double l1;

  /** L1 with factor 0.01. */
  public L1() {
    this(DEFAULT_L1);
  }

  /**
   * @param l1 the factor; non-negative and finite
   */
  public L1(double l1) {
    this.l1 = Penalties.nonNegative("l1", l1);
  }

  /** Reads a Keras config {@code {"l1": ...}}; a missing or null {@code l1} means 0.01. */
  public static L1 fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("L1", config);
    L1 r = new L1(c.numberOrDefault("l1", DEFAULT_L1));
    c.rejectUnknownKeys();
    return r;
  }

  /** The L1 factor: the penalty is {@code l1 * sum(|w|)}. */
  public double l1() {
    return l1;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return tf.math.mul(tf.constant((float) l1), Penalties.sumAbs(tf, x));
  }

  @Override
  public String className() {
    return "L1";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("l1", l1);
    return config;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L1 && Double.compare(((L1) o).l1, l1) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(l1);
  }

  @Override
  public String toString() {
    return "L1(l1=" + l1 + ")";
  }
}
