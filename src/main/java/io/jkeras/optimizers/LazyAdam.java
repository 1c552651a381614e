package io.jkeras.optimizers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Adam that updates only the looked-up rows of embedding tables ("lazy" Adam): a jkeras runtime
 * choice for large tables, not Keras 3's Adam. Weights other than looked-up tables get Keras's
 * dense Adam update.
 *
 * <p>Keras 3's Adam updates every row of a table each step: a row not looked up has a zero
 * gradient, yet its momentum and velocity decay and its value keeps moving by {@code lr · m /
 * (sqrt(v) + eps)}. Here, per step t, only the rows {@code r} looked up in the batch change: {@code
 * m[r] = b1 m[r] + (1-b1) g[r]; v[r] = b2 v[r] + (1-b2) g[r]²; w[r] -= lr sqrt(1-b2^t)/(1-b1^t) ·
 * m[r] / (sqrt(v[r]) + eps)}, with t the global step; other rows keep their value and moments. The
 * numbers therefore differ from Keras's after the first step in which a row is not looked up.
 * Options that touch every row (weight decay, gradient accumulation) make the tables' updates dense
 * again, as {@link Adam}.
 *
 * <p>In a {@code .keras} file this optimizer is written as Keras's {@code Adam} with the same
 * config and the same state (iteration, learning rate, momentum and velocity of each weight), so
 * Python Keras reads it; the laziness is not stored, and a file loads back as dense {@link Adam}:
 * compile with a {@code LazyAdam} again to continue lazily.
 *
 * <pre>{@code
 * model.compile(new LazyAdam(0.001), "binary_crossentropy", "auc");
 * }</pre>
 */
public class LazyAdam extends Adam {

  /**
   * Keras Adam's defaults (beta_1 0.9, beta_2 0.999, epsilon 1e-7) with this learning rate.
   *
   * <pre>{@code Optimizer lazy = new LazyAdam(0.001);}</pre>
   */
  public LazyAdam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7);
  }

  /**
   * Adam's arguments (without amsgrad).
   *
   * @throws IllegalArgumentException for betas outside [0, 1) or a non-positive epsilon
   */
  public LazyAdam(double learningRate, double beta1, double beta2, double epsilon) {
    super(learningRate, beta1, beta2, epsilon);
  }

  /** Lazy by definition: only looked-up rows are updated. */
  @Override
  protected boolean hasSparseUpdate() {
    return true;
  }

  /** Adam's update on the rows {@code ids} only: their moments, then their values. */
  @Override
  protected Op sparseUpdate(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TInt64> ids,
      Operand<TFloat32> rows,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alpha =
        tf.math.div(
            tf.math.mul(
                lr, tf.math.sqrt(tf.math.sub(one, tf.math.pow(tf.constant((float) beta2), step)))),
            tf.math.sub(one, tf.math.pow(tf.constant((float) beta1), step)));
    Variable<TFloat32> m = slots.get(0);
    Variable<TFloat32> v = slots.get(1);
    Operand<TFloat32> mRows = tf.gather(m, ids, tf.constant(0));
    Operand<TFloat32> vRows = tf.gather(v, ids, tf.constant(0));
    Operand<TFloat32> newM =
        tf.math.add(mRows, tf.math.mul(tf.math.sub(rows, mRows), tf.constant((float) (1 - beta1))));
    Operand<TFloat32> newV =
        tf.math.add(
            vRows,
            tf.math.mul(
                tf.math.sub(tf.math.mul(rows, rows), vRows), tf.constant((float) (1 - beta2))));
    Op mUpdate = tf.scatterUpdate(m, ids, newM);
    Op vUpdate = tf.scatterUpdate(v, ids, newV);
    return tf.withControlDependencies(List.of(mUpdate, vUpdate))
        .scatterSub(
            var,
            ids,
            tf.math.div(
                tf.math.mul(newM, alpha),
                tf.math.add(tf.math.sqrt(newV), tf.constant((float) epsilon))));
  }

  /** Written and read as Keras's {@code Adam}: the laziness is a runtime choice, not a config. */
  @Override
  public String className() {
    return "Adam";
  }
}
