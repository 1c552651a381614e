package io.jkeras.metrics;

import io.jkeras.config.ConfigException;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The confusion counts at Keras's {@code thresholds} (one value or a list, each in [0, 1]; 0.5 by
 * default, {@code -1e10} with {@code top_k}), optionally of the {@code top_k} predictions of a row
 * or of class {@code class_id} only: the base of {@link Precision}, {@link Recall} and the four
 * count metrics ({@link TruePositives}...). One value per threshold.
 */
abstract class ConfusionMetric extends Metric {

  static final int TP = 0;
  static final int FP = 1;
  static final int TN = 2;
  static final int FN = 3;

  /** The thresholds as given: null, one number or a list (written back in that form). */
  private final Object givenThresholds;

  private final Integer topK;
  private final Integer classId;
  private final boolean writesTopKAndClassId;
  private final ConfusionCounts counts;

  ConfusionMetric(
      String name,
      Object givenThresholds,
      Integer topK,
      Integer classId,
      boolean writesTopKAndClassId) {
    super(name);
    this.givenThresholds = givenThresholds;
    this.topK = topK;
    this.classId = classId;
    this.writesTopKAndClassId = writesTopKAndClassId;
    if (topK != null && topK < 1) {
      throw new IllegalArgumentException(className() + ": top_k must be >= 1, got " + topK);
    }
    if (classId != null && classId < 0) {
      throw new IllegalArgumentException(className() + ": class_id must be >= 0, got " + classId);
    }
    double[] t = thresholdValues(givenThresholds, topK == null ? 0.5 : ConfusionCounts.NEG_INF);
    counts =
        new ConfusionCounts(t, ConfusionCounts.evenlyDistributed(t), topK, classId, false, null);
  }

  /** Keras's {@code parse_init_thresholds}: the given values (each in [0, 1]) or the default. */
  private double[] thresholdValues(Object given, double defaultValue) {
    if (given == null) {
      return new double[] {defaultValue};
    }
    List<?> list = given instanceof List<?> l ? l : List.of(given);
    double[] t = new double[list.size()];
    if (t.length == 0) {
      throw new IllegalArgumentException(className() + ": thresholds must not be empty");
    }
    for (int i = 0; i < t.length; i++) {
      if (!(list.get(i) instanceof Number v) || v.doubleValue() < 0 || v.doubleValue() > 1) {
        throw new IllegalArgumentException(
            className() + ": threshold values must be in [0, 1], got " + list.get(i));
      }
      t[i] = v.doubleValue();
    }
    return t;
  }

  /** Thresholds as Java callers give them: null (the default), one number, or a list of several. */
  static Object thresholdsArgument(double... thresholds) {
    if (thresholds == null || thresholds.length == 0) {
      return null;
    }
    if (thresholds.length == 1) {
      return thresholds[0];
    }
    List<Double> list = new ArrayList<>();
    for (double t : thresholds) {
      list.add(t);
    }
    return List.copyOf(list);
  }

  /** A subclass's constructor from (name, thresholds as given, top_k, class_id). */
  interface Factory<M extends ConfusionMetric> {
    M create(String name, Object thresholds, Integer topK, Integer classId);
  }

  /**
   * Reads a subclass's Keras config ({@code thresholds}, and {@code top_k} and {@code class_id}
   * when it has them) and returns the metric {@code make} builds.
   */
  static <M extends ConfusionMetric> M read(
      String className,
      String defaultName,
      Map<String, Object> config,
      boolean topKAndClassId,
      Factory<M> make) {
    ConfigReader c = ConfigReader.of(className, config);
    String name = readBaseConfig(c, defaultName);
    Object thresholds = readThresholds(c);
    Integer topK = topKAndClassId ? readOptionalInt(c, "top_k") : null;
    Integer classId = topKAndClassId ? readOptionalInt(c, "class_id") : null;
    M metric;
    try {
      metric = make.create(name, thresholds, topK, classId);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(className, "config", e.getMessage(), e);
    }
    c.rejectUnknownKeys();
    return metric;
  }

  /** Reads {@code thresholds} as Keras writes it: null, a number or a list of numbers. */
  private static Object readThresholds(ConfigReader c) {
    Object v = c.raw("thresholds");
    if (v == null || v instanceof Number) {
      return v == null ? null : ((Number) v).doubleValue();
    }
    if (v instanceof List<?> list) {
      List<Double> out = new ArrayList<>();
      for (Object e : list) {
        if (!(e instanceof Number n)) {
          throw c.wrongValue("thresholds", "a number, a list of numbers or null", v);
        }
        out.add(n.doubleValue());
      }
      return List.copyOf(out);
    }
    throw c.wrongValue("thresholds", "a number, a list of numbers or null", v);
  }

  /** Reads an optional non-negative integer ({@code top_k}, {@code class_id}). */
  static Integer readOptionalInt(ConfigReader c, String key) {
    Long v = c.optionalLong(key);
    if (v != null && (v < 0 || v > Integer.MAX_VALUE)) {
      throw c.wrongValue(key, "a non-negative integer or null", v);
    }
    return v == null ? null : v.intValue();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("thresholds", givenThresholds);
    if (writesTopKAndClassId) {
      config.put("top_k", topK);
      config.put("class_id", classId);
    }
    return config;
  }

  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    return counts.emit(tf, yTrue, yPred, sampleWeight);
  }

  /** The accumulated count of {@code kind} (TP, FP, TN, FN) at each threshold. */
  double[] counts(int kind) {
    int n = counts.size();
    double[] all = totals(4 * n);
    double[] out = new double[n];
    System.arraycopy(all, kind * n, out, 0, n);
    return out;
  }

  /** Keras's {@code divide_no_nan(a, a + b)} element by element. */
  static double[] ratio(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i] == 0 ? 0 : a[i] / (a[i] + b[i]);
    }
    return out;
  }
}
