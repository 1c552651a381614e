package io.jkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A ratio of confusion counts at one threshold, accumulated over every sample seen: the base of
 * {@link Precision} and {@link Recall}.
 */
abstract class ThresholdCountMetric extends Metric {

  private final float threshold;

  /** tp, fp, tn, fn */
  private final double[] counts = new double[4];

  ThresholdCountMetric(String name, double threshold) {
    super(name);
    this.threshold = (float) threshold;
  }

  /** The decision threshold. */
  float threshold() {
    return threshold;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return ConfusionCounts.at(tf, yTrue, yPred, new float[] {threshold});
  }

  @Override
  public void reset() {
    java.util.Arrays.fill(counts, 0);
  }

  @Override
  public void update(float[] s) {
    for (int i = 0; i < 4; i++) {
      counts[i] += s[i];
    }
  }

  /** {@code numerator / (numerator + other)}, 0 when both are 0. */
  static double ratio(double numerator, double other) {
    return numerator + other == 0 ? 0 : numerator / (numerator + other);
  }

  double tp() {
    return counts[0];
  }

  double fp() {
    return counts[1];
  }

  double fn() {
    return counts[3];
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
