package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Categorical cross-entropy with Keras 3's semantics, for one-hot labels: labels smoothed to {@code
 * y (1 - s) + s / classes}; on the output of a softmax it works from the softmax's logits (exact);
 * on other probabilities it normalizes them to sum to 1 along {@code axis} and clips them to [1e-7,
 * 1 - 1e-7]; with {@code fromLogits} the predictions are logits. Defaults: from_logits false,
 * label_smoothing 0, axis -1.
 *
 * <pre>{@code
 * model.compile("adam", new CategoricalCrossentropy(false, 0.1, -1), "accuracy");
 * }</pre>
 */
public class CategoricalCrossentropy extends LossFunction {

  private final boolean fromLogits;
  private final double labelSmoothing;
  private final int axis;

  /**
   * Cross-entropy of one-hot labels against probabilities, no label smoothing, classes on the last
   * axis.
   */
  public CategoricalCrossentropy() {
    this(false);
  }

  /**
   * Cross-entropy of one-hot labels, no label smoothing, classes on the last axis.
   *
   * @param fromLogits true when the predictions are logits rather than probabilities
   */
  public CategoricalCrossentropy(boolean fromLogits) {
    this(fromLogits, 0.0, -1);
  }

  /**
   * Cross-entropy of one-hot labels.
   *
   * @param fromLogits true when the predictions are logits rather than probabilities
   * @param labelSmoothing in [0, 1]: labels become {@code y (1 - s) + s / classes}
   * @param axis the class axis
   * @throws IllegalArgumentException if {@code labelSmoothing} is outside [0, 1]
   */
  public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing, int axis) {
    super("categorical_crossentropy");
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(
          "CategoricalCrossentropy: label_smoothing must be in [0, 1], got " + labelSmoothing);
    }
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> y = LossTerms.smoothCategorical(tf, yTrue, labelSmoothing);
    Operand<TFloat32> logits = fromLogits ? yPred : LossTerms.logitsOf(yPred, "Softmax");
    if (logits != null) {
      return LossTerms.softmaxCrossEntropy(tf, y, logits, axis);
    }
    Operand<org.tensorflow.types.TInt32> ax = tf.constant(axis);
    Operand<TFloat32> p =
        LossTerms.clip(tf, tf.math.div(yPred, tf.reduceSum(yPred, ax, ReduceSum.keepDims(true))));
    return tf.math.neg(tf.reduceSum(tf.math.mul(y, tf.math.log(p)), ax));
  }

  @Override
  protected void addConfig(Map<String, Object> c) {
    c.put("from_logits", fromLogits);
    c.put("label_smoothing", labelSmoothing);
    c.put("axis", axis);
  }

  /** From a Keras config. */
  public static CategoricalCrossentropy fromConfig(Map<String, Object> config) {
    String cls = "CategoricalCrossentropy";
    return withBase(
        new CategoricalCrossentropy(
            bool(cls, config, "from_logits", false),
            ConfigReader.of(cls, config).number("label_smoothing", 0.0),
            integer(cls, config, "axis", -1)),
        config,
        List.of("from_logits", "label_smoothing", "axis"));
  }
}
