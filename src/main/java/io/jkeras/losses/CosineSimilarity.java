package io.jkeras.losses;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Negative cosine similarity as Keras: {@code -sum(ŷ ŷ')} along {@code axis} (default -1) of the
 * L2-normalized labels and predictions, each normalized as {@code x · min(rsqrt(sum(x²)), 1e7)}.
 *
 * <pre>{@code
 * model.compile("adam", new CosineSimilarity(), "mse");
 * }</pre>
 */
public class CosineSimilarity extends LossFunction {

  private final int axis;

  /** Negative cosine similarity along the last axis. */
  public CosineSimilarity() {
    this(-1);
  }

  /** Negative cosine similarity along {@code axis} (negative counts from the end). */
  public CosineSimilarity(int axis) {
    super("cosine_similarity");
    this.axis = axis;
  }

  private Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> squareSum =
        tf.reduceSum(tf.math.mul(x, x), tf.constant(axis), ReduceSum.keepDims(true));
    Operand<TFloat32> inverse =
        tf.math.minimum(tf.math.rsqrt(squareSum), tf.constant(1f / LossTerms.EPSILON));
    return tf.math.mul(x, inverse);
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return tf.math.neg(
        tf.reduceSum(tf.math.mul(normalize(tf, yTrue), normalize(tf, yPred)), tf.constant(axis)));
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    if (axis != -1) {
      config.put("axis", axis);
    }
  }

  /** From a Keras config. */
  public static CosineSimilarity fromConfig(Map<String, Object> config) {
    return withBase(
        new CosineSimilarity(integer("CosineSimilarity", config, "axis", -1)),
        config,
        List.of("axis"));
  }
}
