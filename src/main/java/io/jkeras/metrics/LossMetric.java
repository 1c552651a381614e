package io.jkeras.metrics;

import io.jkeras.losses.Loss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The mean of a loss function's per-sample values over every sample seen, as Keras's metrics built
 * on loss functions ({@code "mse"}, {@code "mae"}, {@code "mape"}, {@code "msle"}, {@code
 * "log_cosh_error"}, {@code "binary_crossentropy"}, {@code "kl_divergence"}...; Keras's {@code
 * MeanMetricWrapper}).
 *
 * <pre>{@code
 * model.compile(new Adam(), new Huber(), new LossMetric("mae", new MeanAbsoluteError()));
 * }</pre>
 */
public class LossMetric extends MeanMetric {

  private final Loss loss;

  /** The mean of {@code loss}'s per-sample values, logged as {@code name}. */
  public LossMetric(String name, Loss loss) {
    super(name);
    this.loss = loss;
  }

  @Override
  protected Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return loss.perSample(tf, yTrue, yPred);
  }
}
