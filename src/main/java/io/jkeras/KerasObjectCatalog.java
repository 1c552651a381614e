package io.jkeras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The built-in objects of one Keras module (constraints, regularizers...) by name: each made with
 * its defaults from a name, or rebuilt from a Keras {@code class_name} and {@code config}. Unknown
 * names are an error that lists the valid ones.
 *
 * <pre>{@code
 * KerasObjectCatalog<Constraint> c = new KerasObjectCatalog<>("constraint");
 * c.add(MaxNorm::new, MaxNorm::fromConfig, "MaxNorm", "max_norm");
 * Constraint m = c.get("max_norm");
 * }</pre>
 *
 * @param <T> the kind of object
 */
public final class KerasObjectCatalog<T> {

  private final String kind;
  private final Map<String, Supplier<T>> byName = new LinkedHashMap<>();
  private final Map<String, Function<Map<String, Object>, T>> fromConfig = new LinkedHashMap<>();

  /** {@code kind} names the objects in error messages: {@code "constraint"}. */
  public KerasObjectCatalog(String kind) {
    this.kind = kind;
  }

  /** Registers a class under each of {@code names} (class name, snake-case name, aliases). */
  public KerasObjectCatalog<T> add(
      Supplier<T> byDefault, Function<Map<String, Object>, T> config, String... names) {
    for (String n : names) {
      byName.put(n, byDefault);
      fromConfig.put(n, config);
    }
    return this;
  }

  /** The object called {@code name}, with its defaults. */
  public T get(String name) {
    return lookup(byName, name).get();
  }

  /** The object of Keras class {@code className} rebuilt from {@code config} (null: empty). */
  public T fromConfig(String className, Map<String, Object> config) {
    return lookup(fromConfig, className).apply(config == null ? Map.of() : config);
  }

  /** Every accepted name, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>(byName.keySet());
    Collections.sort(names);
    return Collections.unmodifiableList(names);
  }

  private <V> V lookup(Map<String, V> map, String name) {
    V value = name == null ? null : map.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "Unknown " + kind + ": \"" + name + "\". Expected one of: " + String.join(", ", names()));
    }
    return value;
  }
}
