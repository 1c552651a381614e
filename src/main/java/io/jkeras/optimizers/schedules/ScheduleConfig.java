package io.jkeras.optimizers.schedules;

import io.jkeras.ConfigValues;
import java.util.List;
import java.util.Map;

/** Checked reads of schedule configs, for the schedules' {@code fromConfig}. */
final class ScheduleConfig {

  private ScheduleConfig() {}

  static double required(String cls, Map<String, Object> config, String key) {
    if (config.get(key) == null) {
      throw ConfigValues.invalid(cls, key, null, "a number");
    }
    return ConfigValues.number(cls, config, key, 0);
  }

  static boolean bool(String cls, Map<String, Object> config, String key, boolean fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw ConfigValues.invalid(cls, key, v, "true or false");
    }
    return b;
  }

  static void check(String cls, Map<String, Object> config, List<String> keys) {
    ConfigValues.checkKeys(cls, config, keys);
  }

  /** A whole number as Keras writes it (an int), else the double. */
  static Number number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
  }

  static void positive(String cls, String key, double v) {
    if (!(v > 0)) {
      throw new IllegalArgumentException(cls + ": " + key + " must be > 0, got " + v);
    }
  }
}
