package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mean of absolute errors over the last axis, as Keras's {@code mean_absolute_error}.
 *
 * <pre>{@code
 * model.compile("adam", new MeanAbsoluteError());
 * }</pre>
 */
@KerasClass(aliases = "mae")
public class MeanAbsoluteError implements Loss {

  /**
   * The loss from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Loss l = MeanAbsoluteError.fromConfig(Map.of("name", "mean_absoluteerror"));}</pre>
   */
  public static MeanAbsoluteError fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MeanAbsoluteError", config);
    Loss.readBaseConfig(c);
    MeanAbsoluteError loss = new MeanAbsoluteError();
    c.rejectUnknownKeys();
    return loss;
  }

  @Override
  public String name() {
    return "mean_absolute_error";
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return LossTerms.meanLastAxis(tf, tf.math.abs(tf.math.sub(yPred, yTrue)));
  }

  @Override
  public String className() {
    return "MeanAbsoluteError";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    c.put("reduction", "sum_over_batch_size");
    return c;
  }
}
