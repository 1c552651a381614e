package io.jkeras.regularizers;

import io.jkeras.config.ClassCatalog;
import java.util.List;
import java.util.Map;

/**
 * Looks up Keras 3's built-in regularizers by name and rebuilds them from Keras configs.
 *
 * <pre>{@code
 * Regularizer a = Regularizers.get("l2");                  // L2(l2=0.01)
 * Regularizer b = Regularizers.fromConfig("L1L2", Map.of("l1", 0.0, "l2", 1e-4));
 * Regularizer c = Regularizers.l1(1e-5);
 * }</pre>
 *
 * <p>Names accepted by {@link #get} and {@link #fromConfig}, as in Keras: the class names {@code
 * L1}, {@code L2}, {@code L1L2}, {@code OrthogonalRegularizer} and their snake-case forms {@code
 * l1}, {@code l2}, {@code l1l2}, {@code orthogonal_regularizer}, plus {@code l1_l2} (Keras 3's
 * {@code keras.regularizers.l1_l2} alias of {@code L1L2}). Lookup by name uses each class's
 * defaults: {@code L1L2} and {@code l1_l2} give zero factors, as in Keras 3.
 */
public final class Regularizers {

  /**
   * Every public Regularizer class of this package with a {@code fromConfig(Map)}, found by itself.
   */
  private static final ClassCatalog<Regularizer> CATALOG =
      new ClassCatalog<>(
          "regularizer",
          Regularizer.class,
          "io.jkeras.regularizers",
          "keras.regularizers",
          true,
          false);

  private Regularizers() {}

  /**
   * The regularizer named {@code identifier}, with its Keras defaults; {@code null} gives {@code
   * null} (no regularizer), as Keras's {@code regularizers.get(None)}.
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the valid names
   */
  public static Regularizer get(String identifier) {
    if (identifier == null) {
      return null;
    }
    return CATALOG.get(identifier);
  }

  /**
   * Rebuilds a regularizer from its Keras {@code class_name} and {@code config}; keys missing from
   * the config take the class's defaults. A null config is an empty one.
   *
   * @throws IllegalArgumentException for an unknown class name, an unknown key or an invalid value
   */
  public static Regularizer fromConfig(String className, Map<String, Object> config) {
    return CATALOG.fromConfig(className, config);
  }

  /** All names {@link #get} and {@link #fromConfig} accept, sorted. */
  public static List<String> names() {
    return CATALOG.names();
  }

  /** {@code new L1(l1)}. */
  public static L1 l1(double l1) {
    return new L1(l1);
  }

  /** {@code new L2(l2)}. */
  public static L2 l2(double l2) {
    return new L2(l2);
  }

  /** {@code new L1L2(l1, l2)}. */
  public static L1L2 l1l2(double l1, double l2) {
    return new L1L2(l1, l2);
  }

  /** {@code new OrthogonalRegularizer(factor, mode)}. */
  public static OrthogonalRegularizer orthogonal(double factor, String mode) {
    return new OrthogonalRegularizer(factor, mode);
  }
}
