package io.jkeras.metrics;

import io.jkeras.backend.HostArray;
import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The (weighted) mean of the values it is given, as Keras's {@code keras.metrics.Mean}: each
 * sample's values are first averaged to one value, then {@code sum(w * v) / sum(w)} over every
 * sample since the last reset (w = 1 without sample weights). In a compiled model the values are
 * the predictions; subclasses average something computed from labels and predictions ({@link
 * #values}), as Keras's {@code MeanMetricWrapper}.
 *
 * <pre>{@code
 * Mean loss = new Mean("batch_loss");
 * loss.updateState(HostArray.of(new float[] {0.5f, 0.25f}));
 * loss.updateState(HostArray.of(new float[] {1f}), HostArray.of(new float[] {2f}));
 * loss.result(); // (0.5 + 0.25 + 2 * 1) / 4
 * }</pre>
 */
public class Mean extends Metric {

  /** A mean named "mean". */
  public Mean() {
    this("mean");
  }

  /**
   * A mean logged as {@code name}.
   *
   * @param name the name in logs
   */
  public Mean(String name) {
    super(name);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = Mean.fromConfig(Map.of("name", "mean"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static Mean fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Mean", config);
    Mean metric = new Mean(readBaseConfig(c, "mean"));
    c.rejectUnknownKeys();
    return metric;
  }

  /**
   * The values averaged, from a batch's labels and predictions: the predictions themselves here.
   *
   * @param tf the ops of the graph being built
   * @param yTrue the labels
   * @param yPred the predictions
   * @return values whose first axis is the batch
   */
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return yPred;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    Operand<TFloat32> values = values(tf, yTrue, yPred);
    if (sampleWeight != null && BatchShapes.perValue(sampleWeight)) {
      // A weight per value (an output's mask): the weighted mean over every weighted value.
      Operand<TFloat32> w = BatchShapes.perElement(tf, sampleWeight, values);
      return tf.stack(
          List.of(
              tf.sum(BatchShapes.flat(tf, tf.math.mul(values, w)), tf.constant(0)),
              tf.sum(BatchShapes.flat(tf, w), tf.constant(0))));
    }
    Operand<TFloat32> v = perSample(tf, values, true);
    Operand<TInt32> axis = tf.constant(0);
    if (sampleWeight == null) {
      Operand<TFloat32> n = tf.dtypes.cast(tf.size(v), TFloat32.class);
      return tf.stack(List.of(tf.sum(v, axis), n));
    }
    Operand<TFloat32> w = BatchShapes.perElement(tf, sampleWeight, v);
    return tf.stack(List.of(tf.sum(tf.math.mul(v, w), axis), tf.sum(w, axis)));
  }

  /**
   * Keras's reduction of each sample's values to one: the mean (or the sum) over every axis but the
   * first.
   */
  static Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> values, boolean mean) {
    int rank = values.shape().numDimensions();
    if (rank == 0) {
      return tf.reshape(values, tf.constant(new int[] {1}));
    }
    if (rank == 1) {
      return values;
    }
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return mean
        ? tf.math.mean(values, tf.constant(axes), org.tensorflow.op.math.Mean.keepDims(false))
        : tf.sum(values, tf.constant(axes));
  }

  @Override
  public double[] results() {
    double[] t = totals(2);
    return new double[] {t[1] == 0 ? 0 : t[0] / t[1]};
  }

  /**
   * Adds values, one (or one row) per sample, as Keras's {@code Mean.update_state(values)}.
   *
   * <pre>{@code mean.updateState(HostArray.of(new float[] {1, 2, 3}));}</pre>
   *
   * @param values the values
   */
  public void updateState(HostArray values) {
    updateState(values, values, null);
  }

  /**
   * Adds weighted values, as Keras's {@code Mean.update_state(values, sample_weight)}.
   *
   * <pre>{@code
   * mean.updateState(HostArray.of(new float[] {1, 2}), HostArray.of(new float[] {3, 1}));
   * }</pre>
   *
   * @param values the values, one (or one row) per sample
   * @param sampleWeight one weight per sample
   */
  public void updateState(HostArray values, HostArray sampleWeight) {
    updateState(values, values, sampleWeight);
  }
}
