package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Circle loss as Keras, for L2-normalized embeddings {@code p} (batch, dim) and integer class
 * labels: with the cosine distances {@code d_ij = max(1 - p_i·p_j, 0)} between the samples of the
 * batch, positives j of the same class as i (itself excluded when {@code remove_diagonal}, the
 * default) and negatives of another class, each sample's loss is {@code softplus(lse_pos +
 * lse_neg)} where {@code lse_pos = logsumexp_j(-gamma max(margin + d_ij, 0) (margin - d_ij))} and
 * {@code lse_neg = logsumexp_j(gamma max(1 + margin - d_ij, 0) (1 - margin - d_ij))}. Defaults:
 * gamma 80, margin 0.4. As Keras, the samples whose loss is 0 (those without a positive) are masked
 * out of the mean.
 *
 * <pre>{@code
 * model.compile(new Adam(), new Circle(), List.of()); // the model ends in UnitNormalization
 * }</pre>
 */
public class Circle extends LossFunction {

  private final double gamma;
  private final double margin;
  private final boolean removeDiagonal;

  /** The Circle loss with gamma 80, margin 0.4, self-similarities removed. */
  public Circle() {
    this(80.0, 0.4, true);
  }

  /**
   * The Circle loss.
   *
   * <pre>{@code Loss l = new Circle(64, 0.25, true);}</pre>
   *
   * @param gamma the scale of the similarity scores
   * @param margin the relaxation margin
   * @param removeDiagonal whether a sample is not its own positive
   */
  public Circle(double gamma, double margin, boolean removeDiagonal) {
    super("circle");
    this.gamma = gamma;
    this.margin = margin;
    this.removeDiagonal = removeDiagonal;
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TInt32> labels =
        tf.reshape(tf.dtypes.cast(yTrue, TInt32.class), tf.constant(new int[] {-1, 1}));
    Operand<TBool> positive =
        tf.math.equal(labels, tf.linalg.transpose(labels, tf.constant(new int[] {1, 0})));
    Operand<TBool> negative = tf.math.logicalNot(positive);
    if (removeDiagonal) {
      Operand<TInt32> index = tf.range(tf.constant(0), tf.size(labels), tf.constant(1));
      Operand<TBool> self =
          tf.math.equal(tf.expandDims(index, tf.constant(1)), tf.expandDims(index, tf.constant(0)));
      positive = tf.math.logicalAnd(positive, tf.math.logicalNot(self));
    }
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> distance =
        tf.math.maximum(
            tf.math.sub(tf.constant(1f), tf.linalg.matMul(yPred, yPred, MatMul.transposeB(true))),
            zero);
    Operand<TFloat32> m = tf.constant((float) margin);
    Operand<TFloat32> g = tf.constant((float) gamma);
    Operand<TFloat32> posWeights =
        tf.math.maximum(
            tf.math.mul(tf.math.add(m, distance), tf.dtypes.cast(positive, TFloat32.class)), zero);
    Operand<TFloat32> negWeights =
        tf.math.maximum(
            tf.math.mul(
                tf.math.sub(tf.constant((float) (1 + margin)), distance),
                tf.dtypes.cast(negative, TFloat32.class)),
            zero);
    Operand<TFloat32> posScores =
        tf.math.mul(tf.math.neg(g), tf.math.mul(posWeights, tf.math.sub(m, distance)));
    Operand<TFloat32> negScores =
        tf.math.mul(
            g, tf.math.mul(negWeights, tf.math.sub(tf.constant((float) (1 - margin)), distance)));
    return tf.math.softplus(
        tf.math.add(
            logSumExpWhere(tf, positive, posScores), logSumExpWhere(tf, negative, negScores)));
  }

  /** The log-sum-exp along axis 1 of the entries where {@code keep} is true (-inf for none). */
  private static Operand<TFloat32> logSumExpWhere(
      Ops tf, Operand<TBool> keep, Operand<TFloat32> x) {
    Operand<TFloat32> kept = tf.select(keep, x, tf.constant(Float.NEGATIVE_INFINITY));
    Operand<TInt32> axis = tf.constant(1);
    Operand<TFloat32> max = tf.max(kept, axis, Max.keepDims(true));
    // As TF's reduce_logsumexp: the shift is a constant to the gradient, 0 for a row of -inf.
    Operand<TFloat32> shift =
        tf.stopGradient(tf.select(tf.math.isFinite(max), max, tf.zerosLike(max)));
    Operand<TFloat32> sum = tf.sum(tf.math.exp(tf.math.sub(kept, shift)), axis);
    return tf.math.add(tf.math.log(sum), tf.squeeze(shift, Squeeze.axis(List.of(1L))));
  }

  /** As Keras, only the samples with a positive loss count. */
  @Override
  public Operand<TFloat32> mask(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return tf.dtypes.cast(
        tf.math.greater(perSample(tf, yTrue, yPred), tf.constant(0f)), TFloat32.class);
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    config.put("gamma", gamma);
    config.put("margin", margin);
    config.put("remove_diagonal", removeDiagonal);
  }

  /**
   * From a Keras config.
   *
   * <pre>{@code Loss l = Circle.fromConfig(Map.of("gamma", 64.0, "margin", 0.25));}</pre>
   */
  public static Circle fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Circle", config);
    return withBase(
        new Circle(
            c.number("gamma", 80.0), c.number("margin", 0.4), c.bool("remove_diagonal", true)),
        config,
        List.of("gamma", "margin", "remove_diagonal"));
  }
}
