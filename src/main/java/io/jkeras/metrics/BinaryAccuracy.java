package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The fraction of predictions on the right side of {@code threshold} (0.5), as Keras's {@code
 * binary_accuracy}: per sample, the mean over the last axis of {@code y == (p > threshold)}.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new BinaryAccuracy());
 * }</pre>
 */
public class BinaryAccuracy extends MeanMetric {

  private final float threshold;

  /** Binary accuracy at threshold 0.5, named {@code "binary_accuracy"}. */
  public BinaryAccuracy() {
    this("binary_accuracy", 0.5);
  }

  /**
   * Binary accuracy with predictions above {@code threshold} counted as 1.
   *
   * @param name the name logged for the metric
   */
  public BinaryAccuracy(String name, double threshold) {
    super(name);
    this.threshold = (float) threshold;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = BinaryAccuracy.fromConfig(Map.of("name", "binary_accuracy"));}</pre>
   */
  public static BinaryAccuracy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("BinaryAccuracy", config);
    String name = readBaseConfig(c, "binary_accuracy");
    BinaryAccuracy metric = new BinaryAccuracy(name, c.number("threshold", 0.5));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("threshold", (double) threshold);
    return config;
  }

  @Override
  protected Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> predicted =
        tf.dtypes.cast(tf.math.greater(yPred, tf.constant(threshold)), TFloat32.class);
    Operand<TFloat32> hit = tf.dtypes.cast(tf.math.equal(yTrue, predicted), TFloat32.class);
    return tf.math.mean(hit, tf.constant(-1), Mean.keepDims(false));
  }
}
