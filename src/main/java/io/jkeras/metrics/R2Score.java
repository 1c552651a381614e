package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The coefficient of determination {@code 1 - SS_res / SS_tot} per output of shape {@code (samples,
 * outputs)}, as Keras's {@code R2Score}.
 *
 * <ul>
 *   <li>{@code class_aggregation}: "uniform_average" (default, the mean over outputs),
 *       "variance_weighted_average" (weighted by each output's total sum of squares) or null (one
 *       value per output, logged as {@code name[i]}).
 *   <li>{@code num_regressors}: above 0, the adjusted R2 {@code 1 - (1 - R2)(n - 1) / (n - p - 1)},
 *       where n is the number of label values seen (as Keras counts them); plain R2 when p is not
 *       below n - 1.
 * </ul>
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new R2Score());
 * }</pre>
 */
public class R2Score extends Metric {

  private final String classAggregation;
  private final int numRegressors;

  /** Uniformly averaged R2, named "r2_score". */
  public R2Score() {
    this("r2_score", "uniform_average", 0);
  }

  /**
   * Keras's {@code R2Score(class_aggregation, num_regressors, name)}.
   *
   * <pre>{@code new R2Score("adjusted_r2", "uniform_average", 3);}</pre>
   *
   * @param name the name in logs
   * @param classAggregation "uniform_average", "variance_weighted_average" or null
   * @param numRegressors 0 for plain R2, else the number of regressors of the adjusted R2
   */
  public R2Score(String name, String classAggregation, int numRegressors) {
    super(name);
    if (classAggregation != null
        && !classAggregation.equals("uniform_average")
        && !classAggregation.equals("variance_weighted_average")) {
      throw new IllegalArgumentException(
          "R2Score: class_aggregation must be one of [null, uniform_average,"
              + " variance_weighted_average], got "
              + classAggregation);
    }
    if (numRegressors < 0) {
      throw new IllegalArgumentException(
          "R2Score: num_regressors must be >= 0, got " + numRegressors);
    }
    this.classAggregation = classAggregation;
    this.numRegressors = numRegressors;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = R2Score.fromConfig(Map.of("num_regressors", 2));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static R2Score fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("R2Score", config);
    String name = readBaseConfig(c, "r2_score");
    String aggregation =
        c.has("class_aggregation") ? c.string("class_aggregation", null) : "uniform_average";
    R2Score metric = new R2Score(name, aggregation, c.integer("num_regressors", 0));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("class_aggregation", classAggregation);
    config.put("num_regressors", numRegressors);
    return config;
  }

  /** Statistics per output: sum(w y), sum(w y^2), sum(w (y - p)^2), sum(w); then the count. */
  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    List<Operand<TFloat32>> yp = BatchShapes.sameRank(tf, yTrue, yPred);
    Operand<TFloat32> y = yp.get(0);
    Operand<TFloat32> p = yp.get(1);
    if (y.shape().numDimensions() != 2 || y.shape().size(1) < 0) {
      throw new IllegalArgumentException(
          "R2Score \""
              + name()
              + "\" expects labels and predictions of shape (batch_size, output_dim) with a known"
              + " output_dim, got "
              + yTrue.shape()
              + " and "
              + yPred.shape());
    }
    Operand<TFloat32> w =
        sampleWeight == null ? tf.onesLike(y) : BatchShapes.perElement(tf, sampleWeight, y);
    Operand<TInt32> batch = tf.constant(0);
    Operand<TFloat32> wy = tf.math.mul(y, w);
    Operand<TFloat32> d = tf.math.sub(y, p);
    return tf.concat(
        List.of(
            tf.sum(wy, batch),
            tf.sum(tf.math.mul(y, wy), batch),
            tf.sum(tf.math.mul(tf.math.mul(d, d), w), batch),
            tf.sum(w, batch),
            tf.reshape(tf.dtypes.cast(tf.size(y), TFloat32.class), tf.constant(new int[] {1}))),
        batch);
  }

  @Override
  public double[] results() {
    double[] t = totals(0);
    int n = (t.length - 1) / 4;
    if (n <= 0) {
      return new double[0];
    }
    double[] raw = new double[n];
    double[] total = new double[n];
    for (int i = 0; i < n; i++) {
      double mean = t[i] / t[3 * n + i];
      total[i] = t[n + i] - t[i] * mean;
      raw[i] = 1 - t[2 * n + i] / total[i];
      if (Double.isInfinite(raw[i])) {
        raw[i] = 0;
      }
    }
    double r2;
    if (classAggregation == null) {
      if (numRegressors == 0) {
        return raw;
      }
      double[] adjusted = raw.clone();
      for (int i = 0; i < n; i++) {
        adjusted[i] = adjust(raw[i], t[4 * n]);
      }
      return adjusted;
    } else if (classAggregation.equals("uniform_average")) {
      r2 = java.util.Arrays.stream(raw).average().orElse(0);
    } else {
      double weighted = 0;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        weighted += total[i] * raw[i];
        sum += total[i];
      }
      r2 = weighted / sum;
    }
    return new double[] {adjust(r2, t[4 * n])};
  }

  /** The adjusted R2 for {@code samples} label values, or r2 itself when it is undefined. */
  private double adjust(double r2, double samples) {
    if (numRegressors == 0 || numRegressors >= samples - 1) {
      return r2;
    }
    return 1 - (1 - r2) * (samples - 1) / (samples - numRegressors - 1);
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
