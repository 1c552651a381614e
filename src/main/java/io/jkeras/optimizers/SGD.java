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
 * Gradient descent with optional momentum, as Keras 3's SGD: learning_rate 0.01, momentum 0,
 * nesterov false.
 *
 * <p>Without momentum: {@code w -= lr g}. With momentum: {@code m = momentum m - lr g}, then {@code
 * w += m}, or with Nesterov {@code w += momentum m - lr g}. One slot per weight (momentum) only
 * when momentum is non-zero.
 *
 * <pre>{@code
 * model.compile(new SGD(0.1, 0.9, true), "mse");
 * }</pre>
 */
public class SGD extends Optimizer {

  private final double momentum;
  private final boolean nesterov;

  /** Plain gradient descent with learning rate 0.01 (Keras's default). */
  public SGD() {
    this(0.01);
  }

  /**
   * Plain gradient descent with the given learning rate.
   *
   * @throws IllegalArgumentException if {@code learningRate} is not positive
   */
  public SGD(double learningRate) {
    this(learningRate, 0.0, false);
  }

  /**
   * Gradient descent with momentum.
   *
   * @param momentum in [0, 1]; 0 is plain gradient descent
   * @param nesterov use Nesterov momentum
   * @throws IllegalArgumentException if an argument is out of range
   */
  public SGD(double learningRate, double momentum, boolean nesterov) {
    super(learningRate);
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("SGD: momentum must be in [0, 1], got " + momentum);
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  @Override
  protected List<List<String>> slotGroups() {
    return momentum != 0 ? List.of(List.of("momentum")) : List.of();
  }

  @Override
  protected Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> lrGrad = tf.math.mul(grad, lr);
    if (momentum == 0) {
      return tf.assignSub(var, lrGrad);
    }
    Operand<TFloat32> mom = tf.constant((float) momentum);
    Variable<TFloat32> m = slots.get(0);
    Operand<TFloat32> newM = tf.assign(m, tf.math.sub(tf.math.mul(m, mom), lrGrad));
    Operand<TFloat32> delta = nesterov ? tf.math.sub(tf.math.mul(newM, mom), lrGrad) : newM;
    return tf.assignAdd(var, delta);
  }

  /** Without momentum, a row whose gradient is zero does not move: the update can be sparse. */
  @Override
  protected boolean hasSparseUpdate() {
    return momentum == 0;
  }

  /** {@code w[ids] -= lr · rows}. */
  @Override
  protected Op sparseUpdate(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TInt64> ids,
      Operand<TFloat32> rows,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    return tf.scatterSub(var, ids, tf.math.mul(rows, lr));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("momentum", momentum);
    c.put("nesterov", nesterov);
    return c;
  }

  /** From a Keras config. */
  public static SGD fromConfig(Map<String, Object> config) {
    String cls = "SGD";
    return withBaseOptions(
        new SGD(
            learningRateOf(cls, config, 0.01),
            ConfigReader.of(cls, config).number("momentum", 0.0),
            bool(cls, config, "nesterov", false)),
        config,
        List.of("momentum", "nesterov"));
  }
}
