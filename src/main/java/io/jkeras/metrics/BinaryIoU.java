package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The {@link IoU} of binary labels against scores, as Keras's {@code BinaryIoU} metric (default
 * name "binary_io_u"): a score at or above {@code threshold} (default 0.5) predicts class 1, below
 * class 0; the result is the mean IoU of the {@code target_class_ids} (default both, {@code [0,
 * 1]}).
 *
 * <pre>{@code
 * model.compile(new Adam(), Losses.get("binary_crossentropy"), new BinaryIoU(List.of(1), 0.5));
 * }</pre>
 */
public class BinaryIoU extends IoU {

  private final double threshold;

  /** The mean IoU of classes 0 and 1 at threshold 0.5, named "binary_io_u". */
  public BinaryIoU() {
    this(List.of(0, 1), 0.5);
  }

  /**
   * The mean IoU of {@code targetClassIds} (among 0 and 1) at {@code threshold}.
   *
   * <pre>{@code Metric m = new BinaryIoU(List.of(1), 0.3);}</pre>
   *
   * @param targetClassIds the classes whose IoUs are averaged
   * @param threshold the lowest score predicting class 1
   */
  public BinaryIoU(List<Integer> targetClassIds, double threshold) {
    this("binary_io_u", "int64", targetClassIds, threshold);
  }

  private BinaryIoU(String name, String dtype, List<Integer> targetClassIds, double threshold) {
    super(name, dtype, 2, targetClassIds, null, true, true, -1);
    this.threshold = threshold;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = BinaryIoU.fromConfig(Map.of("threshold", 0.3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static BinaryIoU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("BinaryIoU", config);
    List<Integer> targets = c.has("target_class_ids") ? IoU.readTargets(c) : List.of(0, 1);
    BinaryIoU metric =
        new BinaryIoU(
            c.string("name", "binary_io_u"), IoU.readDtype(c), targets, c.number("threshold", 0.5));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  protected Operand<TInt64> predictedClasses(Ops tf, Operand<TFloat32> yPred) {
    return tf.dtypes.cast(
        tf.math.greaterEqual(yPred, tf.constant((float) threshold)), TInt64.class);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = iouBaseConfig();
    config.put("target_class_ids", targetClassIds());
    config.put("threshold", threshold);
    return config;
  }
}
