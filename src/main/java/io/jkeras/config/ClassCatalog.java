package io.jkeras.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The classes of one kind (layers, optimizers, losses, metrics) by their Keras names, each rebuilt
 * from its config by its own {@code public static fromConfig(Map<String, Object>)}.
 *
 * <p>Built-ins are found, not listed: the catalog scans its package in jkeras's own jar (or classes
 * folder) for public concrete classes of its kind that declare {@code fromConfig}. A new built-in
 * is therefore one file, its class. Scanning was chosen over an annotation processor (a build step
 * and a generated index that goes stale in IDE builds) and over {@code ServiceLoader} (a second
 * file listing every class); only jkeras's own code source is scanned, so a user's or a test's
 * class in the same package name is never mistaken for a built-in. Users' classes are registered
 * explicitly, with {@link #register(Class)} or a name and a factory.
 *
 * <p>Names: a built-in is found by its simple class name, its Keras snake_case form when the
 * catalog uses it ({@code binary_crossentropy}), and the aliases of its {@link KerasClass}
 * annotation; a class with a registered name ({@code jkeras>FMLayer}) by that name and its aliases.
 *
 * <pre>{@code
 * ClassCatalog<Loss> losses =
 *     new ClassCatalog<>("loss", Loss.class, "io.jkeras.losses", "keras.losses", true, false);
 * Loss bce = losses.get("binary_crossentropy");
 * }</pre>
 *
 * @param <T> the kind of object
 */
public final class ClassCatalog<T> {

  private static final Pattern SNAKE_1 = Pattern.compile("(.)([A-Z][a-z]+)");
  private static final Pattern SNAKE_2 = Pattern.compile("([a-z0-9])([A-Z])");

  private final String kind;
  private final Class<T> type;
  private final String packageName;
  private final String builtInModule;
  private final boolean snakeCase;
  private final boolean ignoreCase;

  /** Lookup key (lower-cased when ignoring case) to factory, built-ins and users' alike. */
  private final Map<String, Function<Map<String, Object>, ? extends T>> byName =
      new ConcurrentHashMap<>();

  /** The names for messages and listings (lower-cased when ignoring case, as Keras lists them). */
  private final Map<String, String> shownNames = new ConcurrentHashMap<>();

  /** Built-in classes (exact classes) to their Keras class names. */
  private final Map<Class<?>, String> builtIns = new ConcurrentHashMap<>();

  /** Classes with a registered name (annotated or registered by users) to that name. */
  private final Map<Class<?>, String> registered = new ConcurrentHashMap<>();

  /** Classes to the module their annotation names. */
  private final Map<Class<?>, String> modules = new ConcurrentHashMap<>();

  /**
   * A catalog of {@code type}s whose built-ins live in {@code packageName} (and its sub-packages).
   *
   * @param kind names the objects in errors ({@code "optimizer"})
   * @param builtInModule the Keras module written for built-ins ({@code "keras.optimizers"})
   * @param snakeCase also find built-ins by Keras's snake_case of their class names
   * @param ignoreCase compare names ignoring case (Keras does for optimizers)
   */
  public ClassCatalog(
      String kind,
      Class<T> type,
      String packageName,
      String builtInModule,
      boolean snakeCase,
      boolean ignoreCase) {
    this.kind = kind;
    this.type = type;
    this.packageName = packageName;
    this.builtInModule = builtInModule;
    this.snakeCase = snakeCase;
    this.ignoreCase = ignoreCase;
    for (Class<? extends T> c : scan()) {
      add(c, true);
    }
  }

  // ---- looking up ----------------------------------------------------------------------------

  /** The object called {@code name}, with its defaults (its {@code fromConfig} of an empty map). */
  public T get(String name) {
    return fromConfig(name, Map.of());
  }

  /**
   * The object of Keras class or registered name {@code name}, rebuilt from {@code config} (null:
   * empty).
   *
   * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad config
   */
  public T fromConfig(String name, Map<String, Object> config) {
    Function<Map<String, Object>, ? extends T> factory = factory(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown " + kind + ": \"" + name + "\". Expected one of: " + String.join(", ", names()));
    }
    T made = factory.apply(config == null ? Map.of() : config);
    if (made == null) {
      throw new IllegalArgumentException(
          "the factory registered for \"" + name + "\" returned null");
    }
    return made;
  }

  /** The factory for {@code name}, or null when no class has that name. */
  public Function<Map<String, Object>, ? extends T> factory(String name) {
    return name == null ? null : byName.get(key(name));
  }

  /** True for a built-in (exactly one of the scanned classes, not a subclass of one). */
  public boolean isBuiltIn(Class<?> c) {
    return builtIns.containsKey(c);
  }

  /**
   * The registered name a file gives objects of class {@code c}: its annotation's or its
   * registration's, else null (a built-in, or an unregistered class).
   */
  public String registeredName(Class<?> c) {
    return registered.get(c);
  }

  /** The module written for class {@code c}: its annotation's, the built-ins', or null. */
  public String module(Class<?> c) {
    String m = modules.get(c);
    if (m != null) {
      return m;
    }
    return isBuiltIn(c) ? builtInModule : null;
  }

  /** Every accepted name, sorted (lower-cased when the catalog ignores case). */
  public List<String> names() {
    return List.copyOf(new TreeSet<>(shownNames.values()));
  }

  /** The built-in classes, by Keras class name. */
  public Map<String, Class<?>> builtInClasses() {
    Map<String, Class<?>> out = new java.util.TreeMap<>();
    builtIns.forEach((c, n) -> out.put(n, c));
    return Collections.unmodifiableMap(out);
  }

  // ---- registering ---------------------------------------------------------------------------

  /**
   * Registers a user's class: found by its {@link KerasClass} registered name (else its simple
   * name) and aliases, rebuilt by its {@code public static fromConfig(Map)}.
   *
   * @throws IllegalArgumentException when the class declares no such {@code fromConfig}
   */
  public void register(Class<? extends T> c) {
    if (fromConfigMethod(c) == null) {
      throw new IllegalArgumentException(
          c.getName()
              + " cannot be registered as a "
              + kind
              + ": it declares no public static "
              + c.getSimpleName()
              + " fromConfig(Map<String, Object> config)");
    }
    add(c, false);
  }

  /**
   * Registers {@code factory} under {@code name}; with a non-null {@code c}, files written from
   * objects of exactly that class name them {@code name}. A later registration of a name replaces
   * the earlier one.
   */
  public void register(
      String name, Class<? extends T> c, Function<Map<String, Object>, ? extends T> factory) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a registered name must be a non-empty string");
    }
    put(name, Objects.requireNonNull(factory, "factory"));
    if (c != null) {
      registered.put(c, name);
    }
  }

  /** Removes the registration of {@code name}; true if there was one. */
  public boolean unregister(String name) {
    if (name == null) {
      return false;
    }
    shownNames.remove(key(name));
    registered.values().removeIf(name::equals);
    return byName.remove(key(name)) != null;
  }

  // ---- internals -----------------------------------------------------------------------------

  private void add(Class<? extends T> c, boolean builtIn) {
    Method m = fromConfigMethod(c);
    Function<Map<String, Object>, T> factory = config -> invoke(m, config);
    KerasClass a = c.getAnnotation(KerasClass.class);
    String registeredName = a == null ? "" : a.registeredName();
    if (!registeredName.isEmpty() || !builtIn) {
      String written = registeredName.isEmpty() ? c.getSimpleName() : registeredName;
      put(written, factory);
      registered.put(c, written);
    } else {
      put(c.getSimpleName(), factory);
      if (snakeCase) {
        put(snakeCase(c.getSimpleName()), factory);
      }
    }
    if (builtIn && registeredName.isEmpty()) {
      builtIns.put(c, c.getSimpleName());
    }
    if (a != null) {
      for (String alias : a.aliases()) {
        put(alias, factory);
      }
      if (!a.module().isEmpty()) {
        modules.put(c, a.module());
      }
    }
  }

  private void put(String name, Function<Map<String, Object>, ? extends T> factory) {
    byName.put(key(name), factory);
    shownNames.put(key(name), key(name));
  }

  private String key(String name) {
    return ignoreCase ? name.toLowerCase(Locale.ROOT) : name;
  }

  private T invoke(Method m, Map<String, Object> config) {
    try {
      return type.cast(m.invoke(null, config));
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(m + " is not accessible", e);
    }
  }

  /** {@code public static X fromConfig(Map)} with X a {@code T}, or null. */
  private Method fromConfigMethod(Class<?> c) {
    try {
      Method m = c.getMethod("fromConfig", Map.class);
      boolean ok =
          Modifier.isStatic(m.getModifiers())
              && m.getDeclaringClass() == c
              && type.isAssignableFrom(m.getReturnType());
      return ok ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /**
   * Keras's {@code to_snake_case}: {@code "BinaryCrossentropy"} to {@code "binary_crossentropy"}.
   */
  public static String snakeCase(String className) {
    String s = SNAKE_1.matcher(className).replaceAll("$1_$2");
    return SNAKE_2.matcher(s).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
  }

  /** The public concrete {@code T}s with a {@code fromConfig} in jkeras's own code source. */
  private List<Class<? extends T>> scan() {
    List<String> classNames = new ArrayList<>();
    String folder = packageName.replace('.', '/') + "/";
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalStateException("cannot find where " + type.getName() + " was loaded from");
    }
    try {
      Path where = Path.of(source.getLocation().toURI());
      if (Files.isDirectory(where)) {
        Path root = where.resolve(folder);
        if (Files.isDirectory(root)) {
          try (Stream<Path> files = Files.walk(root)) {
            files.forEach(
                p -> {
                  String rel = where.relativize(p).toString().replace('\\', '/');
                  if (rel.endsWith(".class")) {
                    classNames.add(rel);
                  }
                });
          }
        }
      } else {
        try (JarFile jar = new JarFile(where.toFile())) {
          jar.stream()
              .map(e -> e.getName())
              .filter(n -> n.startsWith(folder) && n.endsWith(".class"))
              .forEach(classNames::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("scanning " + source.getLocation() + " for " + kind + "s", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("scanning " + source.getLocation(), e);
    }
    Collections.sort(classNames);
    Map<String, Class<? extends T>> found = new LinkedHashMap<>();
    ClassLoader loader = type.getClassLoader();
    for (String file : classNames) {
      if (file.contains("$") || file.endsWith("package-info.class")) {
        continue;
      }
      String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
      Class<?> c;
      try {
        c = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        continue;
      }
      int mod = c.getModifiers();
      if (Modifier.isPublic(mod)
          && !Modifier.isAbstract(mod)
          && !c.isInterface()
          && type.isAssignableFrom(c)
          && fromConfigMethod(c) != null) {
        found.put(name, c.asSubclass(type));
      }
    }
    return new ArrayList<>(found.values());
  }
}
