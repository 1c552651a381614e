package io.jkeras.losses;

import io.jkeras.config.ClassCatalog;
import java.util.List;
import java.util.Map;

/**
 * Losses by Keras name: a class name ({@code BinaryCrossentropy}), its snake_case function name
 * ({@code binary_crossentropy}) or an alias ({@code mse}, {@code mae}), or rebuilt from a Keras
 * config. Every public loss class of this package with a {@code public static fromConfig(Map)} is
 * found by itself (see {@link ClassCatalog}): a new loss is its one file.
 *
 * <pre>{@code
 * Loss bce = Losses.get("binary_crossentropy");
 * Loss logits = Losses.fromConfig("BinaryCrossentropy", Map.of("from_logits", true));
 * }</pre>
 */
public final class Losses {

  private static final ClassCatalog<Loss> CATALOG =
      new ClassCatalog<>("loss", Loss.class, "io.jkeras.losses", "keras.losses", true, false);

  private Losses() {}

  /**
   * The loss called {@code name}, with Keras's defaults.
   *
   * <pre>{@code Loss mse = Losses.get("mse");}</pre>
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the valid ones
   */
  public static Loss get(String name) {
    return CATALOG.get(name);
  }

  /**
   * The loss of Keras class {@code className} rebuilt from its {@code config}.
   *
   * <pre>{@code Loss l = Losses.fromConfig("MeanSquaredError", Map.of());}</pre>
   *
   * @throws IllegalArgumentException for an unknown class or a config jkeras cannot honour
   */
  public static Loss fromConfig(String className, Map<String, Object> config) {
    return CATALOG.fromConfig(className, config);
  }

  /**
   * Registers a user's loss class, rebuilt by its {@code public static fromConfig(Map)}.
   *
   * <pre>{@code Losses.register(MyLoss.class);}</pre>
   */
  public static void register(Class<? extends Loss> type) {
    CATALOG.register(type);
  }

  /**
   * Every accepted name, sorted.
   *
   * <pre>{@code Losses.names(); // [BinaryCrossentropy, ..., binary_crossentropy, mae, ...]}</pre>
   */
  public static List<String> names() {
    return CATALOG.names();
  }
}
