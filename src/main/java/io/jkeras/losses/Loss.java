package io.jkeras.losses;

import io.jkeras.KerasSerializable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A training loss as Keras 3 defines it: a value per sample (reduced over the last axis), which the
 * trainer averages over the batch ({@code "sum_over_batch_size"}).
 *
 * <pre>{@code
 * model.compile("adam", new BinaryCrossentropy(), "accuracy");
 * }</pre>
 */
public interface Loss extends KerasSerializable {

  /** The Keras function name used in compile configs, e.g. {@code "binary_crossentropy"}. */
  String name();

  /**
   * Emits the per-sample losses, shape {@code (batch,)} (or the batch shape without the last axis).
   * {@code yTrue} has the rank of {@code yPred}, except for sparse labels (one rank less).
   */
  Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  /**
   * How the trainer reduces the per-sample losses of a batch: {@code "sum_over_batch_size"} (the
   * mean, also written {@code "mean"} or {@code "mean_with_sample_weight"}) or {@code "sum"}.
   */
  default String reduction() {
    return "sum_over_batch_size";
  }

  /** True when labels are class indices (one rank below the predictions). */
  default boolean sparseLabels() {
    return false;
  }
}
