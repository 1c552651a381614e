package io.jkeras.metrics;

/**
 * {@code tp / (tp + fp)} at threshold 0.5 over all samples seen, as Keras's {@code Precision}.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new Precision());
 * }</pre>
 */
public class Precision extends ThresholdCountMetric {

  public Precision() {
    this("precision", 0.5);
  }

  public Precision(String name, double threshold) {
    super(name, threshold);
  }

  @Override
  public double result() {
    return ratio(tp(), fp());
  }
}
