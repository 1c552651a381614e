package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Categorical cross-entropy over integer class labels, as Keras 3 (softmax outputs use logits;
 * other probabilities are normalized and clipped).
 *
 * <p>With {@code ignore_class}, samples labelled with that class are masked out: their loss is 0
 * and they count neither in the sum nor in the number the mean divides by (segmentation's "void"
 * label).
 *
 * <pre>{@code
 * model.compile("adam", new SparseCategoricalCrossentropy(), "accuracy");
 * Loss unlabelled = new SparseCategoricalCrossentropy(true).ignoreClass(-1);
 * }</pre>
 */
public class SparseCategoricalCrossentropy extends LossFunction {

  private final boolean fromLogits;
  private Integer ignoreClass;

  /** Over probabilities, as Keras's default. */
  public SparseCategoricalCrossentropy() {
    this(false);
  }

  /**
   * Over logits when {@code fromLogits}.
   *
   * <pre>{@code Loss l = new SparseCategoricalCrossentropy(true);}</pre>
   */
  public SparseCategoricalCrossentropy(boolean fromLogits) {
    super("sparse_categorical_crossentropy");
    this.fromLogits = fromLogits;
  }

  /**
   * Keras's {@code ignore_class}: samples with this label are left out of the loss (null: none).
   *
   * <pre>{@code Loss l = new SparseCategoricalCrossentropy().ignoreClass(-1);}</pre>
   */
  public SparseCategoricalCrossentropy ignoreClass(Integer ignoreClass) {
    this.ignoreClass = ignoreClass;
    return this;
  }

  /** Keras's {@code ignore_class}, or null. */
  public Integer ignoreClass() {
    return ignoreClass;
  }

  @Override
  public boolean sparseLabels() {
    return true;
  }

  @Override
  public Operand<TFloat32> mask(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return ignoreClass == null ? null : tf.dtypes.cast(valid(tf, yTrue), TFloat32.class);
  }

  private Operand<TBool> valid(Ops tf, Operand<TFloat32> yTrue) {
    return tf.math.notEqual(yTrue, tf.constant(ignoreClass.floatValue()));
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    if (ignoreClass == null) {
      return crossEntropy(tf, yTrue, yPred);
    }
    // Ignored samples take class 0 (any valid one) and a loss of 0, which stops their gradient.
    Operand<TBool> valid = valid(tf, yTrue);
    Operand<TFloat32> loss = crossEntropy(tf, tf.select(valid, yTrue, tf.zerosLike(yTrue)), yPred);
    return tf.select(valid, loss, tf.zerosLike(loss));
  }

  private Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TInt64> labels = tf.dtypes.cast(yTrue, TInt64.class);
    Operand<TFloat32> logits = fromLogits ? yPred : LossTerms.logitsOf(yPred, "Softmax");
    if (logits == null) {
      Operand<TFloat32> p =
          tf.math.div(yPred, tf.reduceSum(yPred, tf.constant(-1), ReduceSum.keepDims(true)));
      logits = tf.math.log(LossTerms.clip(tf, p));
    }
    // One-hot labels: TF Java has no gradient for SparseSoftmaxCrossEntropyWithLogits.
    Operand<org.tensorflow.types.TInt32> classes =
        tf.gather(tf.shape(logits), tf.math.sub(tf.rank(logits), tf.constant(1)), tf.constant(0));
    Operand<TFloat32> oneHot = tf.oneHot(labels, classes, tf.constant(1f), tf.constant(0f));
    // A label outside the classes would be a row of zeros and a loss of 0; Keras's kernel refuses
    // it.
    Operand<org.tensorflow.types.TInt32> all =
        tf.range(tf.constant(0), tf.rank(labels), tf.constant(1));
    Operand<TBool> inRange =
        tf.reduceAll(
            tf.math.logicalAnd(
                tf.math.greaterEqual(labels, tf.constant(0L)),
                tf.math.less(labels, tf.dtypes.cast(classes, TInt64.class))),
            all);
    AssertThat check =
        tf.assertThat(
            inRange,
            List.of(
                tf.constant(
                    className()
                        + " ("
                        + name()
                        + "): labels must be class indices in [0, classes); classes, lowest and"
                        + " highest label:"),
                classes,
                tf.min(labels, all),
                tf.max(labels, all)));
    oneHot = tf.withControlDependencies(List.of(check)).identity(oneHot);
    return LossTerms.softmaxCrossEntropy(tf, oneHot, logits, -1);
  }

  @Override
  protected void addConfig(Map<String, Object> c) {
    c.put("from_logits", fromLogits);
    c.put("ignore_class", ignoreClass);
  }

  /**
   * From a Keras config ({@code axis} -1 only).
   *
   * <pre>{@code Loss l = SparseCategoricalCrossentropy.fromConfig(Map.of("ignore_class", -1));}
   * </pre>
   */
  public static SparseCategoricalCrossentropy fromConfig(Map<String, Object> config) {
    String cls = "SparseCategoricalCrossentropy";
    Object ignore = config.get("ignore_class");
    if (ignore != null
        && !(ignore instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()))) {
      throw ConfigReader.of(cls, java.util.Map.of())
          .wrongValue("ignore_class", "a class index or null", ignore);
    }
    if (integer(cls, config, "axis", -1) != -1) {
      throw ConfigReader.of(cls, java.util.Map.of())
          .wrongValue("axis", "-1 (the last axis)", config.get("axis"));
    }
    return withBase(
        new SparseCategoricalCrossentropy(bool(cls, config, "from_logits", false))
            .ignoreClass(ignore == null ? null : ((Number) ignore).intValue()),
        config,
        List.of("from_logits", "ignore_class", "axis"));
  }
}
