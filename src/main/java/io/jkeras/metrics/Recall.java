package io.jkeras.metrics;

/**
 * {@code tp / (tp + fn)} at threshold 0.5 over all samples seen, as Keras's {@code Recall}.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new Recall());
 * }</pre>
 */
public class Recall extends ThresholdCountMetric {

  public Recall() {
    this("recall", 0.5);
  }

  public Recall(String name, double threshold) {
    super(name, threshold);
  }

  @Override
  public double result() {
    return ratio(tp(), fn());
  }
}
