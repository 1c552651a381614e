package io.jkeras;

import java.util.Map;

/**
 * An object that Keras serializes as {@code {"module", "class_name", "config", "registered_name"}}:
 * initializers, regularizers, constraints and layers.
 *
 * <p>The config map holds the same keys and value forms as Keras 3 for the same class, so it can be
 * written to and read from a {@code .keras} file's {@code config.json}. Values are JSON-like Java
 * values: {@code null}, {@link Boolean}, {@link Number}, {@link String}, {@link java.util.List} and
 * {@link Map} (nested Keras objects are maps in the same four-key form).
 *
 * <pre>{@code
 * KerasSerializable c = new MaxNorm(2.0);
 * String cls = c.className();               // "MaxNorm"
 * Map<String, Object> config = c.getConfig(); // {"max_value": 2.0, "axis": 0}
 * }</pre>
 */
public interface KerasSerializable {

  /** The Keras class name, for example {@code "GlorotUniform"} or {@code "Dense"}. */
  String className();

  /** The Keras config: the constructor arguments by their Keras names. */
  Map<String, Object> getConfig();
}
