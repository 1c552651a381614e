package io.jkeras.losses;

import io.jkeras.KerasSerializable;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A training loss as Keras 3 defines it: a value per sample (reduced over the last axis), reduced
 * over the batch by its {@link #reduction()} ({@code "sum_over_batch_size"} unless set).
 *
 * <pre>{@code
 * model.compile("adam", new BinaryCrossentropy(), "accuracy");
 * FloatNdArray perSample =
 *     new MeanSquaredError().reduction("none").call(yTrue, yPred); // shape (batch,)
 * }</pre>
 */
public interface Loss extends KerasSerializable {

  /** The Keras function name used in compile configs, e.g. {@code "binary_crossentropy"}. */
  String name();

  /**
   * The Keras loss function this loss computes, as a metric wrapping it names its {@code fn}: e.g.
   * {@code "huber"} for {@link Huber}, whatever the loss is named. By default {@link #name()}.
   */
  default String functionName() {
    return name();
  }

  /**
   * Emits the per-sample losses, shape {@code (batch,)} (or the batch shape without the last axis).
   * {@code yTrue} has the rank of {@code yPred}, except for sparse labels (one rank less).
   */
  Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  /**
   * The samples that count, shaped like {@link #perSample}'s values (1 counts, 0 is masked out), or
   * null when all count (the default). Keras's losses attach such a mask for {@code ignore_class}.
   */
  default Operand<TFloat32> mask(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return null;
  }

  /**
   * How the per-sample losses of a batch are reduced, one of {@link LossReduction#NAMES}: {@code
   * "sum_over_batch_size"} (the mean, also {@code "mean"} or {@code "mean_with_sample_weight"}),
   * {@code "sum"} or {@code "none"} (no reduction; in training the gradient is that of their sum).
   */
  default String reduction() {
    return "sum_over_batch_size";
  }

  /** True when labels are class indices (one rank below the predictions). */
  default boolean sparseLabels() {
    return false;
  }

  /**
   * Emits Keras's {@code loss(y_true, y_pred)}: the per-sample values reduced by {@link
   * #reduction()} with {@link #mask}; a scalar, or the per-sample values for {@code "none"}. As
   * Keras, labels and predictions whose ranks differ by a trailing axis of size 1 are first brought
   * to the same rank, and sparse labels lose a trailing axis of size 1.
   *
   * <pre>{@code Operand<TFloat32> l = loss.call(tf, labels, predictions);}</pre>
   */
  default Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    List<Operand<TFloat32>> aligned = LossTerms.sameRank(tf, yTrue, yPred, sparseLabels());
    Operand<TFloat32> y = aligned.get(0);
    Operand<TFloat32> p = aligned.get(1);
    return LossReduction.reduce(tf, perSample(tf, y, p), mask(tf, y, p), reduction());
  }

  /**
   * Computes the loss of {@code yPred} against {@code yTrue} now, as calling a Keras loss on arrays
   * does: a scalar, or with reduction {@code "none"} one value per sample.
   *
   * <pre>{@code
   * FloatNdArray l = new MeanAbsoluteError().call(
   *     StdArrays.ndCopyOf(new float[][] {{1, 2}}), StdArrays.ndCopyOf(new float[][] {{1, 4}}));
   * l.getFloat(); // 1.0
   * }</pre>
   */
  default FloatNdArray call(FloatNdArray yTrue, FloatNdArray yPred) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = call(tf, tf.constant(yTrue), tf.constant(yPred));
      try (Result r = s.runner().fetch(out).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        FloatNdArray copy = NdArrays.ofFloats(t.shape());
        t.copyTo(copy);
        return copy;
      }
    }
  }
}
