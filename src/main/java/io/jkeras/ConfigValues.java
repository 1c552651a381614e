package io.jkeras;

import java.util.List;
import java.util.Map;

/**
 * Checked reads of the config maps that initializer, regularizer and constraint classes are rebuilt
 * from: unknown keys are refused, and a value of the wrong type is an error naming the class, the
 * key, what was expected and what was received.
 *
 * <pre>{@code
 * ConfigValues.checkKeys("L2", config, List.of("l2"));
 * double l2 = ConfigValues.number("L2", config, "l2", 0.01);
 * }</pre>
 */
public final class ConfigValues {

  private ConfigValues() {}

  /** Rejects config keys other than {@code allowed}, naming them. */
  public static void checkKeys(String className, Map<String, Object> config, List<String> allowed) {
    for (String key : config.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            "Unknown key \""
                + key
                + "\" in the config of "
                + className
                + ". Expected keys: "
                + String.join(", ", allowed));
      }
    }
  }

  /** The number under {@code key}, or {@code fallback} when it is absent or null. */
  public static double number(
      String className, Map<String, Object> config, String key, double fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number)) {
      throw invalid(className, key, value, "a number");
    }
    return ((Number) value).doubleValue();
  }

  /** The string under {@code key}, or {@code fallback} when it is absent or null. */
  public static String string(
      String className, Map<String, Object> config, String key, String fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String)) {
      throw invalid(className, key, value, "a string");
    }
    return (String) value;
  }

  /** The error for a value of the wrong form: class, key, expectation and the value received. */
  public static IllegalArgumentException invalid(
      String className, String key, Object value, String expected) {
    return new IllegalArgumentException(
        "Invalid value for "
            + key
            + " in the config of "
            + className
            + ": expected "
            + expected
            + ". Received: "
            + key
            + "="
            + value
            + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")"));
  }
}
