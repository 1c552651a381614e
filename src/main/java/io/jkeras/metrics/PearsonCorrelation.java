package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The (weighted) mean over samples of each sample's Pearson correlation between its labels and
 * predictions along {@code axis}, as Keras's {@code PearsonCorrelation} metric (default name
 * "pearson_correlation", axis -1): a correlation per sample and batch, averaged, not one
 * correlation over every value seen. A sample whose labels or predictions are constant has no
 * correlation (NaN), as in Keras.
 *
 * <pre>{@code
 * model.compile(new Adam(), Losses.get("mse"), new PearsonCorrelation());
 * }</pre>
 */
public class PearsonCorrelation extends io.jkeras.metrics.Mean {

  /** The axis argument as given: an Integer or a list of them. */
  private final Object axisArgument;

  private final int[] axis;

  /** The metric named "pearson_correlation", along the last axis. */
  public PearsonCorrelation() {
    this("pearson_correlation", -1);
  }

  /**
   * The metric logged as {@code name}, along {@code axis}.
   *
   * <pre>{@code Metric m = new PearsonCorrelation("pcc", 1);}</pre>
   *
   * @param name the name in logs
   * @param axis the axis of the values correlated (negative counts from the end)
   */
  public PearsonCorrelation(String name, int axis) {
    this(name, (Object) axis);
  }

  private PearsonCorrelation(String name, Object axisArgument) {
    super(name);
    this.axisArgument = axisArgument;
    this.axis = axes(axisArgument);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it ({@code name}, {@code dtype},
   * {@code axis}: one axis or a list).
   *
   * <pre>{@code Metric m = PearsonCorrelation.fromConfig(Map.of("axis", -1));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static PearsonCorrelation fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("PearsonCorrelation", config);
    PearsonCorrelation metric =
        new PearsonCorrelation(readBaseConfig(c, "pearson_correlation"), axisArgument(c));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    List<Operand<TFloat32>> aligned = BatchShapes.sameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = standardized(tf, aligned.get(0));
    Operand<TFloat32> p = standardized(tf, aligned.get(1));
    return tf.math.mean(tf.math.mul(t, p), tf.constant(axis), Mean.keepDims(false));
  }

  /** {@code x} minus its mean along the axis, divided by the standard deviation of that. */
  private Operand<TFloat32> standardized(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> centered = tf.math.sub(x, mean(tf, x, axis));
    return tf.math.div(centered, tf.math.sqrt(variance(tf, centered, axis)));
  }

  /** Keras's {@code axis} argument from a config: one axis (default -1) or a list of axes. */
  static Object axisArgument(ConfigReader c) {
    if (!c.has("axis")) {
      return -1;
    }
    Object v = c.raw("axis");
    Long one = ConfigReader.integral(v);
    if (one != null && one == one.intValue()) {
      return one.intValue();
    }
    List<Integer> list = v == null ? null : c.optionalInts("axis");
    if (list == null || list.isEmpty()) {
      throw c.wrongValue("axis", "an axis or a non-empty list of axes", v);
    }
    return list;
  }

  /** The axes of an {@link #axisArgument}. */
  static int[] axes(Object axisArgument) {
    if (axisArgument instanceof Integer a) {
      return new int[] {a};
    }
    return ((List<?>) axisArgument).stream().mapToInt(a -> (Integer) a).toArray();
  }

  /** The mean along {@code axis}, kept as axes of size 1. */
  static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x, int[] axis) {
    return tf.math.mean(x, tf.constant(axis), Mean.keepDims(true));
  }

  /** The population variance along {@code axis}, kept as axes of size 1. */
  static Operand<TFloat32> variance(Ops tf, Operand<TFloat32> x, int[] axis) {
    Operand<TFloat32> deviation = tf.math.sub(x, mean(tf, x, axis));
    return mean(tf, tf.math.mul(deviation, deviation), axis);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = baseConfig();
    config.put("axis", axisArgument);
    return config;
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
