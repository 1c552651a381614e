package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * The {@link MeanIoU} of one-hot labels, as Keras's {@code OneHotMeanIoU} metric (default name
 * "one_hot_mean_io_u"): labels and (unless {@code sparse_y_pred}) predictions become class ids by
 * argmax along {@code axis}, then the IoUs of every class are averaged.
 *
 * <pre>{@code
 * model.compile(new Adam(), Losses.get("categorical_crossentropy"), new OneHotMeanIoU(3));
 * }</pre>
 */
public class OneHotMeanIoU extends MeanIoU {

  /**
   * The mean IoU of {@code numClasses} one-hot classes, named "one_hot_mean_io_u".
   *
   * <pre>{@code Metric m = new OneHotMeanIoU(3);}</pre>
   *
   * @param numClasses the number of classes
   */
  public OneHotMeanIoU(int numClasses) {
    this("one_hot_mean_io_u", numClasses, null, false, -1);
  }

  /**
   * The one-hot mean IoU with every Keras argument.
   *
   * <pre>{@code Metric m = new OneHotMeanIoU("miou", 3, 0, false, -1);}</pre>
   *
   * @param name the name in logs
   * @param numClasses the number of classes
   * @param ignoreClass the label not counted, or null
   * @param sparseYPred whether predictions are class ids (else scores along {@code axis})
   * @param axis the class axis
   */
  public OneHotMeanIoU(
      String name, int numClasses, Integer ignoreClass, boolean sparseYPred, int axis) {
    this(name, "int64", numClasses, ignoreClass, sparseYPred, axis);
  }

  private OneHotMeanIoU(
      String name,
      String dtype,
      int numClasses,
      Integer ignoreClass,
      boolean sparseYPred,
      int axis) {
    super(name, dtype, numClasses, ignoreClass, false, sparseYPred, axis);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = OneHotMeanIoU.fromConfig(Map.of("num_classes", 3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static OneHotMeanIoU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("OneHotMeanIoU", config);
    OneHotMeanIoU metric =
        new OneHotMeanIoU(
            c.string("name", "one_hot_mean_io_u"),
            IoU.readDtype(c),
            c.positiveInt("num_classes"),
            IoU.readIgnoreClass(c),
            c.bool("sparse_y_pred", false),
            c.integer("axis", -1));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = iouBaseConfig();
    putArguments(config, false, false);
    return config;
  }
}
