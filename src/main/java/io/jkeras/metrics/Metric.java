package io.jkeras.metrics;

import io.jkeras.KerasSerializable;
import io.jkeras.backend.HostArray;
import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A streaming metric, as Keras's {@code keras.metrics.Metric}: each batch, the graph computes a
 * small vector of sums (true and false positives per threshold, weighted values and weights...),
 * the metric adds them up on the host in double precision ({@link #update}), and {@link #result()}
 * turns the totals into the value over every sample since the last {@link #reset()}.
 *
 * <p>Outside training, {@link #updateState(HostArray, HostArray, HostArray)} feeds one batch of
 * labels and predictions (with optional per-sample weights) as Keras's {@code update_state} does.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new AUC(), new Precision());
 *
 * AUC auc = AUC.builder().curve("PR").build();
 * auc.updateState(HostArray.of(labels), HostArray.of(scores), null);
 * double prAuc = auc.result();
 * }</pre>
 */
public abstract class Metric implements KerasSerializable {

  private final String name;

  /** The sums of the batch statistics since the last reset; null before the first batch. */
  private double[] totals;

  /**
   * A metric logged as {@code name}.
   *
   * @param name the name in logs and histories ({@code "auc"}, {@code "val_auc"} for validation)
   */
  protected Metric(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": a metric needs a non-empty name");
    }
    this.name = name;
  }

  /**
   * The name in logs and histories.
   *
   * <pre>{@code new AUC().name(); // "auc"}</pre>
   */
  public String name() {
    return name;
  }

  /**
   * The Keras class name; by default the Java simple class name.
   *
   * <pre>{@code new AUC().className(); // "AUC"}</pre>
   */
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
    return baseConfig();
  }

  /**
   * The keys of every Keras metric config, {@code name} and {@code dtype}, for subclasses that
   * write their config from scratch (as Keras's metrics on loss functions do).
   *
   * <pre>{@code Map<String, Object> config = baseConfig(); config.put("threshold", 0.5);}</pre>
   *
   * @return a new modifiable map
   */
  protected final Map<String, Object> baseConfig() {
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
   * String name = readBaseConfig(c, "recall");
   * }</pre>
   *
   * @param c the reader of the metric's config
   * @param defaultName Keras's default name of the class
   * @return the metric's name
   */
  protected static String readBaseConfig(ConfigReader c, String defaultName) {
    c.requireFloat32Dtype();
    return c.string("name", defaultName);
  }

  /**
   * Which way the metric improves, as Keras's metric {@code _direction}: {@code "up"} when higher
   * values are better (accuracy, AUC), {@code "down"} when lower ones are (errors, losses), null
   * when unknown. Callbacks in mode {@code "auto"} ({@code EarlyStopping}, {@code ModelCheckpoint},
   * {@code ReduceLROnPlateau}) follow it; a custom metric overrides this to be monitored in that
   * mode.
   *
   * <pre>{@code
   * new AUC().direction(); // "up"
   * }</pre>
   *
   * @return {@code "up"}, {@code "down"} or null
   */
  public String direction() {
    return null;
  }

  // ---- graph side ----------------------------------------------------------------------------

  /**
   * Emits this batch's statistics as a float32 vector whose length does not change from batch to
   * batch.
   *
   * @param tf the ops of the graph being built
   * @param yTrue the labels (the predictions' rank, or one less for class indices)
   * @param yPred the predictions
   * @param sampleWeight one weight per sample (shape {@code (batch,)}), or a weight per value
   *     (shaped like the leading axes of the predictions, as an output's Keras mask {@code (batch,
   *     steps)}), or null for weights of 1
   * @return the statistics {@link #update} adds up
   */
  public abstract Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight);

  /**
   * This batch's statistics without sample weights.
   *
   * <pre>{@code Operand<TFloat32> stats = metric.batchStatistics(tf, labels, predictions);}</pre>
   *
   * @param tf the ops of the graph being built
   * @param yTrue the labels
   * @param yPred the predictions
   * @return the statistics {@link #update} adds up
   */
  public final Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return batchStatistics(tf, yTrue, yPred, null);
  }

  // ---- host side -----------------------------------------------------------------------------

  /**
   * Forgets everything accumulated (at the start of each epoch and evaluation), as Keras's {@code
   * reset_state}.
   *
   * <pre>{@code metric.reset();}</pre>
   */
  public void reset() {
    totals = null;
  }

  /**
   * Adds one batch's statistics (the value of {@link #batchStatistics}).
   *
   * <pre>{@code metric.update(statisticsOfThisBatch);}</pre>
   *
   * @param statistics the batch's statistics
   * @throws IllegalArgumentException when their length differs from the previous batches'
   */
  public void update(float[] statistics) {
    if (totals == null) {
      totals = new double[statistics.length];
    } else if (totals.length != statistics.length) {
      throw new IllegalArgumentException(
          className()
              + " \""
              + name
              + "\": this batch gives "
              + statistics.length
              + " statistics, earlier batches gave "
              + totals.length
              + " (did the number of classes or labels change?)");
    }
    for (int i = 0; i < statistics.length; i++) {
      totals[i] += statistics[i];
    }
  }

  /**
   * The sums of the batch statistics since the last reset, or zeros of {@code length} before the
   * first batch.
   *
   * @param length the number of statistics when no batch has been seen (0 when unknown)
   * @return the totals (not a copy)
   */
  protected double[] totals(int length) {
    return totals == null ? new double[length] : totals;
  }

  /**
   * Every value of the metric over everything accumulated since the last reset: one value, or one
   * per threshold or class (as Keras's {@code result()} returns a vector for {@code Precision} with
   * several thresholds or {@code F1Score} without averaging).
   *
   * <pre>{@code double[] perThreshold = precision.results();}</pre>
   *
   * @return the values
   */
  public abstract double[] results();

  /**
   * The value over everything accumulated since the last reset.
   *
   * <pre>{@code double auc = metric.result();}</pre>
   *
   * @return the metric's value
   * @throws IllegalStateException when the metric has several values (see {@link #results()})
   */
  public double result() {
    double[] r = results();
    if (r.length != 1) {
      throw new IllegalStateException(
          className()
              + " \""
              + name
              + "\" has "
              + r.length
              + " values (one per threshold or class), not one: use results()");
    }
    return r[0];
  }

  /**
   * The metric's entries in training logs: {@code name} for one value, {@code name[i]} for the i-th
   * of several.
   *
   * <pre>{@code new F1Score().logs(); // {f1_score[0]=..., f1_score[1]=...}}</pre>
   *
   * @return the entries, in order
   */
  public Map<String, Double> logs() {
    double[] r = results();
    Map<String, Double> out = new LinkedHashMap<>();
    if (r.length == 1) {
      out.put(name, r[0]);
    } else {
      for (int i = 0; i < r.length; i++) {
        out.put(name + "[" + i + "]", r[i]);
      }
    }
    return out;
  }

  /**
   * Accumulates one batch of labels and predictions outside a model, as Keras's {@code
   * update_state(y_true, y_pred, sample_weight)}: runs {@link #batchStatistics} in a graph of its
   * own and {@link #update}s.
   *
   * <pre>{@code
   * Precision p = new Precision();
   * p.updateState(HostArray.of(new float[] {0, 1, 1}), HostArray.of(new float[] {0.2f, 0.7f, 0.4f}),
   *     null);
   * p.result(); // 1.0
   * }</pre>
   *
   * @param yTrue the labels
   * @param yPred the predictions
   * @param sampleWeight one weight per sample, or null
   */
  public void updateState(HostArray yTrue, HostArray yPred, HostArray sampleWeight) {
    if (yTrue.count() != yPred.count()
        || (sampleWeight != null && sampleWeight.count() != yPred.count())) {
      throw new IllegalArgumentException(
          className()
              + " \""
              + name
              + "\": labels, predictions and sample weights need the same number of samples, got "
              + yTrue.count()
              + ", "
              + yPred.count()
              + (sampleWeight == null ? "" : " and " + sampleWeight.count()));
    }
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<HostArray> arrays =
          sampleWeight == null ? List.of(yTrue, yPred) : List.of(yTrue, yPred, sampleWeight);
      List<Placeholder<TFloat32>> in = new java.util.ArrayList<>();
      for (HostArray a : arrays) {
        in.add(tf.placeholder(TFloat32.class, Placeholder.shape(a.shape())));
      }
      Operand<TFloat32> stats =
          batchStatistics(tf, in.get(0), in.get(1), sampleWeight == null ? null : in.get(2));
      List<Tensor> fed = new java.util.ArrayList<>();
      try {
        Session.Runner runner = s.runner();
        for (int i = 0; i < arrays.size(); i++) {
          Tensor t = arrays.get(i).rows(0, arrays.get(i).count(), "float32");
          fed.add(t);
          runner.feed(in.get(i), t);
        }
        try (Result r = runner.fetch(stats).run()) {
          TFloat32 v = (TFloat32) r.get(0);
          float[] values = new float[(int) v.size()];
          v.copyTo(DataBuffers.of(values, false, false));
          update(values);
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    }
  }
}
