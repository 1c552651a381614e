package io.jkeras.layers;

import io.jkeras.config.ConfigException;
import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * A layer inside another layer's config, as Keras's {@code serialize_keras_object} writes it (see
 * {@link LayerCatalog#entry}): an RNN's {@code cell}, Bidirectional's {@code layer} and {@code
 * backward_layer}, TimeDistributed's {@code layer}: {@code {"module", "class_name", "config",
 * "registered_name", "build_config"}}.
 */
final class NestedLayerConfig {

  private NestedLayerConfig() {}

  /**
   * The layer whose entry is under {@code key} of the config {@code c} reads, created through
   * {@link LayerCatalog} (so registered users' layers work too); errors name the path below {@code
   * key}. The entry's build_config is not needed: the enclosing layer builds it.
   */
  static Layer deserialize(ConfigReader c, String key) {
    Object v = c.raw(key);
    if (!(v instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String className)) {
      throw c.wrongValue(key, "a layer entry with a \"class_name\" and a \"config\"", v);
    }
    Object registered = m.get("registered_name");
    if (registered != null && !(registered instanceof String)) {
      throw c.wrongValue(key + ".registered_name", "a string or null", registered);
    }
    if (!(m.get("config") instanceof Map<?, ?> inner)) {
      throw c.wrongValue(key + ".config", "an object", m.get("config"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) inner;
    Object name = config.get("name");
    try {
      return LayerCatalog.create(
          className, (String) registered, name instanceof String s ? s : className, config, true);
    } catch (ConfigException e) {
      throw e.under(c.className(), "config." + key);
    } catch (IllegalArgumentException e) {
      throw c.fail(key, e.getMessage());
    }
  }
}
