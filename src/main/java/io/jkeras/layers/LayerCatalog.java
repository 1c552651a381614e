package io.jkeras.layers;

import io.jkeras.config.ClassCatalog;
import io.jkeras.config.KerasClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where every layer a model file may name is found: jkeras's built-in layers and the layers users
 * register, the Java counterpart of Keras's {@code @keras.saving.register_keras_serializable}.
 *
 * <p><b>Built-ins are one file each.</b> Any public concrete {@link Layer} in this package (or its
 * sub-packages) of jkeras's own jar that declares {@code public static X fromConfig(Map<String,
 * Object>)} is a built-in Keras layer named by its simple class name ({@code Dense} is {@code
 * keras.layers.Dense}); the catalog finds it by scanning the package (see {@link ClassCatalog} for
 * why scanning). A {@link KerasClass} annotation adds aliases ({@code Conv1D}'s {@code
 * Convolution1D}) or, for a layer that is not a Keras built-in, its registered name and module
 * ({@code jkeras>FMLayer}, later {@code keras_rs>FeatureCross}). The seed project's {@code
 * kfm>FMLayer} is accepted too: its configs name no interaction, and its formula is FMLayer's
 * {@code "seed"} one.
 *
 * <p><b>Users' layers</b> are registered once, before loading, under the name their Python twin is
 * registered with ({@code package>ClassName}):
 *
 * <pre>{@code
 * // Python: @keras.saving.register_keras_serializable(package="mylib") class Scale(Layer): ...
 * @KerasClass(registeredName = "mylib>Scale")
 * public class Scale extends Layer {
 *   ...
 *   public static Scale fromConfig(Map<String, Object> config) { ... }
 * }
 * LayerCatalog.register(Scale.class);
 * // or, without the annotation or for a class you cannot change:
 * LayerCatalog.register("mylib>Scale", Scale.class, Scale::fromConfig);
 * Model model = KerasModelFile.load(Path.of("scaled.keras"));
 * }</pre>
 *
 * <p>A {@code Lambda} layer's function is code, which a file cannot carry to Java. Loading one is
 * refused in safe mode (the default), as Keras does. With safe mode off, a Lambda is rebuilt by a
 * factory registered for its layer name with {@link #registerLambda}; without one the load fails
 * and says so.
 *
 * <p>The catalog is process-wide and thread-safe.
 */
public final class LayerCatalog {

  private static final ClassCatalog<Layer> LAYERS =
      new ClassCatalog<>("layer", Layer.class, "io.jkeras.layers", "keras.layers", false, false);

  /** Lambda layer name to the factory that rebuilds it (used only with safe mode off). */
  private static final Map<String, Function<Map<String, Object>, Layer>> LAMBDAS =
      new ConcurrentHashMap<>();

  static {
    LAYERS.register("kfm>FMLayer", null, LayerCatalog::seedFmLayer);
  }

  private LayerCatalog() {}

  /** The seed project's FMLayer: its configs name no interaction, and its formula is "seed". */
  private static Layer seedFmLayer(Map<String, Object> config) {
    if (config != null && !config.containsKey("interaction")) {
      Map<String, Object> withMode = new LinkedHashMap<>(config);
      withMode.put("interaction", "seed");
      return FMLayer.fromConfig(withMode);
    }
    return FMLayer.fromConfig(config);
  }

  // ---- registering ---------------------------------------------------------------------------

  /**
   * Registers a user's layer class by its {@link KerasClass} registered name (else its simple class
   * name) and aliases; its {@code public static fromConfig(Map<String, Object>)} rebuilds it.
   *
   * <pre>{@code LayerCatalog.register(Scale.class);}</pre>
   *
   * @throws IllegalArgumentException when the class has no such {@code fromConfig}
   */
  public static void register(Class<? extends Layer> type) {
    LAYERS.register(Objects.requireNonNull(type, "type"));
  }

  /**
   * Registers a factory under {@code registeredName}: Keras's {@code package>ClassName} form (what
   * {@code register_keras_serializable(package=...)} writes as {@code registered_name}), or a bare
   * class name for files whose layers were not registered. A later registration of the same name
   * replaces the earlier one.
   *
   * <pre>{@code LayerCatalog.register("mylib>Scale", config -> Scale.fromConfig(config));}</pre>
   *
   * @param factory builds the layer from its config map (read it with {@link
   *     io.jkeras.config.ConfigReader}); it may throw {@link IllegalArgumentException} for a bad
   *     config, which loading reports with the layer's place in the file
   */
  public static void register(String registeredName, Function<Map<String, Object>, Layer> factory) {
    LAYERS.register(registeredName, null, factory);
  }

  /**
   * Registers a factory as {@link #register(String, Function)} does and makes saving write {@code
   * registeredName} for layers of exactly class {@code type}.
   *
   * <pre>{@code LayerCatalog.register("mylib>Scale", Scale.class, Scale::fromConfig);}</pre>
   */
  public static void register(
      String registeredName,
      Class<? extends Layer> type,
      Function<Map<String, Object>, ? extends Layer> factory) {
    LAYERS.register(registeredName, Objects.requireNonNull(type, "type"), factory);
  }

  /**
   * Registers how to rebuild the {@code Lambda} layer named {@code layerName} when a model file is
   * loaded with safe mode off; the factory gets the Lambda's config.
   *
   * <pre>{@code
   * LayerCatalog.registerLambda("half", c -> new Lambda(
   *     (tf, x) -> tf.math.mul(x, tf.constant(0.5f)), s -> s, "half"));
   * Model m = KerasModelFile.load(path, false);
   * }</pre>
   */
  public static void registerLambda(
      String layerName, Function<Map<String, Object>, Layer> factory) {
    if (layerName == null || layerName.isBlank()) {
      throw new IllegalArgumentException("a Lambda layer name must be a non-empty string");
    }
    LAMBDAS.put(layerName, Objects.requireNonNull(factory, "factory"));
  }

  /**
   * Removes a registration made with {@code register}; true if there was one.
   *
   * <pre>{@code LayerCatalog.unregister("mylib>Scale");}</pre>
   */
  public static boolean unregister(String registeredName) {
    return LAYERS.unregister(registeredName);
  }

  /**
   * Removes a registration made with {@link #registerLambda}; true if there was one.
   *
   * <pre>{@code LayerCatalog.unregisterLambda("half");}</pre>
   */
  public static boolean unregisterLambda(String layerName) {
    return LAMBDAS.remove(layerName) != null;
  }

  // ---- looking up ----------------------------------------------------------------------------

  /**
   * Every class and registered name a model file may use, sorted.
   *
   * <pre>{@code LayerCatalog.supportedNames(); // [Activation, Concatenate, Conv1D, ...]}</pre>
   */
  public static List<String> supportedNames() {
    return LAYERS.names();
  }

  /**
   * The built-in Keras layer classes by Keras class name (for the README's layer table).
   *
   * <pre>{@code LayerCatalog.builtIns().get("Dense"); // io.jkeras.layers.Dense}</pre>
   */
  public static Map<String, Class<?>> builtIns() {
    return LAYERS.builtInClasses();
  }

  /**
   * The registered name saving writes for {@code type}: its {@link KerasClass} or registration
   * name; null for a Keras built-in; its simple class name for a class nobody registered (as Keras
   * writes unregistered classes).
   */
  static String registeredName(Class<?> type) {
    if (LAYERS.isBuiltIn(type)) {
      return null;
    }
    String name = LAYERS.registeredName(type);
    return name != null ? name : type.getSimpleName();
  }

  /** The module saving writes for {@code type}: {@code keras.layers} for built-ins, else null. */
  static String module(Class<?> type) {
    return LAYERS.module(type);
  }

  /**
   * The entry of {@code layer} in a model file's config, as Keras's {@code serialize_keras_object}
   * writes it and {@link #create} reads it back: {@code module}, {@code class_name}, {@code
   * config}, {@code registered_name}, and once the layer is built its {@code build_config}. Models'
   * layer lists and the layers inside other layers' configs (an RNN's cell, a wrapper's layer) use
   * it.
   *
   * <pre>{@code
   * Map<String, Object> e = LayerCatalog.entry(new Dense(4)); // {module=keras.layers, ...}
   * }</pre>
   */
  public static Map<String, Object> entry(Layer layer) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("module", layer.module());
    entry.put("class_name", layer.className());
    entry.put("config", layer.getConfig());
    entry.put("registered_name", layer.registeredName());
    Map<String, Object> build = layer.buildConfig();
    if (build != null) {
      entry.put("build_config", build);
    }
    return entry;
  }

  /**
   * Creates the layer of a model file's entry.
   *
   * <pre>{@code
   * Layer d = LayerCatalog.create("Dense", null, "dense", Map.of("units", 4), true);
   * }</pre>
   *
   * @param layerName the entry's layer name, for Lambda look-ups
   * @throws IllegalArgumentException for an unknown class, a refused Lambda, or a bad config
   */
  public static Layer create(
      String className,
      String registeredName,
      String layerName,
      Map<String, Object> config,
      boolean safeMode) {
    if (className.equals("Lambda") && (registeredName == null || registeredName.equals("Lambda"))) {
      return lambda(layerName, config, safeMode);
    }
    Function<Map<String, Object>, ? extends Layer> factory = null;
    if (registeredName != null) {
      factory = LAYERS.factory(registeredName);
    }
    if (factory == null && (registeredName == null || registeredName.equals(className))) {
      factory = LAYERS.factory(className);
    }
    if (factory == null) {
      String shown =
          registeredName == null || registeredName.equals(className)
              ? "\"" + className + "\""
              : "\"" + className + "\" (registered name \"" + registeredName + "\")";
      throw new IllegalArgumentException(
          "unknown layer class "
              + shown
              + ". Supported: "
              + String.join(", ", supportedNames())
              + ". A custom layer must be registered before loading, under the name its file"
              + " uses: LayerCatalog.register(\""
              + (registeredName != null ? registeredName : className)
              + "\", MyLayer.class, MyLayer::fromConfig)");
    }
    Layer layer = factory.apply(config);
    if (layer == null) {
      throw new IllegalArgumentException(
          "the factory registered for \"" + className + "\" returned null");
    }
    return layer;
  }

  private static Layer lambda(String layerName, Map<String, Object> config, boolean safeMode) {
    if (safeMode) {
      throw new IllegalArgumentException(
          "Lambda layer \""
              + layerName
              + "\" holds a function (code), which is refused in safe"
              + " mode. If you trust this file, register a Java function for it with"
              + " LayerCatalog.registerLambda(\""
              + layerName
              + "\", config -> new Lambda(...))"
              + " and load with safeMode=false");
    }
    Function<Map<String, Object>, Layer> factory = LAMBDAS.get(layerName);
    if (factory == null) {
      throw new IllegalArgumentException(
          "Lambda layer \""
              + layerName
              + "\": its function cannot be rebuilt from a file (Python"
              + " or Java code is not stored in a form jkeras can run). Register a Java function"
              + " for it with LayerCatalog.registerLambda(\""
              + layerName
              + "\", config -> new Lambda(...)) before loading");
    }
    Layer layer = factory.apply(config);
    if (layer == null) {
      throw new IllegalArgumentException(
          "the Lambda factory registered for \"" + layerName + "\" returned null");
    }
    return layer;
  }
}
