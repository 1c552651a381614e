package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Intersection over union {@code tp / (tp + fp + fn)} of chosen classes, as Keras's {@code IoU}
 * metric (default name "io_u"): labels and predictions (class ids, or with {@code
 * sparse_y_true}/{@code sparse_y_pred} false the argmax along {@code axis}) are counted into a
 * {@code num_classes × num_classes} confusion matrix over every batch since the last reset, and the
 * result is the mean IoU of the {@code target_class_ids} whose union is not empty (a negative id
 * counts from the end, as Keras's indexing does: -1 is the last class).
 *
 * <p>As Keras: class ids are truncated to whole numbers; pairs whose label or prediction is outside
 * {@code [0, num_classes)}, or whose label is {@code ignore_class}, are not counted; the matrix has
 * Keras's default dtype {@code int64}, so sample weights are truncated to whole numbers (a config
 * with dtype {@code float32} keeps fractional weights).
 *
 * <pre>{@code
 * model.compile(
 *     new Adam(), Losses.get("sparse_categorical_crossentropy"), new IoU(3, List.of(0, 2)));
 * }</pre>
 */
public class IoU extends Metric {

  private final String dtype;
  private final int numClasses;
  private final List<Integer> targetClassIds;
  private final Integer ignoreClass;
  private final boolean sparseYTrue;
  private final boolean sparseYPred;
  private final int axis;

  /**
   * The IoU of {@code targetClassIds} among {@code numClasses} classes, from class ids, named
   * "io_u".
   *
   * <pre>{@code Metric iou = new IoU(3, List.of(1));}</pre>
   *
   * @param numClasses the number of classes
   * @param targetClassIds the classes whose IoUs are averaged
   */
  public IoU(int numClasses, List<Integer> targetClassIds) {
    this("io_u", numClasses, targetClassIds, null, true, true, -1);
  }

  /**
   * The IoU with every Keras argument.
   *
   * <pre>{@code Metric iou = new IoU("iou", 4, List.of(0, 1), 255, true, false, -1);}</pre>
   *
   * @param name the name in logs
   * @param numClasses the number of classes
   * @param targetClassIds the classes whose IoUs are averaged
   * @param ignoreClass the label not counted, or null
   * @param sparseYTrue whether labels are class ids (else one value per class along {@code axis})
   * @param sparseYPred whether predictions are class ids (else scores along {@code axis})
   * @param axis the class axis of dense labels or predictions
   */
  public IoU(
      String name,
      int numClasses,
      List<Integer> targetClassIds,
      Integer ignoreClass,
      boolean sparseYTrue,
      boolean sparseYPred,
      int axis) {
    this(name, "int64", numClasses, targetClassIds, ignoreClass, sparseYTrue, sparseYPred, axis);
  }

  IoU(
      String name,
      String dtype,
      int numClasses,
      List<Integer> targetClassIds,
      Integer ignoreClass,
      boolean sparseYTrue,
      boolean sparseYPred,
      int axis) {
    super(name);
    if (numClasses < 1) {
      throw new IllegalArgumentException(
          className() + " \"" + name + "\": num_classes must be at least 1, got " + numClasses);
    }
    if (targetClassIds == null || targetClassIds.isEmpty()) {
      throw new IllegalArgumentException(
          className() + " \"" + name + "\": target_class_ids must name at least one class");
    }
    for (int id : targetClassIds) {
      if (id < -numClasses || id >= numClasses) {
        throw new IllegalArgumentException(
            className()
                + " \""
                + name
                + "\": target class id "
                + id
                + " is out of range, which is [0, "
                + numClasses
                + ")");
      }
    }
    this.dtype = dtype;
    this.numClasses = numClasses;
    this.targetClassIds = List.copyOf(targetClassIds);
    this.ignoreClass = ignoreClass;
    this.sparseYTrue = sparseYTrue;
    this.sparseYPred = sparseYPred;
    this.axis = axis;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code
   * Metric m = IoU.fromConfig(Map.of("num_classes", 3, "target_class_ids", List.of(0, 2)));
   * }</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static IoU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("IoU", config);
    IoU metric =
        new IoU(
            c.string("name", "io_u"),
            readDtype(c),
            c.positiveInt("num_classes"),
            readTargets(c),
            readIgnoreClass(c),
            c.bool("sparse_y_true", true),
            c.bool("sparse_y_pred", true),
            c.integer("axis", -1));
    c.rejectUnknownKeys();
    return metric;
  }

  /** Keras's dtype of the confusion matrix: an integer dtype (the default, int64) or float32. */
  static String readDtype(ConfigReader c) {
    Object v = c.raw("dtype");
    if (v == null) {
      return "int64";
    }
    if (!(v instanceof String s) || !List.of("int64", "int32", "int", "float32").contains(s)) {
      throw c.wrongValue("dtype", "\"int64\", \"int32\" or \"float32\"", v);
    }
    return s;
  }

  /** Keras's required {@code target_class_ids}. */
  static List<Integer> readTargets(ConfigReader c) {
    if (!c.has("target_class_ids")) {
      throw c.fail("target_class_ids", "missing (expected a list of class ids)");
    }
    return c.optionalInts("target_class_ids");
  }

  /** Keras's {@code ignore_class}: a class id or null. */
  static Integer readIgnoreClass(ConfigReader c) {
    Long v = c.optionalLong("ignore_class");
    return v == null ? null : Math.toIntExact(v);
  }

  /** The target class ids, as a new list. */
  List<Integer> targetClassIds() {
    return new ArrayList<>(targetClassIds);
  }

  /** The class ids of a batch's predictions, before flattening. */
  protected Operand<TInt64> predictedClasses(Ops tf, Operand<TFloat32> yPred) {
    return classes(tf, yPred, sparseYPred);
  }

  private Operand<TInt64> classes(Ops tf, Operand<TFloat32> x, boolean sparse) {
    return sparse
        ? tf.dtypes.cast(x, TInt64.class)
        : tf.math.argMax(x, tf.constant(axis), TInt64.class);
  }

  private static Operand<TInt64> flat(Ops tf, Operand<TInt64> x) {
    return tf.reshape(x, tf.constant(new int[] {-1}));
  }

  /** The batch's confusion matrix, rows the labels and columns the predictions, flattened. */
  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    Operand<TInt64> t = flat(tf, classes(tf, yTrue, sparseYTrue));
    Operand<TInt64> p = flat(tf, predictedClasses(tf, yPred));
    Operand<TFloat32> w;
    if (sampleWeight == null) {
      w = tf.onesLike(tf.dtypes.cast(t, TFloat32.class));
    } else {
      w = tf.broadcastTo(BatchShapes.flat(tf, sampleWeight), tf.shape(t));
      if (!dtype.equals("float32")) {
        // Keras's integer confusion matrix takes whole weights.
        w = tf.dtypes.cast(tf.dtypes.cast(w, TInt64.class), TFloat32.class);
      }
    }
    Operand<TInt64> n = tf.constant((long) numClasses);
    Operand<TInt64> zero = tf.constant(0L);
    Operand<TBool> counted =
        tf.math.logicalAnd(
            tf.math.logicalAnd(tf.math.greaterEqual(t, zero), tf.math.less(t, n)),
            tf.math.logicalAnd(tf.math.greaterEqual(p, zero), tf.math.less(p, n)));
    if (ignoreClass != null) {
      counted = tf.math.logicalAnd(counted, tf.math.notEqual(t, tf.constant((long) ignoreClass)));
    }
    Operand<TInt64> cell = tf.select(counted, tf.math.add(tf.math.mul(t, n), p), tf.zerosLike(t));
    w = tf.select(counted, w, tf.zerosLike(w));
    return tf.math.unsortedSegmentSum(w, cell, tf.constant((long) numClasses * numClasses));
  }

  @Override
  public double[] results() {
    double[] cm = totals(numClasses * numClasses);
    double sum = 0;
    int valid = 0;
    for (int id : targetClassIds) {
      int c = Math.floorMod(id, numClasses);
      double truth = 0;
      double predicted = 0;
      for (int k = 0; k < numClasses; k++) {
        truth += cm[c * numClasses + k];
        predicted += cm[k * numClasses + c];
      }
      double tp = cm[c * numClasses + c];
      double union = truth + predicted - tp;
      if (union > 1e-9) {
        sum += tp / (union + 1e-7);
        valid++;
      }
    }
    return new double[] {sum / (valid + 1e-7)};
  }

  /** The keys of every IoU config: {@code name} and the confusion matrix's {@code dtype}. */
  Map<String, Object> iouBaseConfig() {
    Map<String, Object> config = new java.util.LinkedHashMap<>();
    config.put("name", name());
    config.put("dtype", dtype);
    return config;
  }

  /** Keras's config keys that follow name and dtype, in Keras's order. */
  void putArguments(Map<String, Object> config, boolean withTargets, boolean withSparseYTrue) {
    config.put("num_classes", numClasses);
    if (withTargets) {
      config.put("target_class_ids", targetClassIds());
    }
    config.put("ignore_class", ignoreClass);
    if (withSparseYTrue) {
      config.put("sparse_y_true", sparseYTrue);
    }
    config.put("sparse_y_pred", sparseYPred);
    config.put("axis", axis);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = iouBaseConfig();
    putArguments(config, true, true);
    return config;
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}
