package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The mean {@link IoU} of every class, as Keras's {@code MeanIoU} metric (default name
 * "mean_io_u"): the IoUs of the classes that occur among the labels or predictions since the last
 * reset, averaged.
 *
 * <pre>{@code
 * model.compile(new Adam(), Losses.get("sparse_categorical_crossentropy"),
 *     new MeanIoU("miou", 3, null, true, false, -1));
 * }</pre>
 */
public class MeanIoU extends IoU {

  /**
   * The mean IoU of {@code numClasses} classes from class ids, named "mean_io_u".
   *
   * <pre>{@code Metric m = new MeanIoU(3);}</pre>
   *
   * @param numClasses the number of classes
   */
  public MeanIoU(int numClasses) {
    this("mean_io_u", numClasses, null, true, true, -1);
  }

  /**
   * The mean IoU with every Keras argument.
   *
   * <pre>{@code Metric m = new MeanIoU("miou", 4, 0, true, false, -1);}</pre>
   *
   * @param name the name in logs
   * @param numClasses the number of classes
   * @param ignoreClass the label not counted, or null
   * @param sparseYTrue whether labels are class ids (else one value per class along {@code axis})
   * @param sparseYPred whether predictions are class ids (else scores along {@code axis})
   * @param axis the class axis of dense labels or predictions
   */
  public MeanIoU(
      String name,
      int numClasses,
      Integer ignoreClass,
      boolean sparseYTrue,
      boolean sparseYPred,
      int axis) {
    this(name, "int64", numClasses, ignoreClass, sparseYTrue, sparseYPred, axis);
  }

  MeanIoU(
      String name,
      String dtype,
      int numClasses,
      Integer ignoreClass,
      boolean sparseYTrue,
      boolean sparseYPred,
      int axis) {
    super(
        name,
        dtype,
        numClasses,
        IntStream.range(0, numClasses).boxed().toList(),
        ignoreClass,
        sparseYTrue,
        sparseYPred,
        axis);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Metric m = MeanIoU.fromConfig(Map.of("num_classes", 3));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static MeanIoU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MeanIoU", config);
    MeanIoU metric =
        new MeanIoU(
            c.string("name", "mean_io_u"),
            IoU.readDtype(c),
            c.positiveInt("num_classes"),
            IoU.readIgnoreClass(c),
            c.bool("sparse_y_true", true),
            c.bool("sparse_y_pred", true),
            c.integer("axis", -1));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = iouBaseConfig();
    putArguments(config, false, true);
    return config;
  }
}
