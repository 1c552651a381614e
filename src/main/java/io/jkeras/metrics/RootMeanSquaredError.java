package io.jkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The square root of the mean squared error over every element seen, as Keras's {@code
 * RootMeanSquaredError} (name "root_mean_squared_error").
 *
 * <pre>{@code
 * model.compile(new Adam(), "mse", new RootMeanSquaredError());
 * }</pre>
 */
public class RootMeanSquaredError extends MeanMetric {

  /**
   * The root of the mean squared error over all samples seen, named {@code
   * "root_mean_squared_error"}.
   */
  public RootMeanSquaredError() {
    this("root_mean_squared_error");
  }

  /** The root of the mean squared error over all samples seen, logged as {@code name}. */
  public RootMeanSquaredError(String name) {
    super(name);
  }

  @Override
  protected Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> d = tf.math.sub(yPred, yTrue);
    return tf.math.mul(d, d);
  }

  @Override
  public double result() {
    return Math.sqrt(super.result());
  }
}
