package io.jkeras.layers;

import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the Keras config of one layer (the {@code "config"} object of a layer entry in a {@code
 * .keras} file's {@code config.json}, or of a legacy {@code .h5} file's {@code model_config}), for
 * the {@code fromConfig} factories of layers.
 *
 * <p>Every read checks the JSON type and says which layer class and which key is wrong. Keys are
 * remembered as they are read; {@link #finish} then refuses any key nobody read, so a config
 * written for a feature jkeras lacks fails loudly instead of being dropped. Keys that only carry a
 * default (Keras 3's {@code quantization_config: null}) are declared with {@link #requireDefault}.
 *
 * <p>Values are the JSON-like Java values Jackson produces: {@code null}, {@link Boolean}, {@link
 * Number}, {@link String}, {@link List} and {@link Map}.
 *
 * <pre>{@code
 * public static Scale fromConfig(Map<String, Object> config) {
 *   LayerConfig c = LayerConfig.of("Scale", config);
 *   Scale layer = new Scale(c.positiveInt("units"), c.name());
 *   return c.finish(layer); // trainable, activity_regularizer; unknown keys are an error
 * }
 * }</pre>
 *
 * <p>Errors are {@link IllegalArgumentException}s, for example {@code Dense config: key "units"
 * must be a positive integer, got "8" (a string)}.
 */
public final class LayerConfig {

  /** Keys of the first layer of a Keras 2 Sequential model, read by the model reader. */
  private static final List<String> INPUT_SHAPE_KEYS =
      List.of("batch_input_shape", "input_shape", "batch_size");

  private final String className;
  private final Map<String, Object> map;
  private final Set<String> read = new HashSet<>();

  private LayerConfig(String className, Map<String, Object> map) {
    this.className = className;
    this.map = map;
  }

  /** A reader over {@code config} for a layer of class {@code className} (used in messages). */
  public static LayerConfig of(String className, Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException(className + " config: expected an object, got null");
    }
    return new LayerConfig(className, config);
  }

  /** The class name this config is read for. */
  public String className() {
    return className;
  }

  /** True when the key is present (with any value, null included). */
  public boolean has(String key) {
    return map.containsKey(key);
  }

  /** The raw value of {@code key} (null when absent), marking it read. */
  public Object raw(String key) {
    read.add(key);
    return map.get(key);
  }

  // ---- the base keys of every layer
  // --------------------------------------------------------------

  /** The layer name, or null for an automatic one. */
  public String name() {
    Object v = raw("name");
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw bad("name", "a string", v);
    }
    return s;
  }

  /** {@code trainable}, true by default. */
  public boolean trainable() {
    return bool("trainable", true);
  }

  /**
   * Checks {@code dtype}: jkeras layers compute in float32, so only a {@code float32} policy (a
   * DTypePolicy object as Keras 3 writes it, or the string Keras 2 wrote) is accepted.
   */
  public void requireFloat32Dtype() {
    Object v = raw("dtype");
    if (v == null) {
      return;
    }
    String name;
    if (v instanceof String s) {
      name = s;
    } else if (v instanceof Map<?, ?> m) {
      Object cls = m.get("class_name");
      if (!"DTypePolicy".equals(cls) && !"Policy".equals(cls)) {
        throw new IllegalArgumentException(
            className
                + " config: key \"dtype\": dtype policy "
                + show(cls)
                + " is not supported; jkeras layers compute in float32");
      }
      Object inner = m.get("config");
      Object n = inner instanceof Map<?, ?> im ? im.get("name") : null;
      if (!(n instanceof String s)) {
        throw bad("dtype", "a DTypePolicy with a \"config\" holding a \"name\" string", v);
      }
      name = s;
    } else {
      throw bad("dtype", "a dtype policy object or a dtype name", v);
    }
    if (!name.equals("float32")) {
      throw new IllegalArgumentException(
          className
              + " config: key \"dtype\": \""
              + name
              + "\" is not supported; jkeras layers"
              + " compute in float32 (mixed precision and other dtypes are not implemented)");
    }
  }

  /** {@code activity_regularizer}: null, a name, or a serialized regularizer. */
  public Regularizer activityRegularizer() {
    return regularizer("activity_regularizer");
  }

  // ---- typed values
  // ------------------------------------------------------------------------------

  /** A required integer greater than zero. */
  public int positiveInt(String key) {
    if (!map.containsKey(key)) {
      throw new IllegalArgumentException(
          className + " config: key \"" + key + "\" is missing (a positive integer)");
    }
    Object v = raw(key);
    Long n = integral(v);
    if (n == null || n <= 0 || n > Integer.MAX_VALUE) {
      throw bad(key, "a positive integer", v);
    }
    return n.intValue();
  }

  /** An integer, {@code defaultValue} when absent. */
  public int integer(String key, int defaultValue) {
    if (!map.containsKey(key)) {
      read.add(key);
      return defaultValue;
    }
    Object v = raw(key);
    Long n = integral(v);
    if (n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw bad(key, "an integer", v);
    }
    return n.intValue();
  }

  /**
   * An integer given as itself or as a one-element list ({@code "kernel_size": [3]}, as Keras
   * writes the tuples of 1D convolutions); {@code defaultValue} when absent.
   */
  public int intOrSingleton(String key, int defaultValue) {
    if (!map.containsKey(key)) {
      read.add(key);
      return defaultValue;
    }
    Object v = raw(key);
    Object single = v instanceof List<?> l && l.size() == 1 ? l.get(0) : v;
    Long n = integral(single);
    if (n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw bad(key, "an integer or a list of one integer", v);
    }
    return n.intValue();
  }

  /** A finite number, {@code defaultValue} when absent. */
  public double number(String key, double defaultValue) {
    if (!map.containsKey(key)) {
      read.add(key);
      return defaultValue;
    }
    Object v = raw(key);
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw bad(key, "a finite number", v);
    }
    return n.doubleValue();
  }

  /** A boolean, {@code defaultValue} when absent. */
  public boolean bool(String key, boolean defaultValue) {
    if (!map.containsKey(key)) {
      read.add(key);
      return defaultValue;
    }
    Object v = raw(key);
    if (!(v instanceof Boolean b)) {
      throw bad(key, "true or false", v);
    }
    return b;
  }

  /** A string, {@code defaultValue} when absent or null. */
  public String string(String key, String defaultValue) {
    Object v = raw(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof String s)) {
      throw bad(key, "a string", v);
    }
    return s;
  }

  /** An integer or null (a seed), null when absent. */
  public Long optionalLong(String key) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    Long n = integral(v);
    if (n == null) {
      throw bad(key, "an integer or null", v);
    }
    return n;
  }

  /** A list of integers with null entries (a shape or noise shape), or null. */
  public List<Long> optionalDims(String key) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> list)) {
      throw bad(key, "a list of integers and nulls, or null", v);
    }
    List<Long> out = new ArrayList<>();
    for (Object e : list) {
      if (e == null) {
        out.add(null);
        continue;
      }
      Long n = integral(e);
      if (n == null) {
        throw bad(key, "a list of integers and nulls, or null", v);
      }
      out.add(n);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * An activation: null (linear), a Keras name ({@code "relu"}), or the object form Keras uses for
   * functions ({@code {"class_name": "function", "config": "relu", ...}}).
   */
  public Activation activation(String key) {
    Object v = raw(key);
    try {
      if (v == null || v instanceof String) {
        return Activations.get((String) v);
      }
      if (v instanceof Map<?, ?> m && m.get("config") instanceof String fn) {
        return Activations.get(fn);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          className + " config: key \"" + key + "\": " + e.getMessage(), e);
    }
    throw bad(key, "an activation name", v);
  }

  /** An initializer: a name, or {@code {"class_name", "config"}}; {@code defaultName} if absent. */
  public Initializer initializer(String key, String defaultName) {
    Object v = raw(key);
    try {
      if (v == null) {
        return Initializers.get(defaultName);
      }
      if (v instanceof String s) {
        return Initializers.get(s);
      }
      return Initializers.fromConfig(nestedClass(key, v), nestedConfig(key, v));
    } catch (IllegalArgumentException e) {
      throw nested(key, e);
    }
  }

  /** A regularizer: null, a name, or {@code {"class_name", "config"}}. */
  public Regularizer regularizer(String key) {
    Object v = raw(key);
    try {
      if (v == null || v instanceof String) {
        return Regularizers.get((String) v);
      }
      return Regularizers.fromConfig(nestedClass(key, v), nestedConfig(key, v));
    } catch (IllegalArgumentException e) {
      throw nested(key, e);
    }
  }

  /** A constraint: null, a name, or {@code {"class_name", "config"}}. */
  public Constraint constraint(String key) {
    Object v = raw(key);
    try {
      if (v == null || v instanceof String) {
        return Constraints.get((String) v);
      }
      return Constraints.fromConfig(nestedClass(key, v), nestedConfig(key, v));
    } catch (IllegalArgumentException e) {
      throw nested(key, e);
    }
  }

  /**
   * Accepts {@code key} only when it is absent or holds {@code defaultValue}: a Keras feature that
   * jkeras does not implement ({@code what}, for the message) and that is off by default.
   */
  public void requireDefault(String key, Object defaultValue, String what) {
    if (!map.containsKey(key)) {
      read.add(key);
      return;
    }
    Object v = raw(key);
    boolean same =
        Objects.equals(v, defaultValue)
            || (v instanceof Number a
                && defaultValue instanceof Number b
                && a.doubleValue() == b.doubleValue());
    if (!same) {
      throw new IllegalArgumentException(
          className
              + " config: key \""
              + key
              + "\" = "
              + show(v)
              + ": "
              + what
              + " is not supported by jkeras (only "
              + defaultValue
              + " is)");
    }
  }

  /** Accepts {@code key} with any value: a legacy key without effect (Keras 2's input_length). */
  public void ignore(String key) {
    read.add(key);
  }

  // ---- finishing
  // ---------------------------------------------------------------------------------

  /**
   * Reads the base keys not read yet ({@code trainable}, {@code dtype}, {@code
   * activity_regularizer}), refuses unknown keys, and applies trainable and the activity
   * regularizer to {@code layer}. The input-shape keys of a Keras 2 Sequential's first layer are
   * accepted: the model reader uses them.
   */
  public <L extends Layer> L finish(L layer) {
    boolean trainable = trainable();
    if (!read.contains("dtype")) {
      requireFloat32Dtype();
    }
    Regularizer activity =
        read.contains("activity_regularizer") ? layer.activityRegularizer() : activityRegularizer();
    read.addAll(INPUT_SHAPE_KEYS);
    if (!read.contains("input_dim")) {
      read.add("input_dim");
    }
    rejectUnknownKeys();
    layer.setTrainable(trainable);
    if (activity != null) {
      layer.setActivityRegularizer(activity);
    }
    return layer;
  }

  /** Throws if the config holds a key that nothing read. */
  public void rejectUnknownKeys() {
    Set<String> extra = new TreeSet<>(map.keySet());
    extra.removeAll(read);
    if (!extra.isEmpty()) {
      throw new IllegalArgumentException(
          className
              + " config: unknown key(s) "
              + extra
              + "; jkeras's "
              + className
              + " reads "
              + new TreeSet<>(read));
    }
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  private String nestedClass(String key, Object v) {
    if (!(v instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String cls)) {
      throw bad(key, "null, a name or an object with a \"class_name\"", v);
    }
    return cls;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> nestedConfig(String key, Object v) {
    Object c = ((Map<?, ?>) v).get("config");
    if (c == null) {
      return Map.of();
    }
    if (!(c instanceof Map<?, ?>)) {
      throw bad(key, "an object whose \"config\" is an object", v);
    }
    return (Map<String, Object>) c;
  }

  private IllegalArgumentException nested(String key, IllegalArgumentException e) {
    if (e.getMessage() != null && e.getMessage().startsWith(className + " config:")) {
      return e;
    }
    return new IllegalArgumentException(
        className + " config: key \"" + key + "\": " + e.getMessage(), e);
  }

  private IllegalArgumentException bad(String key, String expected, Object actual) {
    return new IllegalArgumentException(
        className + " config: key \"" + key + "\" must be " + expected + ", got " + show(actual));
  }

  /** The value as a long when it is an integral JSON number that fits, else null. */
  private static Long integral(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    return null;
  }

  /** A value as it appeared in JSON, with its JSON type for anything but null. */
  static String show(Object v) {
    if (v == null) {
      return "null";
    }
    String type;
    if (v instanceof String) {
      type = "a string";
    } else if (v instanceof Boolean) {
      type = "a boolean";
    } else if (v instanceof Number) {
      type = "a number";
    } else if (v instanceof List) {
      type = "a list";
    } else if (v instanceof Map) {
      type = "an object";
    } else {
      type = v.getClass().getSimpleName();
    }
    String text = v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    if (text.length() > 120) {
      text = text.substring(0, 117) + "...";
    }
    return text + " (" + type + ")";
  }
}
