package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Categorical cross-entropy over integer class labels, as Keras 3 (softmax outputs use logits;
 * other probabilities are normalized and clipped).
 *
 * <pre>{@code
 * model.compile("adam", new SparseCategoricalCrossentropy(), "accuracy");
 * }</pre>
 */
public class SparseCategoricalCrossentropy extends LossFunction {

  private final boolean fromLogits;

  /** Cross-entropy of integer class labels against probabilities. */
  public SparseCategoricalCrossentropy() {
    this(false);
  }

  /**
   * Cross-entropy of integer class labels.
   *
   * @param fromLogits true when the predictions are logits rather than probabilities
   */
  public SparseCategoricalCrossentropy(boolean fromLogits) {
    super("sparse_categorical_crossentropy");
    this.fromLogits = fromLogits;
  }

  @Override
  public boolean sparseLabels() {
    return true;
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
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
    return tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
  }

  @Override
  protected void addConfig(Map<String, Object> c) {
    c.put("from_logits", fromLogits);
    c.put("ignore_class", null);
  }

  /** From a Keras config ({@code ignore_class} null and {@code axis} -1 only). */
  public static SparseCategoricalCrossentropy fromConfig(Map<String, Object> config) {
    String cls = "SparseCategoricalCrossentropy";
    if (config.get("ignore_class") != null) {
      throw ConfigReader.of(cls, java.util.Map.of())
          .wrongValue(
              "ignore_class", "null (jkeras has no ignore_class)", config.get("ignore_class"));
    }
    if (integer(cls, config, "axis", -1) != -1) {
      throw ConfigReader.of(cls, java.util.Map.of())
          .wrongValue("axis", "-1 (the last axis)", config.get("axis"));
    }
    return withBase(
        new SparseCategoricalCrossentropy(bool(cls, config, "from_logits", false)),
        config,
        List.of("from_logits", "ignore_class", "axis"));
  }
}
