package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One rate at the best threshold where another rate reaches a target, as Keras's {@code
 * SensitivitySpecificityBase}: confusion counts at {@code num_thresholds} evenly spaced thresholds
 * in [0, 1] (200 by default; 1 means 0.5), optionally for {@code class_id} only; the result is the
 * largest {@link #dependent} value among the thresholds whose {@link #constrained} value is at
 * least the target, or 0.
 */
abstract class SensitivitySpecificityBase extends Metric {

  private final double target;
  private final String targetKey;
  private final int numThresholds;
  private final Integer classId;
  private final ConfusionCounts counts;

  SensitivitySpecificityBase(
      String name, String targetKey, double target, int numThresholds, Integer classId) {
    super(name);
    if (target < 0 || target > 1) {
      throw new IllegalArgumentException(
          className() + ": " + targetKey + " must be in [0, 1], got " + target);
    }
    if (numThresholds <= 0) {
      throw new IllegalArgumentException(
          className() + ": num_thresholds must be an integer > 0, got " + numThresholds);
    }
    this.target = target;
    this.targetKey = targetKey;
    this.numThresholds = numThresholds;
    this.classId = classId;
    double[] t = new double[numThresholds];
    if (numThresholds == 1) {
      t[0] = 0.5;
    } else {
      for (int i = 1; i < numThresholds - 1; i++) {
        t[i] = i * 1.0 / (numThresholds - 1);
      }
      t[numThresholds - 1] = 1.0;
    }
    counts = new ConfusionCounts(t, numThresholds > 1, null, classId, false, null);
  }

  /** Reads the config keys of every subclass and returns the metric {@code make} builds. */
  static <M extends SensitivitySpecificityBase> M fromConfig(
      String className,
      String defaultName,
      String targetKey,
      Map<String, Object> config,
      Factory<M> make) {
    ConfigReader c = ConfigReader.of(className, config);
    String name = readBaseConfig(c, defaultName);
    if (!c.has(targetKey)) {
      throw c.fail(targetKey, "missing (expected a number in [0, 1])");
    }
    double target = c.number(targetKey, 0);
    int n = c.integer("num_thresholds", 200);
    Integer classId = ConfusionMetric.readOptionalInt(c, "class_id");
    M metric = make.create(name, target, n, classId);
    c.rejectUnknownKeys();
    return metric;
  }

  /** A subclass's constructor (name, target, num_thresholds, class_id). */
  interface Factory<M> {
    M create(String name, double target, int numThresholds, Integer classId);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("class_id", classId);
    config.put("num_thresholds", numThresholds);
    config.put(targetKey, target);
    return config;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    return counts.emit(tf, yTrue, yPred, sampleWeight);
  }

  /** The rate that must reach the target, per threshold, from tp, fp, tn, fn. */
  abstract double[] constrained(double[] tp, double[] fp, double[] tn, double[] fn);

  /** The rate maximized, per threshold. */
  abstract double[] dependent(double[] tp, double[] fp, double[] tn, double[] fn);

  @Override
  public double[] results() {
    int n = counts.size();
    double[] all = totals(4 * n);
    double[][] k = new double[4][n];
    for (int i = 0; i < 4; i++) {
      System.arraycopy(all, i * n, k[i], 0, n);
    }
    double[] c = constrained(k[0], k[1], k[2], k[3]);
    double[] d = dependent(k[0], k[1], k[2], k[3]);
    // Keras computes the rates in float32: compare the constraint as float32 too.
    double best = 0;
    for (int i = 0; i < n; i++) {
      if ((float) c[i] >= (float) target) {
        best = Math.max(best, d[i]);
      }
    }
    return new double[] {best};
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
