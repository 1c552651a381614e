package io.jkeras.initializers;

import io.jkeras.config.ConfigReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Looks up initializers by their Keras 3 names and recreates them from Keras configs.
 *
 * <p>Names are case-sensitive, as in Keras: a class name ({@code "GlorotUniform"}), its snake_case
 * form ({@code "glorot_uniform"}), or an alias: {@code "normal"} (RandomNormal), {@code "uniform"}
 * (RandomUniform), {@code "one"}, {@code "zero"}, {@code "IdentityInitializer"} and {@code
 * "OrthogonalInitializer"}. Keras's {@code STFT} initializer is not implemented.
 *
 * <pre>{@code Initializer init = Initializers.get("he_normal");}</pre>
 */
public final class Initializers {

  /** Keras class name to a factory taking a config reader. */
  private static final Map<String, Function<ConfigReader, Initializer>> FACTORIES =
      new LinkedHashMap<>();

  /** Every accepted name to its Keras class name. */
  private static final Map<String, String> NAMES = new HashMap<>();

  private static final Set<String> UNSUPPORTED = Set.of("STFT", "stft", "STFTInitializer");

  static {
    register("Zeros", c -> new Zeros());
    register("Ones", c -> new Ones());
    register("Constant", c -> new Constant(c.number("value", 0.0)));
    register("Identity", c -> new Identity(c.number("gain", 1.0)));
    register(
        "RandomUniform",
        c -> new RandomUniform(c.number("minval", -0.05), c.number("maxval", 0.05), seed(c)));
    register(
        "RandomNormal",
        c -> new RandomNormal(c.number("mean", 0.0), c.number("stddev", 0.05), seed(c)));
    register(
        "TruncatedNormal",
        c -> new TruncatedNormal(c.number("mean", 0.0), c.number("stddev", 0.05), seed(c)));
    register(
        "VarianceScaling",
        c ->
            new VarianceScaling(
                c.number("scale", 1.0),
                c.string("mode", "fan_in"),
                c.string("distribution", "truncated_normal"),
                seed(c),
                c.optionalInts("input_axes"),
                c.optionalInts("output_axes")));
    register(
        "GlorotUniform",
        c ->
            new GlorotUniform(
                seed(c), c.optionalInts("input_axes"), c.optionalInts("output_axes")));
    register(
        "GlorotNormal",
        c ->
            new GlorotNormal(seed(c), c.optionalInts("input_axes"), c.optionalInts("output_axes")));
    register(
        "HeUniform",
        c -> new HeUniform(seed(c), c.optionalInts("input_axes"), c.optionalInts("output_axes")));
    register(
        "HeNormal",
        c -> new HeNormal(seed(c), c.optionalInts("input_axes"), c.optionalInts("output_axes")));
    register(
        "LecunUniform",
        c ->
            new LecunUniform(seed(c), c.optionalInts("input_axes"), c.optionalInts("output_axes")));
    register(
        "LecunNormal",
        c -> new LecunNormal(seed(c), c.optionalInts("input_axes"), c.optionalInts("output_axes")));
    register("Orthogonal", c -> new Orthogonal(c.number("gain", 1.0), seed(c)));

    NAMES.put("normal", "RandomNormal");
    NAMES.put("uniform", "RandomUniform");
    NAMES.put("one", "Ones");
    NAMES.put("zero", "Zeros");
    NAMES.put("IdentityInitializer", "Identity");
    NAMES.put("OrthogonalInitializer", "Orthogonal");
  }

  private Initializers() {}

  private static void register(String className, Function<ConfigReader, Initializer> factory) {
    FACTORIES.put(className, factory);
    NAMES.put(className, className);
    NAMES.put(snakeCase(className), className);
  }

  /**
   * The {@code "seed"} of a random initializer: an integer, null, or a serialized {@code
   * keras.random.SeedGenerator} ({@code {"class_name": "SeedGenerator", "config": {"seed": 3,
   * ...}}}), which Keras writes for {@code GlorotUniform(seed=keras.random.SeedGenerator(3))}; its
   * integer seed becomes the seed.
   */
  private static Long seed(ConfigReader c) {
    if (c.raw("seed") instanceof Map<?, ?> generator) {
      Long n =
          "SeedGenerator".equals(generator.get("class_name"))
                  && generator.get("config") instanceof Map<?, ?> config
              ? ConfigReader.integral(config.get("seed"))
              : null;
      if (n == null) {
        throw c.wrongValue(
            "seed",
            "an integer, null or a SeedGenerator whose config has an integer seed",
            generator);
      }
      return n;
    }
    return c.optionalLong("seed");
  }

  /** "GlorotUniform" to "glorot_uniform". */
  static String snakeCase(String className) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < className.length(); i++) {
      char ch = className.charAt(i);
      if (Character.isUpperCase(ch) && i > 0) {
        sb.append('_');
      }
      sb.append(Character.toLowerCase(ch));
    }
    return sb.toString();
  }

  /**
   * A new initializer with Keras's default arguments.
   *
   * @param name a Keras class name, its snake_case form or an alias (see the class comment)
   * @throws IllegalArgumentException for an unknown name; the message lists the valid ones
   */
  public static Initializer get(String name) {
    return fromConfig(name, Map.of());
  }

  /**
   * Recreates an initializer from the {@code class_name} and {@code config} of its Keras
   * serialization, e.g. {@code fromConfig("RandomUniform", {"minval": -0.05, "maxval": 0.05,
   * "seed": null})}. Missing keys take Keras's defaults; numbers may be any {@link Number}; a seed
   * must be an integer, null or a serialized {@code keras.random.SeedGenerator} (whose integer seed
   * is taken).
   *
   * @param className any name {@link #get} accepts
   * @param config the config map; null means empty
   * @throws IllegalArgumentException for an unknown class name, an unknown config key or a bad
   *     value
   */
  public static Initializer fromConfig(String className, Map<String, Object> config) {
    String resolved = className == null ? null : NAMES.get(className);
    if (resolved == null) {
      String why =
          className != null && UNSUPPORTED.contains(className)
              ? "Initializer '" + className + "' (Keras's STFT) is not supported by jkeras"
              : "Unknown initializer: " + Checks.show(className);
      throw new IllegalArgumentException(why + ". Valid names: " + String.join(", ", names()));
    }
    ConfigReader reader = ConfigReader.of(resolved, config == null ? Map.of() : config);
    Initializer initializer = FACTORIES.get(resolved).apply(reader);
    reader.rejectUnknownKeys();
    return initializer;
  }

  /** Every name {@link #get} accepts, sorted. */
  public static List<String> names() {
    return List.copyOf(new TreeSet<>(NAMES.keySet()));
  }
}
