package io.jkeras.optimizers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop as Keras 3: learning_rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false.
 *
 * <p>{@code v = rho v + (1-rho) g²}; centered also tracks {@code a = rho a + (1-rho) g} and uses
 * {@code v - a²}; the step is {@code lr g / sqrt(v + eps)} (epsilon inside the root, as Keras),
 * applied directly or through momentum {@code m = momentum m + step; w -= m}. Slots: all
 * velocities, then momentums (if momentum > 0), then average gradients (if centered).
 *
 * <pre>{@code
 * model.compile(new RMSprop(), "mse");
 * }</pre>
 */
public class RMSprop extends Optimizer {

  private final double rho;
  private final double momentum;
  private final double epsilon;
  private final boolean centered;

  /**
   * RMSprop with Keras's defaults (learning rate 0.001, rho 0.9, no momentum, epsilon 1e-7, not
   * centered).
   */
  public RMSprop() {
    this(0.001);
  }

  /**
   * RMSprop with the given learning rate and Keras's other defaults.
   *
   * @throws IllegalArgumentException if {@code learningRate} is not positive
   */
  public RMSprop(double learningRate) {
    this(learningRate, 0.9, 0.0, 1e-7, false);
  }

  /**
   * RMSprop.
   *
   * @param rho the decay of the squared-gradient average, in [0, 1)
   * @param momentum in [0, 1); 0 applies each step directly
   * @param epsilon added inside the square root, positive
   * @param centered also subtract the squared average gradient (a variance estimate)
   * @throws IllegalArgumentException if an argument is out of range
   */
  public RMSprop(
      double learningRate, double rho, double momentum, double epsilon, boolean centered) {
    super(learningRate);
    if (!(rho >= 0 && rho < 1) || !(momentum >= 0 && momentum < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException(
          "RMSprop: expected rho in [0, 1), momentum in [0, 1)"
              + " and epsilon > 0, got rho="
              + rho
              + ", momentum="
              + momentum
              + ", epsilon="
              + epsilon);
    }
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  @Override
  protected List<List<String>> slotGroups() {
    List<List<String>> groups = new ArrayList<>();
    groups.add(List.of("velocity"));
    if (momentum > 0) {
      groups.add(List.of("momentum"));
    }
    if (centered) {
      groups.add(List.of("average_gradient"));
    }
    return groups;
  }

  @Override
  protected Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> r = tf.constant((float) rho);
    Operand<TFloat32> oneMinus = tf.constant((float) (1 - rho));
    Operand<TFloat32> v =
        tf.assign(
            slots.get(0),
            tf.math.add(
                tf.math.mul(r, slots.get(0)), tf.math.mul(oneMinus, tf.math.mul(grad, grad))));
    Operand<TFloat32> denominator = v;
    if (centered) {
      Variable<TFloat32> avg = slots.get(momentum > 0 ? 2 : 1);
      Operand<TFloat32> a =
          tf.assign(avg, tf.math.add(tf.math.mul(r, avg), tf.math.mul(oneMinus, grad)));
      denominator = tf.math.sub(v, tf.math.mul(a, a));
    }
    Operand<TFloat32> increment =
        tf.math.div(
            tf.math.mul(lr, grad),
            tf.math.sqrt(tf.math.add(denominator, tf.constant((float) epsilon))));
    if (momentum > 0) {
      Variable<TFloat32> m = slots.get(1);
      Operand<TFloat32> newM =
          tf.assign(m, tf.math.add(tf.math.mul(tf.constant((float) momentum), m), increment));
      return tf.assignSub(var, newM);
    }
    return tf.assignSub(var, increment);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rho", rho);
    c.put("momentum", momentum);
    c.put("epsilon", epsilon);
    c.put("centered", centered);
    return c;
  }

  /** From a Keras config. */
  public static RMSprop fromConfig(Map<String, Object> config) {
    String cls = "RMSprop";
    return withBaseOptions(
        new RMSprop(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("rho", 0.9),
            ConfigReader.of(cls, config).number("momentum", 0.0),
            ConfigReader.of(cls, config).number("epsilon", 1e-7),
            bool(cls, config, "centered", false)),
        config,
        List.of("rho", "momentum", "epsilon", "centered"));
  }
}
