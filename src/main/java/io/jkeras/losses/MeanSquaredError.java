package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mean of squared errors over the last axis, as Keras's {@code mean_squared_error}.
 *
 * <pre>{@code
 * model.compile("sgd", new MeanSquaredError());
 * }</pre>
 */
@KerasClass(aliases = "mse")
public class MeanSquaredError implements Loss {

  /**
   * The loss from its Keras config, as Python Keras 3 writes it.
   *
   * <pre>{@code Loss l = MeanSquaredError.fromConfig(Map.of("name", "mean_squarederror"));}</pre>
   */
  public static MeanSquaredError fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MeanSquaredError", config);
    Loss.readBaseConfig(c);
    MeanSquaredError loss = new MeanSquaredError();
    c.rejectUnknownKeys();
    return loss;
  }

  @Override
  public String name() {
    return "mean_squared_error";
  }

  @Override
  public Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> d = tf.math.sub(yPred, yTrue);
    return LossTerms.meanLastAxis(tf, tf.math.mul(d, d));
  }

  @Override
  public String className() {
    return "MeanSquaredError";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    c.put("reduction", "sum_over_batch_size");
    return c;
  }
}
