package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Dice loss as Keras: {@code 1 - 2 sum(y p) / (sum(y) + sum(p) + 1e-7)}, the sums over {@code axis}
 * (Keras's default null: every axis, one loss for the whole batch; e.g. {@code [1, 2, 3]} for one
 * loss per image of a segmentation batch).
 *
 * <pre>{@code
 * model.compile(new Adam(), new Dice(List.of(1, 2, 3)), "accuracy");
 * }</pre>
 */
public class Dice extends LossFunction {

  /** The axis argument as given: null, an Integer or a list. */
  private final Object axisArgument;

  private final List<Integer> axis;

  /** The Dice loss over every axis. */
  public Dice() {
    this(null);
  }

  /**
   * The Dice loss summed over {@code axis}.
   *
   * <pre>{@code Loss perImage = new Dice(List.of(1, 2, 3));}</pre>
   *
   * @param axis the axes summed over (negative count from the end), or null for all
   */
  public Dice(List<Integer> axis) {
    this((Object) (axis == null ? null : List.copyOf(axis)));
  }

  private Dice(Object axisArgument) {
    super("dice");
    this.axisArgument = axisArgument;
    this.axis = LossTerms.axes(axisArgument);
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> intersection = LossTerms.sumOver(tf, tf.math.mul(yTrue, yPred), axis);
    Operand<TFloat32> total =
        tf.math.add(
            tf.math.add(LossTerms.sumOver(tf, yTrue, axis), LossTerms.sumOver(tf, yPred, axis)),
            tf.constant(LossTerms.EPSILON));
    return tf.math.sub(
        tf.constant(1f), tf.math.div(tf.math.mul(tf.constant(2f), intersection), total));
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    config.put("axis", axisArgument);
  }

  /**
   * From a Keras config.
   *
   * <pre>{@code Loss l = Dice.fromConfig(Map.of("axis", List.of(1, 2)));}</pre>
   */
  public static Dice fromConfig(Map<String, Object> config) {
    return withBase(
        new Dice(LossTerms.axisArgument(ConfigReader.of("Dice", config))), config, List.of("axis"));
  }
}
