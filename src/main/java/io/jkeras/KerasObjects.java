package io.jkeras;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's nested-object config form: {@code {"module", "class_name", "config", "registered_name"}}.
 *
 * <pre>{@code
 * Map<String, Object> nested = KerasObjects.serialize("keras.initializers", new GlorotUniform());
 * // {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {...}, ...}
 * }</pre>
 */
public final class KerasObjects {

  private KerasObjects() {}

  /** The config form of {@code object} from Keras module {@code module}, or null for null. */
  public static Map<String, Object> serialize(String module, KerasSerializable object) {
    if (object == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("module", module);
    out.put("class_name", object.className());
    out.put("config", object.getConfig());
    out.put("registered_name", null);
    return out;
  }
}
