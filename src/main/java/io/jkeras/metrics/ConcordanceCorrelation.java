package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The (weighted) mean over samples of each sample's concordance correlation between its labels
 * {@code y} and predictions {@code p} along {@code axis}, as Keras's {@code ConcordanceCorrelation}
 * metric (default name "concordance_correlation", axis -1): per sample, the mean along the axis of
 * {@code 2 (y - mean(p)) (p - mean(p)) / (var(y) + var(p) + (mean(y) - mean(p))² + 1e-7)}. (Keras
 * 3.15.1 centres the labels on the predictions' mean in the numerator, and so does jkeras.)
 *
 * <pre>{@code
 * model.compile(new Adam(), Losses.get("mse"), new ConcordanceCorrelation());
 * }</pre>
 */
public class ConcordanceCorrelation extends Mean {

  /** The axis argument as given: an Integer or a list of them. */
  private final Object axisArgument;

  private final int[] axis;

  /** The metric named "concordance_correlation", along the last axis. */
  public ConcordanceCorrelation() {
    this("concordance_correlation", -1);
  }

  /**
   * The metric logged as {@code name}, along {@code axis}.
   *
   * <pre>{@code Metric m = new ConcordanceCorrelation("ccc", 1);}</pre>
   *
   * @param name the name in logs
   * @param axis the axis of the values compared (negative counts from the end)
   */
  public ConcordanceCorrelation(String name, int axis) {
    this(name, (Object) axis);
  }

  private ConcordanceCorrelation(String name, Object axisArgument) {
    super(name);
    this.axisArgument = axisArgument;
    this.axis = PearsonCorrelation.axes(axisArgument);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it ({@code name}, {@code dtype},
   * {@code axis}: one axis or a list).
   *
   * <pre>{@code Metric m = ConcordanceCorrelation.fromConfig(Map.of("axis", -1));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static ConcordanceCorrelation fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("ConcordanceCorrelation", config);
    ConcordanceCorrelation metric =
        new ConcordanceCorrelation(
            readBaseConfig(c, "concordance_correlation"), PearsonCorrelation.axisArgument(c));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    List<Operand<TFloat32>> aligned = BatchShapes.sameRank(tf, yTrue, yPred);
    Operand<TFloat32> y = aligned.get(0);
    Operand<TFloat32> p = aligned.get(1);
    Operand<TFloat32> yMean = PearsonCorrelation.mean(tf, y, axis);
    Operand<TFloat32> pMean = PearsonCorrelation.mean(tf, p, axis);
    Operand<TFloat32> yVar = PearsonCorrelation.variance(tf, tf.math.sub(y, yMean), axis);
    Operand<TFloat32> pVar = PearsonCorrelation.variance(tf, tf.math.sub(p, pMean), axis);
    Operand<TFloat32> covariance = tf.math.mul(tf.math.sub(y, pMean), tf.math.sub(p, pMean));
    Operand<TFloat32> meanGap = tf.math.sub(yMean, pMean);
    Operand<TFloat32> norm =
        tf.math.add(
            tf.math.add(tf.math.add(yVar, pVar), tf.math.mul(meanGap, meanGap)),
            tf.constant(1e-7f));
    return tf.math.mean(
        tf.math.div(tf.math.mul(tf.constant(2f), covariance), norm),
        tf.constant(axis),
        org.tensorflow.op.math.Mean.keepDims(false));
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
