package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Tversky loss as Keras: with {@code tp = sum(y p)}, {@code a = sum(y (1 - p))} and {@code b =
 * sum((1 - y) p)} over {@code axis} (default null: every axis), {@code 1 - tp / (tp + alpha a +
 * beta b + 1e-7)}. Alpha and beta default to 0.5, where it equals the {@link Dice} loss.
 *
 * <pre>{@code
 * model.compile(new Adam(), new Tversky(0.3, 0.7, null), "accuracy");
 * }</pre>
 */
public class Tversky extends LossFunction {

  private final double alpha;
  private final double beta;

  /** The axis argument as given: null, an Integer or a list. */
  private final Object axisArgument;

  private final List<Integer> axis;

  /** The Tversky loss with alpha and beta 0.5, over every axis. */
  public Tversky() {
    this(0.5, 0.5, null);
  }

  /**
   * The Tversky loss.
   *
   * <pre>{@code Loss l = new Tversky(0.7, 0.3, List.of(1, 2));}</pre>
   *
   * @param alpha the weight of {@code sum(y (1 - p))}
   * @param beta the weight of {@code sum((1 - y) p)}
   * @param axis the axes summed over (negative count from the end), or null for all
   */
  public Tversky(double alpha, double beta, List<Integer> axis) {
    this(alpha, beta, (Object) (axis == null ? null : List.copyOf(axis)));
  }

  private Tversky(double alpha, double beta, Object axisArgument) {
    super("tversky");
    this.alpha = alpha;
    this.beta = beta;
    this.axisArgument = axisArgument;
    this.axis = LossTerms.axes(axisArgument);
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> tp = LossTerms.sumOver(tf, tf.math.mul(yTrue, yPred), axis);
    Operand<TFloat32> missed =
        LossTerms.sumOver(tf, tf.math.mul(tf.math.sub(one, yPred), yTrue), axis);
    Operand<TFloat32> extra =
        LossTerms.sumOver(tf, tf.math.mul(yPred, tf.math.sub(one, yTrue)), axis);
    Operand<TFloat32> denominator =
        tf.math.add(
            tf.math.add(
                tf.math.add(tp, tf.math.mul(missed, tf.constant((float) alpha))),
                tf.math.mul(extra, tf.constant((float) beta))),
            tf.constant(LossTerms.EPSILON));
    return tf.math.sub(one, tf.math.div(tp, denominator));
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    config.put("alpha", alpha);
    config.put("beta", beta);
    config.put("axis", axisArgument);
  }

  /**
   * From a Keras config.
   *
   * <pre>{@code Loss l = Tversky.fromConfig(Map.of("alpha", 0.7, "beta", 0.3));}</pre>
   */
  public static Tversky fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Tversky", config);
    return withBase(
        new Tversky(c.number("alpha", 0.5), c.number("beta", 0.5), LossTerms.axisArgument(c)),
        config,
        List.of("alpha", "beta", "axis"));
  }
}
