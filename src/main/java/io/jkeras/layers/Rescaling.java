package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Multiplies the input by {@code scale} and adds {@code offset}, as Keras 3's {@code
 * keras.layers.Rescaling}: {@code y = x * scale + offset}, for example pixel values in [0, 255] to
 * [0, 1] with {@code scale = 1/255}.
 *
 * <p>Arguments: {@code scale} and {@code offset} (0): each a number, or one number per channel
 * (last axis) as a list. Inputs of any number type are cast to float32 first.
 *
 * <p>Shapes: output shape = input shape. No weights.
 *
 * <pre>{@code
 * KerasTensor x = new Rescaling(1 / 255.0).apply(pixels);
 * Rescaling centered = new Rescaling(1 / 127.5, -1, null);   // [0, 255] -> [-1, 1]
 * }</pre>
 */
public class Rescaling extends Layer {

  private final double[] scale;
  private final double[] offset;
  private final boolean scalarScale;
  private final boolean scalarOffset;

  /** Multiplies inputs by {@code scale}, with no offset and an automatic name. */
  public Rescaling(double scale) {
    this(scale, 0.0, null);
  }

  /**
   * Computes {@code x * scale + offset}.
   *
   * @param name the layer name, or null for an automatic one
   */
  public Rescaling(double scale, double offset, String name) {
    this(new double[] {scale}, true, new double[] {offset}, true, name);
  }

  /** Per-channel scale and offset: one value per channel of the last axis (or one for all). */
  public Rescaling(double[] scale, double[] offset, String name) {
    this(scale, false, offset, false, name);
  }

  private Rescaling(
      double[] scale, boolean scalarScale, double[] offset, boolean scalarOffset, String name) {
    super(name);
    this.scale = check("scale", scale);
    this.offset = check("offset", offset);
    this.scalarScale = scalarScale;
    this.scalarOffset = scalarOffset;
  }

  private static double[] check(String key, double[] values) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException(
          "Rescaling: " + key + " must be a number or a non-empty list of numbers");
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(
            "Rescaling: " + key + " must be finite, got " + java.util.Arrays.toString(values));
      }
    }
    return values.clone();
  }

  /** A Rescaling layer from its Keras config: {@code scale}, {@code offset}. */
  public static Rescaling fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Rescaling", config);
    String name = c.name();
    Object s = unwrapNumpy(c.raw("scale"));
    Object o = c.has("offset") ? unwrapNumpy(c.raw("offset")) : 0.0;
    c.requireFloat32Dtype();
    Rescaling layer =
        new Rescaling(
            numbers(c, "scale", s),
            !(s instanceof List),
            numbers(c, "offset", o),
            !(o instanceof List),
            name);
    return c.finish(layer);
  }

  /**
   * The value of a NumPy array as Keras writes it ({@code {"class_name": "__numpy__", "config":
   * {"value": ..., "dtype": ...}}}, for a scale given as an array); anything else as it is.
   */
  private static Object unwrapNumpy(Object v) {
    if (v instanceof Map<?, ?> m
        && "__numpy__".equals(m.get("class_name"))
        && m.get("config") instanceof Map<?, ?> inner
        && inner.containsKey("value")) {
      return inner.get("value");
    }
    return v;
  }

  private static double[] numbers(ConfigReader c, String key, Object v) {
    if (v instanceof Number n) {
      return new double[] {n.doubleValue()};
    }
    if (v instanceof List<?> list && !list.isEmpty()) {
      double[] out = new double[list.size()];
      for (int i = 0; i < out.length; i++) {
        if (!(list.get(i) instanceof Number n)) {
          out = null;
          break;
        }
        out[i] = n.doubleValue();
      }
      if (out != null) {
        return out;
      }
    }
    throw c.wrongValue(key, "a number or a list of numbers", v);
  }

  /** Keras's Rescaling keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long channels = inputShape.isUnknown() ? -1 : inputShape.size(-1);
    for (double[] values : List.of(scale, offset)) {
      if (values.length > 1 && channels >= 0 && channels != values.length) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Rescaling): "
                + values.length
                + " per-channel values need "
                + values.length
                + " channels on the last axis, got input "
                + KerasShape.format(inputShape));
      }
    }
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    computeOutputShape(inputs.shape());
    return tf.math.add(tf.math.mul(inputs, constant(tf, scale)), constant(tf, offset));
  }

  private static Operand<TFloat32> constant(Ops tf, double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return values.length == 1 ? tf.constant(f[0]) : tf.constant(f);
  }

  /** Keras writes a build_config for its preprocessing layers, which build at init. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("scale", value(scale, scalarScale));
    config.put("offset", value(offset, scalarOffset));
    return config;
  }

  private static Object value(double[] values, boolean scalar) {
    if (scalar) {
      return values[0];
    }
    List<Double> out = new ArrayList<>();
    for (double v : values) {
      out.add(v);
    }
    return out;
  }
}
