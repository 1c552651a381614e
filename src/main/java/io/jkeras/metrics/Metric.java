package io.jkeras.metrics;

import io.jkeras.KerasSerializable;
import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A streaming metric: each batch, the graph computes a small vector of sums (correct predictions
 * and samples, true and false positives...), and the metric adds them up on the host, so the epoch
 * value is exact over all samples, as Keras's stateful metrics are.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new AUC(), new Precision());
 * }</pre>
 */
public abstract class Metric implements KerasSerializable {

  private final String name;

  /** For subclasses: a metric logged as {@code name} (and {@code val_name} on validation data). */
  protected Metric(String name) {
    this.name = name;
  }

  /** The name in logs and histories: {@code "accuracy"}, {@code "auc"}... */
  public String name() {
    return name;
  }

  /** The Keras class name; by default the Java simple class name. */
  @Override
  public String className() {
    return getClass().getSimpleName();
  }

  /**
   * The Keras config: {@code name} and {@code dtype}, then the subclass's own keys.
   *
   * <pre>{@code new AUC().getConfig(); // {name=auc, dtype=float32, num_thresholds=200, ...}}</pre>
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("dtype", "float32");
    return c;
  }

  /**
   * Reads the keys every Keras metric config has, for a metric class's {@code fromConfig}: returns
   * {@code name} ({@code defaultName} when absent) and accepts a float32 {@code dtype}.
   *
   * <pre>{@code
   * ConfigReader c = ConfigReader.of("Recall", config);
   * Recall r = new Recall(readBaseConfig(c, "recall"), 0.5);
   * }</pre>
   */
  protected static String readBaseConfig(ConfigReader c, String defaultName) {
    c.requireFloat32Dtype();
    return c.string("name", defaultName);
  }

  /** Emits this batch's statistics as a float32 vector. */
  public abstract Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  /** Forgets everything accumulated (at the start of each epoch and evaluation). */
  public abstract void reset();

  /** Adds one batch's statistics. */
  public abstract void update(float[] statistics);

  /** The value over everything accumulated since the last reset. */
  public abstract double result();
}
