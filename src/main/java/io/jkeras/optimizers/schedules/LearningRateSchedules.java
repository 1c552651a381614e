package io.jkeras.optimizers.schedules;

import io.jkeras.KerasObjectCatalog;
import java.util.Map;
import java.util.function.Function;

/**
 * Learning-rate schedules by Keras class name, for reading optimizer configs: the built-in ones and
 * those registered by users.
 *
 * <pre>{@code
 * LearningRateSchedules.register("MySchedule", MySchedule::fromConfig);
 * LearningRateSchedule s = LearningRateSchedules.deserialize(
 *     Map.of("class_name", "ExponentialDecay", "config", config));
 * }</pre>
 */
public final class LearningRateSchedules {

  private static final KerasObjectCatalog<LearningRateSchedule> CATALOG =
      new KerasObjectCatalog<LearningRateSchedule>("learning-rate schedule")
          .add(null, ExponentialDecay::fromConfig, "ExponentialDecay")
          .add(null, InverseTimeDecay::fromConfig, "InverseTimeDecay")
          .add(null, PiecewiseConstantDecay::fromConfig, "PiecewiseConstantDecay")
          .add(null, PolynomialDecay::fromConfig, "PolynomialDecay")
          .add(null, CosineDecay::fromConfig, "CosineDecay")
          .add(null, CosineDecayRestarts::fromConfig, "CosineDecayRestarts");

  private LearningRateSchedules() {}

  /**
   * Registers a user schedule under its Keras class name (as written in files, for example {@code
   * "MySchedule"} or {@code "Custom>MySchedule"}).
   */
  public static synchronized void register(
      String className, Function<Map<String, Object>, LearningRateSchedule> fromConfig) {
    CATALOG.add(null, fromConfig, className);
  }

  /** A schedule from its serialized form {@code {"class_name", "config"}}. */
  public static synchronized LearningRateSchedule deserialize(Map<String, Object> serialized) {
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
    return CATALOG.fromConfig(name, c);
  }
}
