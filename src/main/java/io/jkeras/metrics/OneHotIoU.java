package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;

/**
 * The {@link IoU} of one-hot labels, as Keras's {@code OneHotIoU} metric (default name
 * "one_hot_io_u"): labels and (unless {@code sparse_y_pred}) predictions become class ids by argmax
 * along {@code axis}, then the mean IoU of the {@code target_class_ids} is computed as {@link IoU}.
 *
 * <pre>{@code
 * model.compile(
 *     new Adam(), Losses.get("categorical_crossentropy"), new OneHotIoU(3, List.of(1)));
 * }</pre>
 */
public class OneHotIoU extends IoU {

  /**
   * The IoU of {@code targetClassIds} among {@code numClasses} one-hot classes, named
   * "one_hot_io_u".
   *
   * <pre>{@code Metric m = new OneHotIoU(3, List.of(0, 2));}</pre>
   *
   * @param numClasses the number of classes
   * @param targetClassIds the classes whose IoUs are averaged
   */
  public OneHotIoU(int numClasses, List<Integer> targetClassIds) {
    this("one_hot_io_u", numClasses, targetClassIds, null, false, -1);
  }

  /**
   * The one-hot IoU with every Keras argument.
   *
   * <pre>{@code Metric m = new OneHotIoU("iou", 3, List.of(1), null, false, -1);}</pre>
   *
   * @param name the name in logs
   * @param numClasses the number of classes
   * @param targetClassIds the classes whose IoUs are averaged
   * @param ignoreClass the label not counted, or null
   * @param sparseYPred whether predictions are class ids (else scores along {@code axis})
   * @param axis the class axis
   */
  public OneHotIoU(
      String name,
      int numClasses,
      List<Integer> targetClassIds,
      Integer ignoreClass,
      boolean sparseYPred,
      int axis) {
    this(name, "int64", numClasses, targetClassIds, ignoreClass, sparseYPred, axis);
  }

  private OneHotIoU(
      String name,
      String dtype,
      int numClasses,
      List<Integer> targetClassIds,
      Integer ignoreClass,
      boolean sparseYPred,
      int axis) {
    super(name, dtype, numClasses, targetClassIds, ignoreClass, false, sparseYPred, axis);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code
   * Metric m = OneHotIoU.fromConfig(Map.of("num_classes", 3, "target_class_ids", List.of(1)));
   * }</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static OneHotIoU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("OneHotIoU", config);
    OneHotIoU metric =
        new OneHotIoU(
            c.string("name", "one_hot_io_u"),
            IoU.readDtype(c),
            c.positiveInt("num_classes"),
            IoU.readTargets(c),
            IoU.readIgnoreClass(c),
            c.bool("sparse_y_pred", false),
            c.integer("axis", -1));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = iouBaseConfig();
    putArguments(config, true, false);
    return config;
  }
}
