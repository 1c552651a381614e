package io.jkeras.optimizers;

import java.util.List;
import java.util.Locale;

/**
 * Optimizers by Keras name, with Keras 3 defaults.
 *
 * <pre>{@code
 * Optimizer adam = Optimizers.get("adam");
 * }</pre>
 */
public final class Optimizers {

  private static final List<String> NAMES = List.of("adagrad", "adam", "rmsprop", "sgd");

  private Optimizers() {}

  public static Optimizer get(String name) {
    switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "adam":
        return new Adam();
      case "sgd":
        return new SGD();
      case "rmsprop":
        return new RMSprop();
      case "adagrad":
        return new Adagrad();
      default:
        throw new IllegalArgumentException(
            "Unknown optimizer \"" + name + "\"; valid names: " + NAMES);
    }
  }
}
