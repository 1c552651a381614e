package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Categorical cross-entropy over one-hot labels, as Keras 3: on a softmax output it works from the
 * logits; otherwise predictions are normalized to sum to one and clipped to [1e-7, 1 - 1e-7].
 *
 * <pre>{@code
 * model.compile("adam", new CategoricalCrossentropy(), "accuracy");
 * }</pre>
 */
public class CategoricalCrossentropy implements Loss {

  private final boolean fromLogits;

  public CategoricalCrossentropy() {
    this(false);
  }

  public CategoricalCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /**
   * The loss from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>
   * {@code Loss l = CategoricalCrossentropy.fromConfig(Map.of("name", "categorical_crossentropy"));}
   * </pre>
   */
  public static CategoricalCrossentropy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CategoricalCrossentropy", config);
    Loss.readBaseConfig(c);
    c.requireDefault("axis", -1, "an axis other than -1");
    c.requireDefault("label_smoothing", 0.0, "label smoothing");
    CategoricalCrossentropy loss = new CategoricalCrossentropy(c.bool("from_logits", false));
    c.rejectUnknownKeys();
    return loss;
  }

  @Override
  public String name() {
    return "categorical_crossentropy";
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> logits = fromLogits ? yPred : LossTerms.logitsOf(yPred, "Softmax");
    if (logits != null) {
      return tf.nn.softmaxCrossEntropyWithLogits(logits, yTrue).loss();
    }
    Operand<TFloat32> p =
        tf.math.div(yPred, tf.reduceSum(yPred, tf.constant(-1), ReduceSum.keepDims(true)));
    p = LossTerms.clip(tf, p);
    return tf.math.neg(tf.reduceSum(tf.math.mul(yTrue, tf.math.log(p)), tf.constant(-1)));
  }

  @Override
  public String className() {
    return "CategoricalCrossentropy";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    c.put("reduction", "sum_over_batch_size");
    c.put("from_logits", fromLogits);
    c.put("label_smoothing", 0.0);
    c.put("axis", -1);
    return c;
  }
}
