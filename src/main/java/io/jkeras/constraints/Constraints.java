package io.jkeras.constraints;

import io.jkeras.config.ClassCatalog;
import java.util.List;
import java.util.Map;

/**
 * Looks up Keras 3's built-in weight constraints by name and rebuilds them from Keras configs.
 *
 * <pre>{@code
 * Constraint a = Constraints.get("max_norm");                 // MaxNorm(max_value=2, axis=0)
 * Constraint b = Constraints.fromConfig("UnitNorm", Map.of("axis", List.of(0, 1, 2)));
 * Constraint c = Constraints.maxNorm(3.0);
 * }</pre>
 *
 * <p>Names accepted by {@link #get} and {@link #fromConfig}, as in Keras: the class names {@code
 * MaxNorm}, {@code MinMaxNorm}, {@code NonNeg}, {@code UnitNorm} and their snake-case forms {@code
 * max_norm}, {@code min_max_norm}, {@code non_neg}, {@code unit_norm}.
 */
public final class Constraints {

  /**
   * Every public Constraint class of this package with a {@code fromConfig(Map)}, found by itself.
   */
  private static final ClassCatalog<Constraint> CATALOG =
      new ClassCatalog<>(
          "constraint",
          Constraint.class,
          "io.jkeras.constraints",
          "keras.constraints",
          true,
          false);

  private Constraints() {}

  /**
   * The constraint named {@code identifier}, with its Keras defaults; {@code null} gives {@code
   * null} (no constraint), as Keras's {@code constraints.get(None)}.
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the valid names
   */
  public static Constraint get(String identifier) {
    if (identifier == null) {
      return null;
    }
    return CATALOG.get(identifier);
  }

  /**
   * Rebuilds a constraint from its Keras {@code class_name} and {@code config}; keys missing from
   * the config take the class's defaults. A null config is an empty one.
   *
   * @throws IllegalArgumentException for an unknown class name, an unknown key or an invalid value
   */
  public static Constraint fromConfig(String className, Map<String, Object> config) {
    return CATALOG.fromConfig(className, config);
  }

  /** All names {@link #get} and {@link #fromConfig} accept, sorted. */
  public static List<String> names() {
    return CATALOG.names();
  }

  /** {@code new MaxNorm(maxValue)}: norms over axis 0. */
  public static MaxNorm maxNorm(double maxValue) {
    return new MaxNorm(maxValue);
  }

  /** {@code new MaxNorm(maxValue, axis)}. */
  public static MaxNorm maxNorm(double maxValue, int axis) {
    return new MaxNorm(maxValue, axis);
  }

  /** {@code new NonNeg()}. */
  public static NonNeg nonNeg() {
    return new NonNeg();
  }

  /** {@code new UnitNorm()}: norms over axis 0. */
  public static UnitNorm unitNorm() {
    return new UnitNorm();
  }

  /** {@code new UnitNorm(axis)}. */
  public static UnitNorm unitNorm(int axis) {
    return new UnitNorm(axis);
  }

  /** {@code new MinMaxNorm(minValue, maxValue)}: rate 1, axis 0. */
  public static MinMaxNorm minMaxNorm(double minValue, double maxValue) {
    return new MinMaxNorm(minValue, maxValue);
  }

  /** {@code new MinMaxNorm(minValue, maxValue, rate, axis)}. */
  public static MinMaxNorm minMaxNorm(double minValue, double maxValue, double rate, int axis) {
    return new MinMaxNorm(minValue, maxValue, rate, axis);
  }
}
