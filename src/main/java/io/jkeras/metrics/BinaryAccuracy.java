package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * How often predictions are on the label's side of {@code threshold} (0.5), as Keras's {@code
 * BinaryAccuracy}: per element {@code y == (p > threshold)}, averaged per sample, then over
 * (weighted) samples.
 *
 * <pre>{@code
 * model.compile(new Adam(), "binary_crossentropy", new BinaryAccuracy());
 * }</pre>
 */
public class BinaryAccuracy extends Mean {

  private final double threshold;

  /** Accuracy at threshold 0.5, named "binary_accuracy". */
  public BinaryAccuracy() {
    this("binary_accuracy", 0.5);
  }

  /**
   * Keras's {@code BinaryAccuracy(name, threshold)}.
   *
   * <pre>{@code new BinaryAccuracy("acc_at_0", 0.0); // for logits}</pre>
   *
   * @param name the name in logs
   * @param threshold predictions above it are positive
   */
  public BinaryAccuracy(String name, double threshold) {
    super(name);
    this.threshold = threshold;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = BinaryAccuracy.fromConfig(Map.of("threshold", 0.3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static BinaryAccuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("BinaryAccuracy", config);
    BinaryAccuracy metric =
        new BinaryAccuracy(readBaseConfig(c, "binary_accuracy"), c.number("threshold", 0.5));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = baseConfig();
    config.put("threshold", threshold);
    return config;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    List<Operand<TFloat32>> yp = BatchShapes.sameRank(tf, yTrue, yPred);
    Operand<TFloat32> predicted =
        tf.dtypes.cast(tf.math.greater(yp.get(1), tf.constant((float) threshold)), TFloat32.class);
    return tf.dtypes.cast(tf.math.equal(yp.get(0), predicted), TFloat32.class);
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
