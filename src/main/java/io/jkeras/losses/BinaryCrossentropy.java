package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Binary cross-entropy with Keras 3's semantics: on the output of a sigmoid it works from the
 * sigmoid's logits (exact, no clipping); on other probabilities it clips them to [1e-7, 1 - 1e-7];
 * with {@code fromLogits} the predictions are logits. The mean over the last axis is the per-sample
 * loss. (tensorflow-framework's version clips and then adds epsilon again.)
 *
 * <pre>{@code
 * model.compile("adam", new BinaryCrossentropy(), "accuracy");
 * }</pre>
 */
@KerasClass(aliases = {"bce", "BCE"})
public class BinaryCrossentropy extends LossFunction {

  private final boolean fromLogits;
  private final double labelSmoothing;

  /** Binary cross-entropy of 0/1 labels against probabilities, no label smoothing. */
  public BinaryCrossentropy() {
    this(false, 0.0);
  }

  /**
   * Binary cross-entropy of 0/1 labels.
   *
   * @param fromLogits true when the predictions are logits rather than probabilities
   * @param labelSmoothing in [0, 1]: labels become {@code y (1 - s) + s / 2}
   * @throws IllegalArgumentException if {@code labelSmoothing} is outside [0, 1]
   */
  public BinaryCrossentropy(boolean fromLogits, double labelSmoothing) {
    super("binary_crossentropy");
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(
          "BinaryCrossentropy: label_smoothing must be in [0, 1], got " + labelSmoothing);
    }
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> y = yTrue;
    if (labelSmoothing > 0) {
      y =
          tf.math.add(
              tf.math.mul(y, tf.constant((float) (1 - labelSmoothing))),
              tf.constant((float) (0.5 * labelSmoothing)));
    }
    Operand<TFloat32> logits = fromLogits ? yPred : LossTerms.logitsOf(yPred, "Sigmoid");
    Operand<TFloat32> elementwise;
    if (logits != null) {
      elementwise = LossTerms.sigmoidCrossEntropy(tf, y, logits);
    } else {
      Operand<TFloat32> p = LossTerms.clip(tf, yPred);
      Operand<TFloat32> one = tf.constant(1f);
      // -(y log p + (1 - y) log(1 - p))
      elementwise =
          tf.math.neg(
              tf.math.add(
                  tf.math.mul(y, tf.math.log(p)),
                  tf.math.mul(tf.math.sub(one, y), tf.math.log(tf.math.sub(one, p)))));
    }
    return LossTerms.meanLastAxis(tf, elementwise);
  }

  @Override
  protected void addConfig(Map<String, Object> c) {
    c.put("from_logits", fromLogits);
    c.put("label_smoothing", labelSmoothing);
    c.put("axis", -1);
  }

  /** From a Keras config ({@code axis} -1 only). */
  public static BinaryCrossentropy fromConfig(Map<String, Object> config) {
    String cls = "BinaryCrossentropy";
    if (integer(cls, config, "axis", -1) != -1) {
      throw ConfigReader.of(cls, java.util.Map.of())
          .wrongValue("axis", "-1 (the last axis)", config.get("axis"));
    }
    return withBase(
        new BinaryCrossentropy(
            bool(cls, config, "from_logits", false),
            ConfigReader.of(cls, config).number("label_smoothing", 0.0)),
        config,
        List.of("from_logits", "label_smoothing", "axis"));
  }
}
