package io.jkeras.optimizers.schedules;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;

/** Checked reads of schedule configs, for the schedules' {@code fromConfig}. */
final class ScheduleConfig {

  private ScheduleConfig() {}

  static double required(String cls, Map<String, Object> config, String key) {
    if (config.get(key) == null) {
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "a number", null);
    }
    return ConfigReader.of(cls, config).number(key, 0);
  }

  static boolean bool(String cls, Map<String, Object> config, String key, boolean fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "true or false", v);
    }
    return b;
  }

  static void check(String cls, Map<String, Object> config, List<String> keys) {
    ConfigReader reader = ConfigReader.of(cls, config);
    keys.forEach(reader::ignore);
    reader.rejectUnknownKeys();
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
