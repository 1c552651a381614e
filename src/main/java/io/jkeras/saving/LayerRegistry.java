package io.jkeras.saving;

import io.jkeras.layers.Activation;
import io.jkeras.layers.AttentionalFM;
import io.jkeras.layers.BiInteractionPooling;
import io.jkeras.layers.CIN;
import io.jkeras.layers.Concatenate;
import io.jkeras.layers.Conv1D;
import io.jkeras.layers.CrossNet;
import io.jkeras.layers.Dense;
import io.jkeras.layers.DotInteraction;
import io.jkeras.layers.Dropout;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.FactorizationMachine;
import io.jkeras.layers.FeatureCross;
import io.jkeras.layers.FieldWeightedFM;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.GlobalAveragePooling1D;
import io.jkeras.layers.GlobalMaxPooling1D;
import io.jkeras.layers.InnerProduct;
import io.jkeras.layers.InputLayer;
import io.jkeras.layers.Layer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which Java layer a Keras layer entry of a model file becomes: the Java counterpart of Keras's
 * {@code @keras.saving.register_keras_serializable}.
 *
 * <p>Built in: the Keras layers jkeras implements, by their Keras class names ({@code Dense},
 * {@code Embedding}, {@code Conv1D}, {@code Dropout}, {@code GlobalMaxPooling1D}, {@code
 * GlobalAveragePooling1D}, {@code Flatten}, {@code Concatenate}, {@code Activation}, {@code
 * InputLayer}), and {@link FMLayer} under its registered name {@code jkeras>FMLayer}, the seed
 * project's {@code kfm>FMLayer} (whose formula is FMLayer's {@code "seed"} interaction, used when
 * the config does not name one) and the bare class name {@code FMLayer}.
 *
 * <p>A custom layer is registered once, before loading, under the name its Python twin is
 * registered with ({@code package>ClassName}), with a factory that rebuilds it from its config.
 * Giving its Java class as well makes {@link KerasModelFile#save} write that registered name.
 *
 * <pre>{@code
 * // Python: @keras.saving.register_keras_serializable(package="mylib") class Scale(Layer): ...
 * LayerRegistry.register("mylib>Scale", Scale.class, config -> {
 *   LayerConfig c = LayerConfig.of("Scale", config);
 *   return c.finish(new Scale(c.positiveInt("units"), c.name()));
 * });
 * Model model = KerasModelFile.load(Path.of("scaled.keras"));
 * }</pre>
 *
 * <p>A {@code Lambda} layer's function is code, which a file cannot carry to Java. Loading one is
 * refused in safe mode (the default), as Keras does. With safe mode off, a Lambda is rebuilt by a
 * factory registered for its layer name with {@link #registerLambda}; without one the load fails
 * and says so.
 *
 * <p>The registry is process-wide and thread-safe.
 */
public final class LayerRegistry {

  /** Keras class name of a built-in layer to its factory. */
  private static final Map<String, Function<Map<String, Object>, Layer>> BUILT_INS =
      new LinkedHashMap<>();

  /** The Java classes of built-in Keras layers (exact classes; subclasses are custom). */
  private static final Map<Class<?>, String> BUILT_IN_CLASSES = new ConcurrentHashMap<>();

  /** Registered name (or custom class name) to factory. */
  private static final Map<String, Function<Map<String, Object>, Layer>> CUSTOM =
      new ConcurrentHashMap<>();

  /** Java class of a registered custom layer to the registered name written for it. */
  private static final Map<Class<?>, String> CUSTOM_NAMES = new ConcurrentHashMap<>();

  /** Lambda layer name to the factory that rebuilds it (used only with safe mode off). */
  private static final Map<String, Function<Map<String, Object>, Layer>> LAMBDAS =
      new ConcurrentHashMap<>();

  static {
    builtIn("InputLayer", InputLayer.class, InputLayer::fromConfig);
    builtIn("Dense", Dense.class, Dense::fromConfig);
    builtIn("Embedding", Embedding.class, Embedding::fromConfig);
    builtIn("Conv1D", Conv1D.class, Conv1D::fromConfig);
    builtIn("Dropout", Dropout.class, Dropout::fromConfig);
    builtIn("GlobalMaxPooling1D", GlobalMaxPooling1D.class, GlobalMaxPooling1D::fromConfig);
    builtIn(
        "GlobalAveragePooling1D", GlobalAveragePooling1D.class, GlobalAveragePooling1D::fromConfig);
    builtIn("Flatten", Flatten.class, Flatten::fromConfig);
    builtIn("Concatenate", Concatenate.class, Concatenate::fromConfig);
    builtIn("Activation", Activation.class, Activation::fromConfig);
    // Keras's exported aliases, which older files may name.
    BUILT_INS.put("Convolution1D", Conv1D::fromConfig);
    BUILT_INS.put("GlobalMaxPool1D", GlobalMaxPooling1D::fromConfig);
    BUILT_INS.put("GlobalAvgPool1D", GlobalAveragePooling1D::fromConfig);

    CUSTOM.put(FMLayer.REGISTERED_NAME, FMLayer::fromConfig);
    CUSTOM.put("FMLayer", FMLayer::fromConfig);
    CUSTOM.put("kfm>FMLayer", LayerRegistry::seedFmLayer);
    CUSTOM_NAMES.put(FMLayer.class, FMLayer.REGISTERED_NAME);
    ctr(
        FactorizationMachine.REGISTERED_NAME,
        FactorizationMachine.class,
        FactorizationMachine::fromConfig);
    ctr(FieldWeightedFM.REGISTERED_NAME, FieldWeightedFM.class, FieldWeightedFM::fromConfig);
    ctr(
        BiInteractionPooling.REGISTERED_NAME,
        BiInteractionPooling.class,
        BiInteractionPooling::fromConfig);
    ctr(AttentionalFM.REGISTERED_NAME, AttentionalFM.class, AttentionalFM::fromConfig);
    ctr(InnerProduct.REGISTERED_NAME, InnerProduct.class, InnerProduct::fromConfig);
    ctr(CrossNet.REGISTERED_NAME, CrossNet.class, CrossNet::fromConfig);
    ctr(CIN.REGISTERED_NAME, CIN.class, CIN::fromConfig);
    ctr(DotInteraction.REGISTERED_NAME, DotInteraction.class, DotInteraction::fromConfig);
    ctr(FeatureCross.REGISTERED_NAME, FeatureCross.class, FeatureCross::fromConfig);
  }

  private LayerRegistry() {}

  /** A CTR layer registered under its package name ({@code jkeras>...} or {@code keras_rs>...}). */
  private static void ctr(
      String registeredName, Class<? extends Layer> type, Function<Map<String, Object>, Layer> f) {
    CUSTOM.put(registeredName, f);
    CUSTOM_NAMES.put(type, registeredName);
  }

  private static void builtIn(
      String className, Class<? extends Layer> type, Function<Map<String, Object>, Layer> f) {
    BUILT_INS.put(className, f);
    BUILT_IN_CLASSES.put(type, className);
  }

  /** The seed project's FMLayer: its configs name no interaction, and its formula is "seed". */
  private static Layer seedFmLayer(Map<String, Object> config) {
    if (config != null && !config.containsKey("interaction")) {
      Map<String, Object> withMode = new LinkedHashMap<>(config);
      withMode.put("interaction", "seed");
      return FMLayer.fromConfig(withMode);
    }
    return FMLayer.fromConfig(config);
  }

  /**
   * Registers a custom layer under {@code registeredName}: Keras's {@code package>ClassName} form
   * (what {@code register_keras_serializable(package=...)} writes as {@code registered_name}), or a
   * bare class name for files whose layers were not registered. A later registration of the same
   * name replaces the earlier one.
   *
   * @param factory builds the layer from its config map (see {@link io.jkeras.layers.LayerConfig});
   *     it may throw {@link IllegalArgumentException} for a bad config, which loading reports as a
   *     {@link KerasFileException}
   */
  public static void register(String registeredName, Function<Map<String, Object>, Layer> factory) {
    requireName(registeredName);
    CUSTOM.put(registeredName, Objects.requireNonNull(factory, "factory"));
  }

  /**
   * Registers a custom layer as {@link #register(String, Function)} does and makes {@link
   * KerasModelFile#save} write {@code registeredName} for layers of exactly class {@code type}.
   */
  public static void register(
      String registeredName,
      Class<? extends Layer> type,
      Function<Map<String, Object>, Layer> factory) {
    register(registeredName, factory);
    CUSTOM_NAMES.put(Objects.requireNonNull(type, "type"), registeredName);
  }

  /**
   * Registers how to rebuild the {@code Lambda} layer named {@code layerName} when a model file is
   * loaded with safe mode off; the factory gets the Lambda's config.
   *
   * <pre>{@code
   * LayerRegistry.registerLambda("half", c -> new Lambda(
   *     (tf, x) -> tf.math.mul(x, tf.constant(0.5f)), s -> s, "half"));
   * Model m = KerasModelFile.load(path, false);
   * }</pre>
   */
  public static void registerLambda(
      String layerName, Function<Map<String, Object>, Layer> factory) {
    requireName(layerName);
    LAMBDAS.put(layerName, Objects.requireNonNull(factory, "factory"));
  }

  /** Removes a registration made with {@link #register}; true if there was one. */
  public static boolean unregister(String registeredName) {
    Function<Map<String, Object>, Layer> removed = CUSTOM.remove(registeredName);
    CUSTOM_NAMES.values().removeIf(registeredName::equals);
    return removed != null;
  }

  /** Removes a registration made with {@link #registerLambda}; true if there was one. */
  public static boolean unregisterLambda(String layerName) {
    return LAMBDAS.remove(layerName) != null;
  }

  /** Every class and registered name a model file may use, sorted. */
  public static List<String> supportedNames() {
    TreeSet<String> names = new TreeSet<>(BUILT_INS.keySet());
    names.addAll(CUSTOM.keySet());
    return List.copyOf(names);
  }

  // ---- for the model config writer and reader ------------------------------------------------

  /** True when {@code layer} is exactly one of the Keras built-in layer classes. */
  static boolean isBuiltIn(Layer layer) {
    return BUILT_IN_CLASSES.containsKey(layer.getClass());
  }

  /**
   * The registered name a file gives a custom layer: its registration, else its bare class name (as
   * Keras writes unregistered classes).
   */
  static String registeredName(Layer layer) {
    String name = CUSTOM_NAMES.get(layer.getClass());
    return name != null ? name : layer.className();
  }

  /**
   * Creates the layer of a file entry.
   *
   * @param layerName the entry's layer name, for Lambda look-ups
   * @throws IllegalArgumentException for an unknown class, a refused Lambda, or a bad config
   */
  static Layer create(
      String className,
      String registeredName,
      String layerName,
      Map<String, Object> config,
      boolean safeMode) {
    if (className.equals("Lambda") && (registeredName == null || registeredName.equals("Lambda"))) {
      return lambda(layerName, config, safeMode);
    }
    Function<Map<String, Object>, Layer> factory = null;
    if (registeredName != null) {
      factory = CUSTOM.get(registeredName);
    }
    if (factory == null) {
      factory = CUSTOM.get(className);
    }
    if (factory == null && (registeredName == null || registeredName.equals(className))) {
      factory = BUILT_INS.get(className);
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
              + " uses: LayerRegistry.register(\""
              + (registeredName != null ? registeredName : className)
              + "\", config -> new MyLayer(...))");
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
              + " LayerRegistry.registerLambda(\""
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
              + " for it with LayerRegistry.registerLambda(\""
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

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a registered name must be a non-empty string");
    }
  }
}
