package io.jkeras.losses;

import io.jkeras.KerasSerializable;
import io.jkeras.config.ConfigReader;
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
   * Reads the keys every Keras loss config has, for a loss class's {@code fromConfig}: {@code
   * name}, {@code dtype}, and {@code reduction}, which must be Keras's default {@code
   * "sum_over_batch_size"} (or {@code "auto"}).
   *
   * <pre>{@code
   * public static MeanSquaredError fromConfig(Map<String, Object> config) {
   *   ConfigReader c = ConfigReader.of("MeanSquaredError", config);
   *   Loss.readBaseConfig(c);
   *   c.rejectUnknownKeys();
   *   return new MeanSquaredError();
   * }
   * }</pre>
   */
  static void readBaseConfig(ConfigReader c) {
    c.string("name", null);
    c.ignore("dtype");
    String reduction = c.string("reduction", "sum_over_batch_size");
    if (!reduction.equals("sum_over_batch_size") && !reduction.equals("auto")) {
      throw c.fail(
          "reduction", "\"" + reduction + "\" is not supported (only sum_over_batch_size)");
    }
  }

  /** True when labels are class indices (one rank below the predictions). */
  default boolean sparseLabels() {
    return false;
  }
}
