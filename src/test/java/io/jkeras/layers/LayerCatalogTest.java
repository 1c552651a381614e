package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.config.ConfigException;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import io.jkeras.losses.Losses;
import io.jkeras.metrics.Metrics;
import io.jkeras.optimizers.Optimizers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/** The layer catalog, the per-layer rules saving asks layers for, and the one config error form. */
class LayerCatalogTest {

  /** A user's layer: registered by its class, which carries its registered name. */
  @KerasClass(registeredName = "test>Doubler", aliases = "Doubler")
  public static final class Doubler extends Layer {
    Doubler(String name) {
      super(name);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return inputShape;
    }

    public static Doubler fromConfig(Map<String, Object> config) {
      ConfigReader c = ConfigReader.of("Doubler", config);
      return c.finish(new Doubler(c.name()));
    }
  }

  @Test
  void builtInsAreFoundByScanningTheLayersPackage() {
    // Not an exact list: a new built-in layer is its one file, with no list to edit, here either.
    assertTrue(
        LayerCatalog.builtIns()
            .keySet()
            .containsAll(
                List.of(
                    "Activation",
                    "Concatenate",
                    "Conv1D",
                    "Dense",
                    "Dropout",
                    "Embedding",
                    "Flatten",
                    "GlobalAveragePooling1D",
                    "GlobalMaxPooling1D",
                    "InputLayer",
                    "Masking")));
    for (Map.Entry<String, Class<?>> e : LayerCatalog.builtIns().entrySet()) {
      // Only jkeras's own classes (never a test's), Keras built-ins only (not FMLayer, Lambda).
      assertEquals(e.getKey(), e.getValue().getSimpleName());
      assertTrue(e.getValue().getName().startsWith("io.jkeras.layers."), e.toString());
      assertFalse(e.getValue().getSimpleName().endsWith("Test"), e.toString());
    }
    assertFalse(LayerCatalog.builtIns().containsKey("FMLayer"));
    assertFalse(LayerCatalog.builtIns().containsKey("Lambda"));
    assertFalse(LayerCatalog.builtIns().containsKey("Doubler"));
    assertEquals(Dense.class, LayerCatalog.builtIns().get("Dense"));
    // Keras's exported aliases and FMLayer's registered names find the classes too.
    assertInstanceOf(
        Conv1D.class,
        LayerCatalog.create(
            "Convolution1D", null, "c", Map.of("filters", 2, "kernel_size", 3), true));
    assertInstanceOf(
        GlobalMaxPooling1D.class,
        LayerCatalog.create("GlobalMaxPool1D", null, "g", Map.of(), true));
    Map<String, Object> fm = Map.of("output_dim", 2, "factor_order", 3);
    FMLayer seed = (FMLayer) LayerCatalog.create("FMLayer", "kfm>FMLayer", "fm", fm, true);
    assertEquals("seed", seed.interaction());
    assertEquals(
        "fm",
        ((FMLayer) LayerCatalog.create("FMLayer", "jkeras>FMLayer", "fm", fm, true)).interaction());
    assertTrue(LayerCatalog.supportedNames().containsAll(List.of("jkeras>FMLayer", "kfm>FMLayer")));
  }

  @Test
  void kerasRulesComeFromTheLayerClass() {
    assertTrue(new Dense(2).writesBuildConfig());
    assertTrue(new Concatenate().writesBuildConfig());
    for (Layer l : List.of(new Dropout(0.5), new Flatten(), new GlobalMaxPooling1D())) {
      assertFalse(l.writesBuildConfig(), l.toString());
    }
    assertTrue(new Dropout(0.5).callTakesTraining());
    assertFalse(new Dense(2).callTakesTraining());
    assertEquals("keras.layers", new Dense(2).module());
    assertNull(new Dense(2).registeredName());
    assertNull(new FMLayer(2, 2).module());
    assertEquals("jkeras>FMLayer", new FMLayer(2, 2).registeredName());
    Lambda lambda = new Lambda((tf, x) -> x);
    assertEquals("keras.layers", lambda.module());
    assertNull(lambda.registeredName());
    // An unregistered user class is written under its class name, as Keras does.
    assertEquals("Doubler", new Doubler(null).registeredName());
  }

  @Test
  void usersRegisterALayerByItsClass() {
    LayerCatalog.register(Doubler.class);
    try {
      assertEquals("test>Doubler", new Doubler(null).registeredName());
      assertInstanceOf(
          Doubler.class,
          LayerCatalog.create("Doubler", "test>Doubler", "d", Map.of("name", "d"), true));
    } finally {
      assertTrue(LayerCatalog.unregister("test>Doubler"));
      assertTrue(LayerCatalog.unregister("Doubler"));
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LayerCatalog.create("Doubler", "test>Doubler", "d", Map.of(), true));
    assertTrue(e.getMessage().contains("LayerCatalog.register(\"test>Doubler\""), e.getMessage());
  }

  @Test
  void configErrorsNameTheObjectAndTheJsonPath() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> Dense.fromConfig(Map.of("units", "8")));
    assertEquals(
        "Dense: config.units: expected a positive integer, got \"8\" (a string)", e.getMessage());
    Map<String, Object> init = Map.of("class_name", "GlorotUniform", "config", Map.of("seed", "x"));
    e =
        assertThrows(
            ConfigException.class,
            () -> Dense.fromConfig(Map.of("units", 2, "kernel_initializer", init)));
    assertEquals(
        "Dense: config.kernel_initializer.config.seed: expected an integer or null, got \"x\""
            + " (a string)",
        e.getMessage());
    assertEquals(
        "config.json: layers[3] \"dense_1\" (Dense): config.kernel_initializer.config.seed:"
            + " expected an integer or null, got \"x\" (a string)",
        e.at("config.json: layers[3] \"dense_1\" (Dense)").getMessage());
    e =
        assertThrows(
            ConfigException.class, () -> Dense.fromConfig(Map.of("units", 2, "surprise", 1)));
    assertTrue(e.getMessage().startsWith("Dense: config: unknown key(s) [surprise]"));
  }

  /** Configs as Keras 3.15.1's serialize_keras_object writes them (printed by the venv's Keras). */
  private static final String PYTHON_CONFIGS =
      """
      [{"class_name": "AUC", "config": {"name": "auc", "dtype": "float32", "num_thresholds": 200,
        "curve": "ROC", "summation_method": "interpolation", "multi_label": false,
        "num_labels": null, "label_weights": null, "from_logits": false}},
       {"class_name": "Precision", "config": {"name": "precision", "dtype": "float32",
        "thresholds": null, "top_k": null, "class_id": null}},
       {"class_name": "Recall", "config": {"name": "recall", "dtype": "float32",
        "thresholds": null, "top_k": null, "class_id": null}},
       {"class_name": "BinaryAccuracy", "config": {"name": "binary_accuracy", "dtype": "float32",
        "threshold": 0.5}},
       {"class_name": "CategoricalAccuracy", "config": {"name": "categorical_accuracy",
        "dtype": "float32"}},
       {"class_name": "SparseCategoricalAccuracy", "config": {
        "name": "sparse_categorical_accuracy", "dtype": "float32"}},
       {"class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.001,
        "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null,
        "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
        "loss_scale_factor": null, "gradient_accumulation_steps": null, "beta_1": 0.9,
        "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}},
       {"class_name": "MeanSquaredError", "config": {"name": "mean_squared_error",
        "reduction": "sum_over_batch_size"}}]
      """;

  @Test
  @SuppressWarnings("unchecked")
  void optimizersLossesAndMetricsComeBackFromTheirKerasConfigs() throws Exception {
    List<Map<String, Object>> entries = new ObjectMapper().readValue(PYTHON_CONFIGS, List.class);
    for (Map<String, Object> entry : entries) {
      String cls = (String) entry.get("class_name");
      Map<String, Object> config = (Map<String, Object>) entry.get("config");
      Map<String, Object> back =
          switch (cls) {
            case "Adam" -> Optimizers.fromConfig(cls, config).getConfig();
            case "MeanSquaredError" -> Losses.fromConfig(cls, config).getConfig();
            default -> Metrics.fromConfig(cls, config).getConfig();
          };
      assertEquals(new ObjectMapper().writeValueAsString(config), json(back), cls);
    }
    assertEquals("mean_squared_error", Losses.get("mse").name());
    assertInstanceOf(io.jkeras.optimizers.RMSprop.class, Optimizers.get("rmsprop"));
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> Optimizers.fromConfig("Adam", Map.of("amsgrad", "yes")));
    assertTrue(e.getMessage().startsWith("Adam: config.amsgrad: expected"), e.getMessage());
  }

  private static String json(Map<String, Object> config) throws Exception {
    return new ObjectMapper().writeValueAsString(new LinkedHashMap<>(config));
  }
}
