package io.jkeras.metrics;

import io.jkeras.config.ConfigException;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Area under the ROC or precision-recall curve, as Keras's {@code AUC}: weighted confusion counts
 * at {@code num_thresholds} thresholds (200 by default: {@code -1e-7}, {@code i / (n - 1)} for i =
 * 1..n-2, {@code 1 + 1e-7}; or the given {@code thresholds} between those two ends), then a Riemann
 * sum over the curve.
 *
 * <ul>
 *   <li>{@code curve}: "ROC" (true-positive rate over false-positive rate), "PR" (precision over
 *       recall) or "PRGAIN" (precision gain over recall gain).
 *   <li>{@code summation_method}: "interpolation" (trapezoids; for PR, Davis and Goadrich's
 *       interpolation of precision between thresholds), "minoring" or "majoring" (the lower or
 *       upper value of each step).
 *   <li>{@code multi_label}: one curve per label (the last axis), averaged, or weighted by {@code
 *       label_weights}; otherwise every element is one prediction, weighted by {@code
 *       label_weights} when given. {@code num_labels} fixes the number of labels in advance.
 *   <li>{@code from_logits}: predictions are logits (a sigmoid is applied first).
 * </ul>
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), new AUC());
 * Metric prAuc = AUC.builder().curve("PR").name("pr_auc").build();
 * }</pre>
 */
public class AUC extends Metric {

  private static final double EPSILON = 1e-7;

  private final int numThresholds;
  private final String curve;
  private final String summationMethod;
  private final double[] givenThresholds;
  private final boolean multiLabel;
  private final Integer numLabels;
  private final float[] labelWeights;
  private final boolean fromLogits;
  private final ConfusionCounts counts;

  /** ROC AUC with 200 thresholds, named "auc". */
  public AUC() {
    this(builder());
  }

  /**
   * ROC AUC with {@code numThresholds} thresholds.
   *
   * <pre>{@code new AUC("auc", 500);}</pre>
   *
   * @param name the name in logs
   * @param numThresholds the number of thresholds, greater than 1
   */
  public AUC(String name, int numThresholds) {
    this(builder().name(name).numThresholds(numThresholds));
  }

  private AUC(Builder b) {
    super(b.name);
    curve = canonicalCurve(b.curve);
    summationMethod = canonicalSummation(b.summationMethod);
    double[] t;
    boolean evenly;
    if (b.thresholds != null) {
      givenThresholds = b.thresholds.clone();
      Arrays.sort(givenThresholds);
      numThresholds = givenThresholds.length + 2;
      t = new double[numThresholds];
      double[] withEnds = new double[numThresholds];
      System.arraycopy(givenThresholds, 0, t, 1, givenThresholds.length);
      System.arraycopy(givenThresholds, 0, withEnds, 1, givenThresholds.length);
      withEnds[numThresholds - 1] = 1;
      evenly = ConfusionCounts.evenlyDistributed(withEnds);
    } else {
      if (b.numThresholds <= 1) {
        throw new IllegalArgumentException(
            "AUC: num_thresholds must be an integer > 1, got " + b.numThresholds);
      }
      givenThresholds = null;
      numThresholds = b.numThresholds;
      t = new double[numThresholds];
      for (int i = 0; i < numThresholds - 2; i++) {
        t[i + 1] = (i + 1) * 1.0 / (numThresholds - 1);
      }
      evenly = true;
    }
    // End points below 0 and above 1 catch every prediction at the extremes.
    t[0] = 0.0 - EPSILON;
    t[numThresholds - 1] = 1.0 + EPSILON;
    multiLabel = b.multiLabel;
    numLabels = b.numLabels;
    if (!multiLabel && numLabels != null) {
      throw new IllegalArgumentException(
          "AUC: num_labels is needed only when multi_label is true, got num_labels=" + numLabels);
    }
    if (numLabels != null && numLabels < 1) {
      throw new IllegalArgumentException("AUC: num_labels must be positive, got " + numLabels);
    }
    labelWeights = b.labelWeights;
    fromLogits = b.fromLogits;
    counts =
        new ConfusionCounts(t, evenly, null, null, multiLabel, multiLabel ? null : labelWeights);
  }

  private static String canonicalCurve(String curve) {
    return switch (curve == null ? "" : curve) {
      case "ROC", "roc" -> "ROC";
      case "PR", "pr" -> "PR";
      case "PRGAIN", "prgain" -> "PRGAIN";
      default ->
          throw new IllegalArgumentException(
              "AUC: invalid curve \"" + curve + "\"; expected one of [PR, ROC, PRGAIN]");
    };
  }

  private static String canonicalSummation(String method) {
    return switch (method == null ? "" : method) {
      case "interpolation", "Interpolation" -> "interpolation";
      case "majoring", "Majoring" -> "majoring";
      case "minoring", "Minoring" -> "minoring";
      default ->
          throw new IllegalArgumentException(
              "AUC: invalid summation_method \""
                  + method
                  + "\"; expected one of [interpolation, majoring, minoring]");
    };
  }

  /**
   * A builder with Keras's defaults (ROC, interpolation, 200 thresholds, name "auc").
   *
   * <pre>{@code AUC pr = AUC.builder().curve("PR").numThresholds(1000).build();}</pre>
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Keras's optional {@code AUC} arguments. */
  public static final class Builder {
    private String name = "auc";
    private int numThresholds = 200;
    private String curve = "ROC";
    private String summationMethod = "interpolation";
    private double[] thresholds;
    private boolean multiLabel;
    private Integer numLabels;
    private float[] labelWeights;
    private boolean fromLogits;

    private Builder() {}

    /**
     * The name in logs ("auc").
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * The number of thresholds (200), when no explicit thresholds are given.
     *
     * @param numThresholds greater than 1
     * @return this builder
     */
    public Builder numThresholds(int numThresholds) {
      this.numThresholds = numThresholds;
      return this;
    }

    /**
     * The curve: "ROC" (default), "PR" or "PRGAIN".
     *
     * @param curve the curve
     * @return this builder
     */
    public Builder curve(String curve) {
      this.curve = curve;
      return this;
    }

    /**
     * How the area is summed: "interpolation" (default), "minoring" or "majoring".
     *
     * @param summationMethod the method
     * @return this builder
     */
    public Builder summationMethod(String summationMethod) {
      this.summationMethod = summationMethod;
      return this;
    }

    /**
     * Explicit thresholds (sorted; the two end points below 0 and above 1 are added).
     *
     * @param thresholds the thresholds
     * @return this builder
     */
    public Builder thresholds(double... thresholds) {
      this.thresholds = thresholds == null ? null : thresholds.clone();
      return this;
    }

    /**
     * One curve per label (the last axis), averaged.
     *
     * @param multiLabel true for multi-label data
     * @return this builder
     */
    public Builder multiLabel(boolean multiLabel) {
      this.multiLabel = multiLabel;
      return this;
    }

    /**
     * The number of labels of multi-label data, when known in advance.
     *
     * @param numLabels the number of labels
     * @return this builder
     */
    public Builder numLabels(Integer numLabels) {
      this.numLabels = numLabels;
      return this;
    }

    /**
     * Weights of the labels: of each label's AUC when multi-label, else of each prediction.
     *
     * @param labelWeights one weight per label
     * @return this builder
     */
    public Builder labelWeights(float... labelWeights) {
      this.labelWeights = labelWeights == null ? null : labelWeights.clone();
      return this;
    }

    /**
     * Whether predictions are logits.
     *
     * @param fromLogits true to apply a sigmoid first
     * @return this builder
     */
    public Builder fromLogits(boolean fromLogits) {
      this.fromLogits = fromLogits;
      return this;
    }

    /**
     * The metric.
     *
     * @return the AUC metric
     * @throws IllegalArgumentException for an unknown curve or summation method, or bad counts
     */
    public AUC build() {
      return new AUC(this);
    }
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = AUC.fromConfig(Map.of("curve", "PR"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static AUC fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("AUC", config);
    Builder b = builder().name(readBaseConfig(c, "auc"));
    b.numThresholds(c.integer("num_thresholds", 200));
    b.curve(c.string("curve", "ROC"));
    b.summationMethod(c.string("summation_method", "interpolation"));
    b.multiLabel(c.bool("multi_label", false));
    Long labels = c.optionalLong("num_labels");
    b.numLabels(labels == null ? null : Math.toIntExact(labels));
    double[] weights = readNumbers(c, "label_weights");
    if (weights != null) {
      float[] w = new float[weights.length];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) weights[i];
      }
      b.labelWeights(w);
    }
    b.fromLogits(c.bool("from_logits", false));
    b.thresholds(readNumbers(c, "thresholds"));
    AUC metric;
    try {
      metric = b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("AUC", "config", e.getMessage());
    }
    c.rejectUnknownKeys();
    return metric;
  }

  /** A list of numbers, or Keras's {@code __tensor__} object holding one, or null. */
  private static double[] readNumbers(ConfigReader c, String key) {
    Object v = c.raw(key);
    if (v instanceof Map<?, ?> m
        && "__tensor__".equals(m.get("class_name"))
        && m.get("config") instanceof Map<?, ?> tc) {
      v = tc.get("value");
    }
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> list)) {
      throw c.wrongValue(key, "a list of numbers or null", v);
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw c.wrongValue(key, "a list of numbers or null", v);
      }
      out[i] = n.doubleValue();
    }
    return out;
  }

  /** The thresholds, including the two end points. */
  public double[] thresholds() {
    double[] t = new double[numThresholds];
    t[0] = -EPSILON;
    t[numThresholds - 1] = 1 + EPSILON;
    for (int i = 1; i < numThresholds - 1; i++) {
      t[i] = givenThresholds != null ? givenThresholds[i - 1] : i * 1.0 / (numThresholds - 1);
    }
    return t;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("num_thresholds", numThresholds);
    config.put("curve", curve);
    config.put("summation_method", summationMethod);
    config.put("multi_label", multiLabel);
    config.put("num_labels", numLabels);
    List<Double> weights = null;
    if (labelWeights != null) {
      // A plain list: Keras writes a "__tensor__" object here that its own from_config rejects.
      weights = new ArrayList<>();
      for (float w : labelWeights) {
        weights.add((double) w);
      }
    }
    config.put("label_weights", weights);
    config.put("from_logits", fromLogits);
    if (givenThresholds != null) {
      List<Double> t = new ArrayList<>();
      for (double v : givenThresholds) {
        t.add(v);
      }
      config.put("thresholds", t);
    }
    return config;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    if (multiLabel && numLabels != null && yPred.shape().size(-1) != numLabels) {
      throw new IllegalArgumentException(
          "AUC \""
              + name()
              + "\": num_labels is "
              + numLabels
              + ", predictions have shape "
              + yPred.shape());
    }
    return counts.emit(tf, yTrue, fromLogits ? tf.math.sigmoid(yPred) : yPred, sampleWeight);
  }

  @Override
  public double[] results() {
    int n = numThresholds;
    int known = multiLabel ? (numLabels == null ? 0 : numLabels) : 1;
    double[] all = totals(4 * n * known);
    int labels = all.length / (4 * n);
    if (labels == 0) {
      return new double[] {0};
    }
    double[] byLabel = new double[labels];
    for (int l = 0; l < labels; l++) {
      double[][] k = new double[4][n];
      for (int kind = 0; kind < 4; kind++) {
        for (int i = 0; i < n; i++) {
          k[kind][i] = all[(kind * n + i) * labels + l];
        }
      }
      byLabel[l] = area(k[0], k[1], k[2], k[3]);
    }
    if (!multiLabel) {
      return new double[] {byLabel[0]};
    }
    if (labelWeights == null) {
      return new double[] {Arrays.stream(byLabel).average().orElse(0)};
    }
    if (labelWeights.length != labels) {
      throw new IllegalStateException(
          "AUC \""
              + name()
              + "\": "
              + labelWeights.length
              + " label weights for "
              + labels
              + " labels");
    }
    double weighted = 0;
    double sum = 0;
    for (int l = 0; l < labels; l++) {
      weighted += byLabel[l] * labelWeights[l];
      sum += labelWeights[l];
    }
    return new double[] {sum == 0 ? 0 : weighted / sum};
  }

  /** The area under one curve from its counts per threshold. */
  private double area(double[] tp, double[] fp, double[] tn, double[] fn) {
    int n = tp.length;
    if (curve.equals("PR") && summationMethod.equals("interpolation")) {
      return interpolatedPrArea(tp, fp, fn);
    }
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double recall = noNan(tp[i], tp[i] + fn[i]);
      switch (curve) {
        case "ROC" -> {
          x[i] = noNan(fp[i], fp[i] + tn[i]);
          y[i] = recall;
        }
        case "PR" -> {
          x[i] = recall;
          y[i] = noNan(tp[i], tp[i] + fp[i]);
        }
        default -> {
          // Precision and recall gains, scaled by P / N; 0 and 1 when there is no true positive.
          double scale = noNan(tp[i] + fn[i], tn[i] + fp[i]);
          double recallGain = tp[i] == 0 ? 0 : 1 - scale * noNan(fn[i], tp[i]);
          double precisionGain = tp[i] == 0 ? 1 : 1 - scale * noNan(fp[i], tp[i]);
          x[i] = Math.max(recallGain, 0);
          y[i] = precisionGain;
        }
      }
    }
    double sum = 0;
    for (int i = 0; i < n - 1; i++) {
      double height =
          switch (summationMethod) {
            case "interpolation" -> (y[i] + y[i + 1]) / 2;
            case "minoring" -> Math.min(y[i], y[i + 1]);
            default -> Math.max(y[i], y[i + 1]);
          };
      sum += (x[i] - x[i + 1]) * height;
    }
    return sum;
  }

  /**
   * Davis and Goadrich's interpolation of the PR curve, as Keras's {@code interpolate_pr_auc}:
   * between two thresholds precision follows {@code tp / p} with tp linear in p, which integrates
   * in closed form.
   */
  private static double interpolatedPrArea(double[] tp, double[] fp, double[] fn) {
    int n = tp.length;
    double sum = 0;
    for (int i = 0; i < n - 1; i++) {
      double dtp = tp[i] - tp[i + 1];
      double p0 = tp[i] + fp[i];
      double p1 = tp[i + 1] + fp[i + 1];
      double slope = noNan(dtp, Math.max(p0 - p1, 0));
      double intercept = tp[i + 1] - slope * p1;
      double ratio = p0 > 0 && p1 > 0 ? noNan(p0, Math.max(p1, 0)) : 1;
      sum += noNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1] + fn[i + 1], 0));
    }
    return sum;
  }

  /** Keras's {@code divide_no_nan}: 0 when the denominator is 0. */
  private static double noNan(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
