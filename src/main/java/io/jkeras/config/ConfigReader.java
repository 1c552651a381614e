package io.jkeras.config;

import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.Layer;
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
import java.util.function.Function;

/**
 * Reads the Keras config of one object (a layer, initializer, regularizer, constraint, optimizer,
 * loss or metric): the {@code "config"} map of its entry in a {@code .keras} file's {@code
 * config.json} or a legacy {@code .h5} file's {@code model_config}. The {@code fromConfig}
 * factories of every jkeras class read through it.
 *
 * <p>Every read checks the JSON type. Keys are remembered as they are read; {@link #finish} (for a
 * layer) or {@link #rejectUnknownKeys} then refuses any key nobody read, so a config written for a
 * feature jkeras lacks fails loudly instead of being dropped. Keys that only carry a default (Keras
 * 3's {@code quantization_config: null}) are declared with {@link #requireDefault}.
 *
 * <p>Every error is a {@link ConfigException} naming the object and the JSON path of the value:
 * {@code Dense: config.units: expected a positive integer, got "8" (a string)}. Model readers put
 * the object's place in the file in front ({@link ConfigException#at}).
 *
 * <p>Values are the JSON-like Java values Jackson produces: {@code null}, {@link Boolean}, {@link
 * Number}, {@link String}, {@link List} and {@link Map}.
 *
 * <pre>{@code
 * public static Scale fromConfig(Map<String, Object> config) {
 *   ConfigReader c = ConfigReader.of("Scale", config);
 *   Scale layer = new Scale(c.positiveInt("units"), c.name());
 *   return c.finish(layer); // trainable, dtype, activity_regularizer; unknown keys are an error
 * }
 * }</pre>
 */
public final class ConfigReader {

  /** Keys of the first layer of a Keras 2 Sequential model, read by the model reader. */
  private static final List<String> INPUT_SHAPE_KEYS =
      List.of("batch_input_shape", "input_shape", "batch_size", "input_dim");

  private final String className;
  private final Map<String, Object> map;
  private final Set<String> read = new HashSet<>();

  private ConfigReader(String className, Map<String, Object> map) {
    this.className = className;
    this.map = map;
  }

  /**
   * A reader over {@code config} for an object of Keras class {@code className} (the owner named in
   * errors).
   *
   * <pre>{@code ConfigReader c = ConfigReader.of("Dense", Map.of("units", 8));}</pre>
   *
   * @throws ConfigException when {@code config} is null
   */
  public static ConfigReader of(String className, Map<String, Object> config) {
    if (config == null) {
      throw new ConfigException(className, "config", "expected an object, got null");
    }
    return new ConfigReader(className, config);
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

  // ---- the base keys of every layer ----------------------------------------------------------

  /** The layer name, or null for an automatic one. */
  public String name() {
    Object v = raw("name");
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw wrongValue("name", "a string", v);
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
        throw fail(
            "dtype",
            "dtype policy " + show(cls) + " is not supported; jkeras layers compute in float32");
      }
      Object inner = m.get("config");
      Object n = inner instanceof Map<?, ?> im ? im.get("name") : null;
      if (!(n instanceof String s)) {
        throw wrongValue("dtype", "a DTypePolicy with a \"config\" holding a \"name\" string", v);
      }
      name = s;
    } else {
      throw wrongValue("dtype", "a dtype policy object or a dtype name", v);
    }
    if (!name.equals("float32")) {
      throw fail(
          "dtype",
          "\""
              + name
              + "\" is not supported; jkeras layers compute in float32 (mixed precision and"
              + " other dtypes are not implemented)");
    }
  }

  /** {@code activity_regularizer}: null, a name, or a serialized regularizer. */
  public Regularizer activityRegularizer() {
    return regularizer("activity_regularizer");
  }

  // ---- typed values --------------------------------------------------------------------------

  /** A required integer greater than zero. */
  public int positiveInt(String key) {
    if (!map.containsKey(key)) {
      throw fail(key, "missing (expected a positive integer)");
    }
    Object v = raw(key);
    Long n = integral(v);
    if (n == null || n <= 0 || n > Integer.MAX_VALUE) {
      throw wrongValue(key, "a positive integer", v);
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
      throw wrongValue(key, "an integer", v);
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
      throw wrongValue(key, "an integer or a list of one integer", v);
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
      throw wrongValue(key, "a finite number", v);
    }
    return n.doubleValue();
  }

  /** A finite number, {@code defaultValue} when absent or null (regularizer factors). */
  public double numberOrDefault(String key, double defaultValue) {
    if (map.get(key) == null) {
      read.add(key);
      return defaultValue;
    }
    return number(key, defaultValue);
  }

  /** A boolean, {@code defaultValue} when absent. */
  public boolean bool(String key, boolean defaultValue) {
    if (!map.containsKey(key)) {
      read.add(key);
      return defaultValue;
    }
    Object v = raw(key);
    if (!(v instanceof Boolean b)) {
      throw wrongValue(key, "true or false", v);
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
      throw wrongValue(key, "a string", v);
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
      throw wrongValue(key, "an integer or null", v);
    }
    return n;
  }

  /** A list of integers (axes), or null when absent or null. */
  public List<Integer> optionalInts(String key) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> list)) {
      throw wrongValue(key, "a list of integers or null", v);
    }
    List<Integer> out = new ArrayList<>();
    for (Object e : list) {
      Long n = integral(e);
      if (n == null || n != n.intValue()) {
        throw wrongValue(key, "a list of integers or null", v);
      }
      out.add(n.intValue());
    }
    return Collections.unmodifiableList(out);
  }

  /** A list of integers with null entries (a shape or noise shape), or null. */
  public List<Long> optionalDims(String key) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> list)) {
      throw wrongValue(key, "a list of integers and nulls, or null", v);
    }
    List<Long> out = new ArrayList<>();
    for (Object e : list) {
      if (e == null) {
        out.add(null);
        continue;
      }
      Long n = integral(e);
      if (n == null) {
        throw wrongValue(key, "a list of integers and nulls, or null", v);
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
      throw nested(key, e);
    }
    throw wrongValue(key, "an activation name", v);
  }

  /** An initializer: a name, or {@code {"class_name", "config"}}; {@code defaultName} if absent. */
  public Initializer initializer(String key, String defaultName) {
    Object v = raw(key);
    if (v == null) {
      return Initializers.get(defaultName);
    }
    return object(key, Initializers::get, Initializers::fromConfig);
  }

  /** A regularizer: null, a name, or {@code {"class_name", "config"}}. */
  public Regularizer regularizer(String key) {
    return raw(key) == null ? null : object(key, Regularizers::get, Regularizers::fromConfig);
  }

  /** A constraint: null, a name, or {@code {"class_name", "config"}}. */
  public Constraint constraint(String key) {
    return raw(key) == null ? null : object(key, Constraints::get, Constraints::fromConfig);
  }

  /**
   * A nested Keras object under {@code key}: a name given to {@code byName}, or {@code
   * {"class_name", "config"}} given to {@code fromConfig}. Errors inside it keep their path below
   * {@code key}: {@code Dense: config.kernel_initializer.config.seed: ...}.
   *
   * <pre>{@code
   * Optimizer inner = c.object("inner_optimizer", Optimizers::get, Optimizers::fromConfig);
   * }</pre>
   */
  public <T> T object(
      String key,
      Function<String, T> byName,
      java.util.function.BiFunction<String, Map<String, Object>, T> fromConfig) {
    Object v = raw(key);
    try {
      if (v instanceof String s) {
        return byName.apply(s);
      }
      if (!(v instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String cls)) {
        throw wrongValue(key, "a name or an object with a \"class_name\"", v);
      }
      Object inner = m.get("config");
      if (inner != null && !(inner instanceof Map<?, ?>)) {
        throw wrongValue(key, "an object whose \"config\" is an object", v);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> innerMap = inner == null ? Map.of() : (Map<String, Object>) inner;
      return fromConfig.apply(cls, innerMap);
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
      throw fail(
          key,
          "got "
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

  // ---- finishing -----------------------------------------------------------------------------

  /**
   * Reads the base keys of a layer not read yet ({@code trainable}, {@code dtype}, {@code
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
      String reads = read.isEmpty() ? "takes none" : "reads " + new TreeSet<>(read);
      throw new ConfigException(
          className, "config", "unknown key(s) " + extra + "; jkeras's " + className + " " + reads);
    }
  }

  // ---- errors --------------------------------------------------------------------------------

  /**
   * The error for a value of the wrong form: {@code <class>: config.<key>: expected <expected>, got
   * <value> (<its JSON type>)}.
   *
   * <pre>{@code throw c.wrongValue("mode", "\"rows\" or \"columns\"", c.raw("mode"));}</pre>
   */
  public ConfigException wrongValue(String key, String expected, Object actual) {
    return fail(key, "expected " + expected + ", got " + show(actual));
  }

  /**
   * Any other error about the value of {@code key}: {@code <class>: config.<key>: <detail>}.
   *
   * <pre>{@code throw c.fail("learning_rate", "learning-rate schedules are not supported");}</pre>
   */
  public ConfigException fail(String key, String detail) {
    return new ConfigException(className, "config." + key, detail);
  }

  /** An error from a nested object's reader or factory, placed under {@code key}. */
  private ConfigException nested(String key, IllegalArgumentException e) {
    if (e instanceof ConfigException ce) {
      if (ce.owner().equals(className) && ce.path().startsWith("config." + key)) {
        return ce;
      }
      return ce.under(className, "config." + key);
    }
    return new ConfigException(className, "config." + key, e.getMessage(), e);
  }

  /** The value as a long when it is an integral JSON number that fits, else null. */
  public static Long integral(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    return null;
  }

  /**
   * A value as it appeared in JSON, with its JSON type for anything but null: {@code "8" (a
   * string)}.
   */
  public static String show(Object v) {
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
