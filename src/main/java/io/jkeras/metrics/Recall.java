package io.jkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code tp / (tp + fn)} at threshold 0.5 over all samples seen, as Keras's {@code Recall}.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new Recall());
 * }</pre>
 */
public class Recall extends Metric {

  private final float threshold;
  private double tp;
  private double fn;

  public Recall() {
    this("recall", 0.5);
  }

  public Recall(String name, double threshold) {
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
    fn = 0;
  }

  @Override
  public void update(float[] s) {
    tp += s[0];
    fn += s[3];
  }

  @Override
  public double result() {
    return tp + fn == 0 ? 0 : tp / (tp + fn);
  }
}
