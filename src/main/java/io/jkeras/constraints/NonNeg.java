package io.jkeras.constraints;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Makes weights non-negative, {@code max(w, 0)}, as Keras 3's {@code keras.constraints.NonNeg}. Its
 * config is empty.
 *
 * <pre>{@code
 * Constraint c = new NonNeg();
 * Operand<TFloat32> projected = c.apply(tf, kernel);
 * }</pre>
 */
public final class NonNeg implements Constraint {

  /** The constraint; it has no arguments. */
  public NonNeg() {}

  /** Reads a Keras config, which must be empty. */
  public static NonNeg fromConfig(Map<String, Object> config) {
    ConfigReader.of("NonNeg", config).rejectUnknownKeys();
    return new NonNeg();
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
    return tf.math.maximum(w, tf.constant(0f));
  }

  @Override
  public String className() {
    return "NonNeg";
  }

  @Override
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NonNeg;
  }

  @Override
  public int hashCode() {
    return NonNeg.class.hashCode();
  }

  @Override
  public String toString() {
    return "NonNeg()";
  }
}
