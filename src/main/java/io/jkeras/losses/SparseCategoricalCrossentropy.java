package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
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
public class SparseCategoricalCrossentropy implements Loss {

  private final boolean fromLogits;

  public SparseCategoricalCrossentropy() {
    this(false);
  }

  public SparseCategoricalCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /**
   * The loss from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>
   * {@code Loss l = SparseCategoricalCrossentropy.fromConfig(Map.of("name", "sparse_categoricalcrossentropy"));}
   * </pre>
   */
  public static SparseCategoricalCrossentropy fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SparseCategoricalCrossentropy", config);
    Loss.readBaseConfig(c);
    c.requireDefault("ignore_class", null, "ignore_class");
    c.requireDefault("axis", -1, "an axis other than -1");
    SparseCategoricalCrossentropy loss =
        new SparseCategoricalCrossentropy(c.bool("from_logits", false));
    c.rejectUnknownKeys();
    return loss;
  }

  @Override
  public String name() {
    return "sparse_categorical_crossentropy";
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
    return tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).loss();
  }

  @Override
  public String className() {
    return "SparseCategoricalCrossentropy";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    c.put("reduction", "sum_over_batch_size");
    c.put("from_logits", fromLogits);
    c.put("ignore_class", null);
    return c;
  }
}
