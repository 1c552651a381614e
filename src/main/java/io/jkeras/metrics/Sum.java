package io.jkeras.metrics;

import io.jkeras.backend.HostArray;
import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The (weighted) sum of the values it is given, as Keras's {@code keras.metrics.Sum}: {@code sum(w
 * * v)} over every value since the last reset (a sample's weight applies to all its values). In a
 * compiled model the values are the predictions.
 *
 * <pre>{@code
 * Sum seen = new Sum("clicks");
 * seen.updateState(HostArray.of(new float[] {1, 0, 1}));
 * seen.result(); // 2
 * }</pre>
 */
public class Sum extends Metric {

  /** A sum named "sum". */
  public Sum() {
    this("sum");
  }

  /**
   * A sum logged as {@code name}.
   *
   * @param name the name in logs
   */
  public Sum(String name) {
    super(name);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Sum.fromConfig(Map.of("name", "sum"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static Sum fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Sum", config);
    Sum metric = new Sum(readBaseConfig(c, "sum"));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    Operand<TFloat32> v;
    if (sampleWeight != null && BatchShapes.perValue(sampleWeight)) {
      // A weight per value (an output's mask): every value times its weight.
      v = BatchShapes.flat(tf, tf.math.mul(yPred, BatchShapes.perElement(tf, sampleWeight, yPred)));
    } else {
      v = Mean.perSample(tf, yPred, false);
      if (sampleWeight != null) {
        v = tf.math.mul(v, BatchShapes.perElement(tf, sampleWeight, v));
      }
    }
    return tf.reshape(tf.sum(v, tf.constant(0)), tf.constant(new int[] {1}));
  }

  @Override
  public double[] results() {
    return new double[] {totals(1)[0]};
  }

  /**
   * Adds values, as Keras's {@code Sum.update_state(values)}.
   *
   * <pre>{@code sum.updateState(HostArray.of(new float[] {1, 2, 3}));}</pre>
   *
   * @param values the values
   */
  public void updateState(HostArray values) {
    updateState(values, values, null);
  }

  /**
   * Adds weighted values, as Keras's {@code Sum.update_state(values, sample_weight)}.
   *
   * <pre>
   * {@code sum.updateState(HostArray.of(new float[] {1, 2}), HostArray.of(new float[] {3, 1}));}
   * </pre>
   *
   * @param values the values, one (or one row) per sample
   * @param sampleWeight one weight per sample
   */
  public void updateState(HostArray values, HostArray sampleWeight) {
    updateState(values, values, sampleWeight);
  }
}
