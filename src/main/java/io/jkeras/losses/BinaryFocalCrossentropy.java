package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Binary focal cross-entropy (Lin et al., 2017) as Keras: the binary cross-entropy (from the
 * sigmoid's logits where there is one, as {@link BinaryCrossentropy}) times {@code (1 - p_t)^gamma}
 * with {@code p_t = y p + (1 - y)(1 - p)}, with {@code apply_class_balancing} also times {@code y
 * alpha + (1 - y)(1 - alpha)}; mean over the last axis. Defaults: apply_class_balancing false,
 * alpha 0.25, gamma 2, from_logits false, label_smoothing 0.
 *
 * <pre>{@code
 * model.compile("adam", new BinaryFocalCrossentropy(true, 0.25, 2.0, false, 0.0), "auc");
 * }</pre>
 */
public class BinaryFocalCrossentropy extends LossFunction {

  private final boolean applyClassBalancing;
  private final double alpha;
  private final double gamma;
  private final boolean fromLogits;
  private final double labelSmoothing;

  /**
   * Keras's defaults: no class balancing, alpha 0.25, gamma 2, probabilities (not logits), no label
   * smoothing.
   */
  public BinaryFocalCrossentropy() {
    this(false, 0.25, 2.0, false, 0.0);
  }

  /**
   * Binary focal cross-entropy.
   *
   * @param applyClassBalancing also weight positives by {@code alpha} and negatives by {@code 1 -
   *     alpha}
   * @param alpha the positives' weight with class balancing
   * @param gamma the focusing exponent of {@code (1 - p_t)}
   * @param fromLogits true when the predictions are logits rather than probabilities
   * @param labelSmoothing labels move towards 0.5 by this fraction
   */
  public BinaryFocalCrossentropy(
      boolean applyClassBalancing,
      double alpha,
      double gamma,
      boolean fromLogits,
      double labelSmoothing) {
    super("binary_focal_crossentropy");
    this.applyClassBalancing = applyClassBalancing;
    this.alpha = alpha;
    this.gamma = gamma;
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> y = yTrue;
    if (labelSmoothing > 0) {
      y =
          tf.math.add(
              tf.math.mul(y, tf.constant((float) (1 - labelSmoothing))),
              tf.constant((float) (0.5 * labelSmoothing)));
    }
    Operand<TFloat32> logits = fromLogits ? yPred : LossTerms.logitsOf(yPred, "Sigmoid");
    Operand<TFloat32> p = fromLogits ? tf.math.sigmoid(yPred) : yPred;
    Operand<TFloat32> bce;
    if (logits != null) {
      bce = LossTerms.sigmoidCrossEntropy(tf, y, logits);
    } else {
      Operand<TFloat32> clipped = LossTerms.clip(tf, p);
      bce =
          tf.math.neg(
              tf.math.add(
                  tf.math.mul(y, tf.math.log(clipped)),
                  tf.math.mul(tf.math.sub(one, y), tf.math.log(tf.math.sub(one, clipped)))));
    }
    Operand<TFloat32> pt =
        tf.math.add(tf.math.mul(y, p), tf.math.mul(tf.math.sub(one, y), tf.math.sub(one, p)));
    Operand<TFloat32> focal =
        tf.math.mul(tf.math.pow(tf.math.sub(one, pt), tf.constant((float) gamma)), bce);
    if (applyClassBalancing) {
      Operand<TFloat32> a = tf.constant((float) alpha);
      focal =
          tf.math.mul(
              tf.math.add(tf.math.mul(y, a), tf.math.mul(tf.math.sub(one, y), tf.math.sub(one, a))),
              focal);
    }
    return LossTerms.meanLastAxis(tf, focal);
  }

  @Override
  protected void addConfig(Map<String, Object> c) {
    c.put("from_logits", fromLogits);
    c.put("label_smoothing", labelSmoothing);
    c.put("axis", -1);
    c.put("apply_class_balancing", applyClassBalancing);
    c.put("alpha", alpha);
    c.put("gamma", gamma);
  }

  /** From a Keras config. */
  public static BinaryFocalCrossentropy fromConfig(Map<String, Object> config) {
    String cls = "BinaryFocalCrossentropy";
    if (integer(cls, config, "axis", -1) != -1) {
      throw ConfigReader.of(cls, java.util.Map.of())
          .wrongValue("axis", "-1 (the last axis)", config.get("axis"));
    }
    return withBase(
        new BinaryFocalCrossentropy(
            bool(cls, config, "apply_class_balancing", false),
            ConfigReader.of(cls, config).number("alpha", 0.25),
            ConfigReader.of(cls, config).number("gamma", 2.0),
            bool(cls, config, "from_logits", false),
            ConfigReader.of(cls, config).number("label_smoothing", 0.0)),
        config,
        List.of(
            "from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha", "gamma"));
  }
}
