package io.jkeras.optimizers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Adagrad as Keras 3: learning_rate 0.001, initial_accumulator_value 0.1, epsilon 1e-7.
 *
 * <p>{@code acc += g²; w -= lr g / sqrt(acc + eps)}. One slot per weight: the accumulator.
 *
 * <pre>{@code
 * model.compile(new Adagrad(0.01), "mse");
 * }</pre>
 */
public class Adagrad extends Optimizer {

  private final double initialAccumulatorValue;
  private final double epsilon;

  /** Adagrad with Keras's defaults (learning rate 0.001, initial accumulator 0.1, epsilon 1e-7). */
  public Adagrad() {
    this(0.001);
  }

  /**
   * Adagrad with the given learning rate and Keras's other defaults.
   *
   * @throws IllegalArgumentException if {@code learningRate} is not positive
   */
  public Adagrad(double learningRate) {
    this(learningRate, 0.1, 1e-7);
  }

  /**
   * Adagrad.
   *
   * @param initialAccumulatorValue the starting value of each accumulator, non-negative
   * @param epsilon added inside the square root, positive
   * @throws IllegalArgumentException if an argument is out of range
   */
  public Adagrad(double learningRate, double initialAccumulatorValue, double epsilon) {
    super(learningRate);
    if (!(initialAccumulatorValue >= 0) || !(epsilon > 0)) {
      throw new IllegalArgumentException(
          "Adagrad: expected initial_accumulator_value >= 0 and"
              + " epsilon > 0, got "
              + initialAccumulatorValue
              + " and "
              + epsilon);
    }
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.epsilon = epsilon;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return List.of(List.of("accumulator"));
  }

  @Override
  protected float slotInitialValue(String slot) {
    return (float) initialAccumulatorValue;
  }

  @Override
  protected Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> acc = tf.assignAdd(slots.get(0), tf.math.mul(grad, grad));
    return tf.assignSub(
        var,
        tf.math.div(
            tf.math.mul(lr, grad), tf.math.sqrt(tf.math.add(acc, tf.constant((float) epsilon)))));
  }

  /** A row whose gradient is zero keeps its accumulator and value: the update can be sparse. */
  @Override
  protected boolean hasSparseUpdate() {
    return true;
  }

  /** The dense update on the rows {@code ids}: their accumulators, then their values. */
  @Override
  protected Op sparseUpdate(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TInt64> ids,
      Operand<TFloat32> rows,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Variable<TFloat32> acc = slots.get(0);
    Operand<TFloat32> newAcc =
        tf.math.add(tf.gather(acc, ids, tf.constant(0)), tf.math.mul(rows, rows));
    Op accUpdate = tf.scatterUpdate(acc, ids, newAcc);
    return tf.withControlDependencies(List.of(accUpdate))
        .scatterSub(
            var,
            ids,
            tf.math.div(
                tf.math.mul(lr, rows),
                tf.math.sqrt(tf.math.add(newAcc, tf.constant((float) epsilon)))));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("initial_accumulator_value", initialAccumulatorValue);
    c.put("epsilon", epsilon);
    return c;
  }

  /** From a Keras config. */
  public static Adagrad fromConfig(Map<String, Object> config) {
    String cls = "Adagrad";
    return withBaseOptions(
        new Adagrad(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("initial_accumulator_value", 0.1),
            ConfigReader.of(cls, config).number("epsilon", 1e-7)),
        config,
        List.of("initial_accumulator_value", "epsilon"));
  }
}
