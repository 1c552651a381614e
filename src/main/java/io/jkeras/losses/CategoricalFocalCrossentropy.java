package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Categorical focal cross-entropy as Keras: with the predictions (softmax of logits with {@code
 * from_logits}) normalized to sum to 1 and clipped to [1e-7, 1 - 1e-7], {@code sum(alpha (1 -
 * p)^gamma · -y log p)} along {@code axis}. Defaults: alpha 0.25, gamma 2, from_logits false,
 * label_smoothing 0, axis -1.
 *
 * <pre>{@code
 * model.compile("adam", new CategoricalFocalCrossentropy(), "accuracy");
 * }</pre>
 */
public class CategoricalFocalCrossentropy extends LossFunction {

  private final double alpha;
  private final double gamma;
  private final boolean fromLogits;
  private final double labelSmoothing;
  private final int axis;

  /**
   * Keras's defaults: alpha 0.25, gamma 2, probabilities (not logits), no label smoothing, classes
   * on the last axis.
   */
  public CategoricalFocalCrossentropy() {
    this(0.25, 2.0, false, 0.0, -1);
  }

  /**
   * Categorical focal cross-entropy for one-hot labels.
   *
   * @param alpha the factor every class's focal term is weighted by
   * @param gamma the focusing exponent of {@code (1 - p)}
   * @param fromLogits true when the predictions are logits rather than probabilities
   * @param labelSmoothing labels move towards the uniform distribution by this fraction
   * @param axis the class axis
   */
  public CategoricalFocalCrossentropy(
      double alpha, double gamma, boolean fromLogits, double labelSmoothing, int axis) {
    super("categorical_focal_crossentropy");
    this.alpha = alpha;
    this.gamma = gamma;
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> y = LossTerms.smoothCategorical(tf, yTrue, labelSmoothing);
    Operand<TFloat32> p = fromLogits ? LossTerms.softmax(tf, yPred, axis) : yPred;
    Operand<org.tensorflow.types.TInt32> ax = tf.constant(axis);
    Operand<TFloat32> output =
        LossTerms.clip(tf, tf.math.div(p, tf.reduceSum(p, ax, ReduceSum.keepDims(true))));
    Operand<TFloat32> cce = tf.math.mul(tf.math.neg(y), tf.math.log(output));
    Operand<TFloat32> weight =
        tf.math.mul(
            tf.math.pow(tf.math.sub(tf.constant(1f), output), tf.constant((float) gamma)),
            tf.constant((float) alpha));
    return tf.reduceSum(tf.math.mul(weight, cce), ax);
  }

  @Override
  protected void addConfig(Map<String, Object> c) {
    c.put("from_logits", fromLogits);
    c.put("label_smoothing", labelSmoothing);
    c.put("axis", axis);
    c.put("alpha", alpha);
    c.put("gamma", gamma);
  }

  /** From a Keras config. */
  public static CategoricalFocalCrossentropy fromConfig(Map<String, Object> config) {
    String cls = "CategoricalFocalCrossentropy";
    return withBase(
        new CategoricalFocalCrossentropy(
            ConfigReader.of(cls, config).number("alpha", 0.25),
            ConfigReader.of(cls, config).number("gamma", 2.0),
            bool(cls, config, "from_logits", false),
            ConfigReader.of(cls, config).number("label_smoothing", 0.0),
            integer(cls, config, "axis", -1)),
        config,
        List.of("from_logits", "label_smoothing", "axis", "alpha", "gamma"));
  }
}
