package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The F-beta score {@code (1 + b^2) p r / (b^2 p + r)} of multi-class or multi-label predictions of
 * shape {@code (samples, classes)}, as Keras's {@code FBetaScore}.
 *
 * <ul>
 *   <li>{@code threshold}: predictions above it are positive; when null, the highest prediction of
 *       each row (and ties with it) is positive.
 *   <li>{@code average}: null (one score per class, logged as {@code name[i]}), "micro" (counts
 *       summed over classes), "macro" (mean of the class scores) or "weighted" (mean weighted by
 *       each class's number of true labels).
 * </ul>
 *
 * <pre>{@code
 * model.compile(new Adam(), "categorical_crossentropy", new FBetaScore("macro", 2.0, null));
 * }</pre>
 */
public class FBetaScore extends Metric {

  private static final double EPSILON = 1e-7;
  private static final List<String> AVERAGES =
      java.util.Arrays.asList(null, "micro", "macro", "weighted");

  private final String average;
  private final double beta;
  private final Double threshold;

  /**
   * Keras's {@code FBetaScore(average, beta, threshold)}, named "fbeta_score".
   *
   * @param average null, "micro", "macro" or "weighted"
   * @param beta the weight of recall, greater than 0
   * @param threshold in (0, 1], or null for the highest prediction of each row
   */
  public FBetaScore(String average, double beta, Double threshold) {
    this("fbeta_score", average, beta, threshold);
  }

  /**
   * Keras's {@code FBetaScore(average, beta, threshold, name)}.
   *
   * <pre>{@code new FBetaScore("f2", "micro", 2.0, 0.5);}</pre>
   *
   * @param name the name in logs
   * @param average null, "micro", "macro" or "weighted"
   * @param beta the weight of recall, greater than 0
   * @param threshold in (0, 1], or null for the highest prediction of each row
   */
  public FBetaScore(String name, String average, double beta, Double threshold) {
    super(name);
    if (!AVERAGES.contains(average)) {
      throw new IllegalArgumentException(
          className() + ": average must be one of [null, micro, macro, weighted], got " + average);
    }
    if (!(beta > 0)) {
      throw new IllegalArgumentException(className() + ": beta must be > 0, got " + beta);
    }
    if (threshold != null && !(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException(
          className() + ": threshold must verify 0 < threshold <= 1, got " + threshold);
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = FBetaScore.fromConfig(Map.of("beta", 2.0, "average", "macro"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static FBetaScore fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("FBetaScore", config);
    String name = readBaseConfig(c, "fbeta_score");
    FBetaScore metric =
        new FBetaScore(name, c.string("average", null), c.number("beta", 1.0), readThreshold(c));
    c.rejectUnknownKeys();
    return metric;
  }

  /** The optional {@code threshold}. */
  static Double readThreshold(ConfigReader c) {
    Object t = c.raw("threshold");
    if (t != null && !(t instanceof Number)) {
      throw c.wrongValue("threshold", "a number in (0, 1] or null", t);
    }
    return t == null ? null : ((Number) t).doubleValue();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("average", average);
    config.put("beta", beta);
    config.put("threshold", threshold);
    return config;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    if (yTrue.shape().numDimensions() != 2
        || yPred.shape().numDimensions() != 2
        || yPred.shape().size(1) < 0) {
      throw new IllegalArgumentException(
          className()
              + " \""
              + name()
              + "\" expects labels and predictions of shape (batch_size, output_dim) with a known"
              + " output_dim, got "
              + yTrue.shape()
              + " and "
              + yPred.shape());
    }
    Operand<TBool> positive;
    if (threshold == null) {
      Operand<TFloat32> rowMax = tf.max(yPred, tf.constant(-1), Max.keepDims(true));
      positive =
          tf.math.logicalAnd(
              tf.math.greaterEqual(yPred, rowMax),
              tf.math.greater(tf.math.abs(yPred), tf.constant(1e-9f)));
    } else {
      positive = tf.math.greater(yPred, tf.constant(threshold.floatValue()));
    }
    Operand<TFloat32> p = tf.dtypes.cast(positive, TFloat32.class);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> w =
        sampleWeight == null ? tf.onesLike(p) : BatchShapes.perElement(tf, sampleWeight, p);
    Operand<TFloat32> notP = tf.math.sub(one, p);
    Operand<TFloat32> notY = tf.math.sub(one, yTrue);
    List<Operand<TFloat32>> parts =
        List.of(
            tf.math.mul(tf.math.mul(p, yTrue), w),
            tf.math.mul(tf.math.mul(p, notY), w),
            tf.math.mul(tf.math.mul(notP, yTrue), w),
            tf.math.mul(yTrue, w));
    java.util.List<Operand<TFloat32>> sums = new java.util.ArrayList<>();
    for (Operand<TFloat32> part : parts) {
      sums.add(
          "micro".equals(average)
              ? tf.reshape(tf.sum(part, tf.constant(new int[] {0, 1})), tf.constant(new int[] {1}))
              : tf.sum(part, tf.constant(0)));
    }
    return tf.concat(sums, tf.constant(0));
  }

  @Override
  public double[] results() {
    double[] t = totals(0);
    int n = t.length / 4;
    if (n == 0) {
      return new double[0];
    }
    double b2 = beta * beta;
    double[] f = new double[n];
    double weightSum = 0;
    for (int i = 0; i < n; i++) {
      double tp = t[i];
      double precision = tp / (tp + t[n + i] + EPSILON);
      double recall = tp / (tp + t[2 * n + i] + EPSILON);
      f[i] = precision * recall / (b2 * precision + recall + EPSILON) * (1 + b2);
      weightSum += t[3 * n + i];
    }
    if (average == null) {
      return f;
    }
    double out = 0;
    for (int i = 0; i < n; i++) {
      out += "weighted".equals(average) ? f[i] * t[3 * n + i] / (weightSum + EPSILON) : f[i] / n;
    }
    return new double[] {out};
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
