package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Flattens every sample to one axis, as Keras 3's {@code keras.layers.Flatten}; the batch axis is
 * kept.
 *
 * <p>Argument: {@code dataFormat} ({@code "channels_last"} by default). With {@code
 * "channels_first"} an input of rank 3 or more is first moved to channels-last order, so that
 * flattening gives the same order of values as for the equivalent channels-last input.
 *
 * <p>Shapes: input {@code (batch, d1, ..., dn)}, output {@code (batch, d1*...*dn)}, or {@code
 * (batch, None)} when some di is unknown; input {@code (batch,)} gives {@code (batch, 1)}. No
 * weights.
 *
 * <pre>{@code
 * KerasTensor flat = new Flatten().apply(conv);   // (None, 98, 250) -> (None, 24500)
 * }</pre>
 */
public class Flatten extends Layer {

  private final String dataFormat;

  /** A channels-last Flatten with an automatic name. */
  public Flatten() {
    this(null, "channels_last");
  }

  /** A channels-last Flatten named {@code name} (null for an automatic name). */
  public Flatten(String name) {
    this(name, "channels_last");
  }

  /**
   * A Flatten for inputs in {@code dataFormat}.
   *
   * @param name the layer name, or null for an automatic one
   * @param dataFormat {@code "channels_last"} or {@code "channels_first"} (null means channels
   *     last)
   * @throws IllegalArgumentException on any other data format
   */
  public Flatten(String name, String dataFormat) {
    super(name);
    String format = dataFormat == null ? "channels_last" : dataFormat.toLowerCase(Locale.ROOT);
    if (!format.equals("channels_last") && !format.equals("channels_first")) {
      throw new IllegalArgumentException(
          "Flatten: data_format must be \"channels_last\" or \"channels_first\", got \""
              + dataFormat
              + "\"");
    }
    this.dataFormat = format;
    setInputSpec(InputSpec.minRank(1));
  }

  /** {@code "channels_last"} or {@code "channels_first"}: the layout of the layer's inputs. */
  public String dataFormat() {
    return dataFormat;
  }

  /** A Flatten layer from its Keras config: {@code data_format}. */
  public static Flatten fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Flatten", config);
    String name = c.name();
    String format = c.string("data_format", "channels_last");
    c.requireFloat32Dtype();
    return c.finish(new Flatten(name, format));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.isUnknown() || inputShape.numDimensions() < 1) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Flatten): expected an input of rank 1 or more, got "
              + KerasShape.format(inputShape));
    }
    long size = 1;
    for (int i = 1; i < inputShape.numDimensions(); i++) {
      long d = inputShape.size(i);
      if (d < 0) {
        return Shape.of(inputShape.size(0), Shape.UNKNOWN_SIZE);
      }
      size = Math.multiplyExact(size, d);
    }
    return Shape.of(inputShape.size(0), size);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> x = inputs;
    int rank = x.shape().numDimensions();
    if (dataFormat.equals("channels_first") && rank > 2) {
      // (batch, c, d1, ..., dk) -> (batch, d1, ..., dk, c)
      int[] perm = new int[rank];
      for (int i = 1; i < rank - 1; i++) {
        perm[i] = i + 1;
      }
      perm[rank - 1] = 1;
      x = tf.linalg.transpose(x, tf.constant(perm));
    }
    long flat = computeOutputShape(inputs.shape()).size(1);
    Operand<TInt32> target;
    if (flat >= 0) {
      // -1 stands for the batch, the only unknown.
      target = tf.constant(new int[] {-1, Math.toIntExact(flat)});
    } else {
      // Unknown sample sizes: keep the run-time batch size and infer the rest.
      Operand<TInt32> batch =
          tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
      target = tf.concat(List.of(batch, tf.constant(new int[] {-1})), tf.constant(0));
    }
    return tf.reshape(x, target);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("data_format", dataFormat);
    return config;
  }
}
