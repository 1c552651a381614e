package io.jkeras.optimizers.schedules;

import io.jkeras.config.ClassCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Learning-rate schedules by Keras class name, for reading and writing optimizer configs. Every
 * public schedule class of this package with a {@code public static fromConfig(Map)} is found by
 * itself (see {@link ClassCatalog}): a new schedule is its one file. Users' schedules are
 * registered, by class (named by its {@link io.jkeras.config.KerasClass} registered name, else its
 * simple name) or by name and factory.
 *
 * <pre>{@code
 * LearningRateSchedules.register(MySchedule.class);
 * LearningRateSchedule s = LearningRateSchedules.deserialize(
 *     Map.of("class_name", "ExponentialDecay", "config", config));
 * }</pre>
 */
public final class LearningRateSchedules {

  private static final ClassCatalog<LearningRateSchedule> CATALOG =
      new ClassCatalog<>(
          "learning-rate schedule",
          LearningRateSchedule.class,
          "io.jkeras.optimizers.schedules",
          "keras.optimizers.schedules",
          false,
          false);

  private LearningRateSchedules() {}

  /**
   * Registers a user's schedule class, rebuilt by its {@code public static fromConfig(Map)}.
   *
   * <pre>{@code LearningRateSchedules.register(WarmupThenDecay.class);}</pre>
   *
   * @throws IllegalArgumentException when the class declares no such {@code fromConfig}
   */
  public static void register(Class<? extends LearningRateSchedule> type) {
    CATALOG.register(type);
  }

  /**
   * Registers a user schedule under its Keras class or registered name (as written in files, for
   * example {@code "MySchedule"} or {@code "Custom>MySchedule"}).
   *
   * <pre>{@code LearningRateSchedules.register("Custom>Warmup", Warmup::fromConfig);}</pre>
   */
  public static void register(
      String className, Function<Map<String, Object>, LearningRateSchedule> fromConfig) {
    CATALOG.register(className, null, fromConfig);
  }

  /**
   * A schedule from its serialized form {@code {"class_name", "config", "registered_name"}}: found
   * by its registered name when one is registered, else by its class name.
   *
   * <pre>{@code
   * LearningRateSchedule s = LearningRateSchedules.deserialize(
   *     Map.of("class_name", "InverseTimeDecay", "config", Map.of(
   *         "initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5)));
   * }</pre>
   *
   * @throws IllegalArgumentException for an unknown schedule or a bad config
   */
  public static LearningRateSchedule deserialize(Map<String, Object> serialized) {
    Object className = serialized.get("class_name");
    if (!(className instanceof String name)) {
      throw new IllegalArgumentException(
          "a learning-rate schedule needs a \"class_name\" string, got " + serialized);
    }
    Object config = serialized.get("config");
    if (config != null && !(config instanceof Map)) {
      throw new IllegalArgumentException(
          "learning-rate schedule " + name + ": \"config\" must be an object, got " + config);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> c = (Map<String, Object>) config;
    Object registered = serialized.get("registered_name");
    if (registered instanceof String r && CATALOG.factory(r) != null) {
      name = r;
    }
    return CATALOG.fromConfig(name, c);
  }

  /**
   * The serialized form Keras writes for {@code schedule}: {@code {"module", "class_name",
   * "config", "registered_name"}}, the module and registered name as the catalog knows the class.
   *
   * <pre>{@code Map<String, Object> json = LearningRateSchedules.serialize(new ExponentialDecay(
   *     0.1, 100, 0.96, false));}</pre>
   */
  public static Map<String, Object> serialize(LearningRateSchedule schedule) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("module", CATALOG.module(schedule.getClass()));
    out.put("class_name", schedule.className());
    out.put("config", schedule.getConfig());
    out.put("registered_name", CATALOG.registeredName(schedule.getClass()));
    return out;
  }

  /**
   * Every accepted name, sorted.
   *
   * <pre>{@code LearningRateSchedules.names(); // [CosineDecay, ..., PolynomialDecay]}</pre>
   */
  public static List<String> names() {
    return CATALOG.names();
  }
}
