package io.jkeras.regularizers;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Combined penalty {@code l1 * sum(|x|) + l2 * sum(x * x)}, as Keras 3's {@code
 * keras.regularizers.L1L2}. Both factors default to 0 (Keras 3's defaults for this class; the
 * string {@code "l1_l2"} gives the same zero factors). A zero factor adds no ops for its term.
 *
 * <pre>{@code
 * Regularizer r = new L1L2(1e-5, 1e-4);
 * r.getConfig(); // {"l1": 1.0E-5, "l2": 1.0E-4}
 * }</pre>
 */
@KerasClass(aliases = "l1l2")
public final class L1L2 implements Regularizer {

  private final double l1;
  private final double l2;

  /** Both factors 0. */
  public L1L2() {
    this(0.0, 0.0);
  }

  /**
   * @param l1 the L1 factor; non-negative and finite
   * @param l2 the L2 factor; non-negative and finite
   */
  public L1L2(double l1, double l2) {
    this.l1 = Penalties.nonNegative("l1", l1);
    this.l2 = Penalties.nonNegative("l2", l2);
  }

  /** Reads a Keras config {@code {"l1": ..., "l2": ...}}; missing or null factors mean 0. */
  public static L1L2 fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("L1L2", config);
    L1L2 r = new L1L2(c.numberOrDefault("l1", 0.0), c.numberOrDefault("l2", 0.0));
    c.rejectUnknownKeys();
    return r;
  }

  /** The L1 factor: the penalty's {@code l1 * sum(|w|)} term. */
  public double l1() {
    return l1;
  }

  /** The L2 factor: the penalty's {@code l2 * sum(w * w)} term. */
  public double l2() {
    return l2;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> penalty = tf.constant(0f);
    if (l1 != 0.0) {
      penalty = tf.math.add(penalty, tf.math.mul(tf.constant((float) l1), Penalties.sumAbs(tf, x)));
    }
    if (l2 != 0.0) {
      penalty =
          tf.math.add(penalty, tf.math.mul(tf.constant((float) l2), Penalties.sumSquares(tf, x)));
    }
    return penalty;
  }

  @Override
  public String className() {
    return "L1L2";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("l1", l1);
    config.put("l2", l2);
    return config;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L1L2
        && Double.compare(((L1L2) o).l1, l1) == 0
        && Double.compare(((L1L2) o).l2, l2) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(l1) + Double.hashCode(l2);
  }

  @Override
  public String toString() {
    return "L1L2(l1=" + l1 + ", l2=" + l2 + ")";
  }
}
