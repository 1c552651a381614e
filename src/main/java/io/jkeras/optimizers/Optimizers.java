package io.jkeras.optimizers;

import io.jkeras.config.ClassCatalog;
import java.util.List;
import java.util.Map;

/**
 * Optimizers by Keras name (case-insensitive, as Keras: {@code "adam"}, {@code "Adam"}), with Keras
 * 3 defaults, or rebuilt from a Keras config. Every public optimizer class of this package with a
 * {@code public static fromConfig(Map)} is found by itself (see {@link ClassCatalog}): a new
 * optimizer is its one file.
 *
 * <pre>{@code
 * Optimizer adam = Optimizers.get("adam");
 * Optimizer sgd = Optimizers.fromConfig("SGD", Map.of("learning_rate", 0.1, "momentum", 0.9));
 * }</pre>
 */
public final class Optimizers {

  private static final ClassCatalog<Optimizer> CATALOG =
      new ClassCatalog<>(
          "optimizer", Optimizer.class, "io.jkeras.optimizers", "keras.optimizers", false, true);

  private Optimizers() {}

  /**
   * The optimizer called {@code name}, with Keras's defaults.
   *
   * <pre>{@code Optimizer rms = Optimizers.get("rmsprop");}</pre>
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the valid ones
   */
  public static Optimizer get(String name) {
    return CATALOG.get(name);
  }

  /**
   * The optimizer of Keras class {@code className} rebuilt from its {@code config}.
   *
   * <pre>{@code Optimizer a = Optimizers.fromConfig("Adam", Map.of("learning_rate", 1e-4));}</pre>
   *
   * @throws IllegalArgumentException for an unknown class or a config jkeras cannot honour
   */
  public static Optimizer fromConfig(String className, Map<String, Object> config) {
    return CATALOG.fromConfig(className, config);
  }

  /**
   * Registers a user's optimizer class, rebuilt by its {@code public static fromConfig(Map)}.
   *
   * <pre>{@code Optimizers.register(MyOptimizer.class);}</pre>
   */
  public static void register(Class<? extends Optimizer> type) {
    CATALOG.register(type);
  }

  /**
   * Every accepted name, sorted.
   *
   * <pre>{@code Optimizers.names(); // [adagrad, adam, rmsprop, sgd]}</pre>
   */
  public static List<String> names() {
    return CATALOG.names();
  }
}
