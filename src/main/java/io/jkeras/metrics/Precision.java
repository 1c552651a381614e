package io.jkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code tp / (tp + fp)} at threshold 0.5 over all samples seen, as Keras's {@code Precision}.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new Precision());
 * }</pre>
 */
public class Precision extends Metric {

  private final float threshold;
  private double tp;
  private double fp;

  public Precision() {
    this("precision", 0.5);
  }

  public Precision(String name, double threshold) {
    super(name);
    this.threshold = (float) threshold;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return ConfusionCounts.at(tf, yTrue, yPred, new float[] {threshold});
  }

  @Override
  public void reset() {
    tp = 0;
    fp = 0;
  }

  @Override
  public void update(float[] s) {
    tp += s[0];
    fp += s[1];
  }

  @Override
  public double result() {
    return tp + fp == 0 ? 0 : tp / (tp + fp);
  }
}
