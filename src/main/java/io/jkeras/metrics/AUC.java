package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Area under the ROC curve as Keras's {@code AUC()} computes it: confusion counts at 200 thresholds
 * ({@code -1e-7}, {@code i/199} for i = 1..198, {@code 1 + 1e-7}), then the trapezoidal sum of
 * true-positive rate over false-positive rate.
 *
 * <pre>{@code
 * model.compile("adam", "binary_crossentropy", new AUC());
 * }</pre>
 */
public class AUC extends Metric {

  private final float[] thresholds;
  private double[] counts;

  /** ROC AUC over 200 thresholds, named {@code "auc"}. */
  public AUC() {
    this("auc", 200);
  }

  /**
   * ROC AUC over {@code numThresholds} thresholds: just below 0, {@code i / (numThresholds - 1)} in
   * between, and just above 1.
   *
   * @param name the name logged for the metric
   * @throws IllegalArgumentException if {@code numThresholds} is below 2
   */
  public AUC(String name, int numThresholds) {
    super(name);
    if (numThresholds < 2) {
      throw new IllegalArgumentException("AUC: num_thresholds must be > 1, got " + numThresholds);
    }
    thresholds = new float[numThresholds];
    thresholds[0] = -1e-7f;
    for (int i = 1; i < numThresholds - 1; i++) {
      thresholds[i] = (float) i / (numThresholds - 1);
    }
    thresholds[numThresholds - 1] = 1f + 1e-7f;
    reset();
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = AUC.fromConfig(Map.of("name", "auc"));}</pre>
   */
  public static AUC fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("AUC", config);
    String name = readBaseConfig(c, "auc");
    c.requireDefault("curve", "ROC", "a curve other than ROC");
    c.requireDefault(
        "summation_method", "interpolation", "a summation method other than interpolation");
    c.requireDefault("multi_label", false, "multi-label AUC");
    c.requireDefault("num_labels", null, "num_labels");
    c.requireDefault("label_weights", null, "label weights");
    c.requireDefault("from_logits", false, "from_logits");
    c.requireDefault("thresholds", null, "explicit thresholds");
    AUC metric = new AUC(name, c.integer("num_thresholds", 200));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("num_thresholds", thresholds.length);
    config.put("curve", "ROC");
    config.put("summation_method", "interpolation");
    config.put("multi_label", false);
    config.put("num_labels", null);
    config.put("label_weights", null);
    config.put("from_logits", false);
    return config;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return ConfusionCounts.at(tf, yTrue, yPred, thresholds);
  }

  @Override
  public void reset() {
    counts = new double[4 * thresholds.length];
  }

  @Override
  public void update(float[] s) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += s[i];
    }
  }

  @Override
  public double result() {
    int n = thresholds.length;
    double[] tpr = new double[n];
    double[] fpr = new double[n];
    for (int i = 0; i < n; i++) {
      double tp = counts[i];
      double fp = counts[n + i];
      double tn = counts[2 * n + i];
      double fn = counts[3 * n + i];
      tpr[i] = tp + fn == 0 ? 0 : tp / (tp + fn);
      fpr[i] = fp + tn == 0 ? 0 : fp / (fp + tn);
    }
    double auc = 0;
    for (int i = 0; i < n - 1; i++) {
      auc += (fpr[i] - fpr[i + 1]) * (tpr[i] + tpr[i + 1]) / 2;
    }
    return auc;
  }
}
