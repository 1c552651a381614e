package io.jkeras.initializers;

import static io.jkeras.initializers.RandomDistributionsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InitializersTest {

  /**
   * Keras 3.15.1 class names (minus STFT) and the config keys its get_config() returns, in order.
   */
  private static final Map<String, List<String>> KERAS_CONFIG_KEYS = new LinkedHashMap<>();

  static {
    List<String> preset = List.of("seed", "input_axes", "output_axes");
    KERAS_CONFIG_KEYS.put("Zeros", List.of());
    KERAS_CONFIG_KEYS.put("Ones", List.of());
    KERAS_CONFIG_KEYS.put("Constant", List.of("value"));
    KERAS_CONFIG_KEYS.put("Identity", List.of());
    KERAS_CONFIG_KEYS.put("RandomUniform", List.of("seed", "minval", "maxval"));
    KERAS_CONFIG_KEYS.put("RandomNormal", List.of("seed", "mean", "stddev"));
    KERAS_CONFIG_KEYS.put("TruncatedNormal", List.of("seed", "mean", "stddev"));
    KERAS_CONFIG_KEYS.put(
        "VarianceScaling",
        List.of("seed", "scale", "mode", "distribution", "input_axes", "output_axes"));
    KERAS_CONFIG_KEYS.put("GlorotUniform", preset);
    KERAS_CONFIG_KEYS.put("GlorotNormal", preset);
    KERAS_CONFIG_KEYS.put("HeUniform", preset);
    KERAS_CONFIG_KEYS.put("HeNormal", preset);
    KERAS_CONFIG_KEYS.put("LecunUniform", preset);
    KERAS_CONFIG_KEYS.put("LecunNormal", preset);
    KERAS_CONFIG_KEYS.put("Orthogonal", List.of("seed", "gain"));
  }

  private static final Map<String, String> SNAKE =
      Map.ofEntries(
          Map.entry("zeros", "Zeros"),
          Map.entry("ones", "Ones"),
          Map.entry("constant", "Constant"),
          Map.entry("identity", "Identity"),
          Map.entry("random_uniform", "RandomUniform"),
          Map.entry("random_normal", "RandomNormal"),
          Map.entry("truncated_normal", "TruncatedNormal"),
          Map.entry("variance_scaling", "VarianceScaling"),
          Map.entry("glorot_uniform", "GlorotUniform"),
          Map.entry("glorot_normal", "GlorotNormal"),
          Map.entry("he_uniform", "HeUniform"),
          Map.entry("he_normal", "HeNormal"),
          Map.entry("lecun_uniform", "LecunUniform"),
          Map.entry("lecun_normal", "LecunNormal"),
          Map.entry("orthogonal", "Orthogonal"));

  private static final Map<String, String> ALIASES =
      Map.of(
          "normal", "RandomNormal",
          "uniform", "RandomUniform",
          "one", "Ones",
          "zero", "Zeros",
          "IdentityInitializer", "Identity",
          "OrthogonalInitializer", "Orthogonal");

  @Test
  void getAcceptsClassNamesSnakeCaseAndAliases() {
    for (String className : KERAS_CONFIG_KEYS.keySet()) {
      assertEquals(className, Initializers.get(className).className());
    }
    SNAKE.forEach((name, cls) -> assertEquals(cls, Initializers.get(name).className(), name));
    ALIASES.forEach((name, cls) -> assertEquals(cls, Initializers.get(name).className(), name));
  }

  @Test
  void getGivesKerasDefaults() {
    assertEquals(new RandomUniform(-0.05, 0.05, null), Initializers.get("uniform"));
    assertEquals(new RandomNormal(0.0, 0.05, null), Initializers.get("normal"));
    assertEquals(
        new VarianceScaling(1.0, "fan_in", "truncated_normal"),
        Initializers.get("variance_scaling"));
    assertEquals(new Orthogonal(1.0, null), Initializers.get("orthogonal"));
    assertEquals(new Constant(0.0), Initializers.get("constant"));
    assertNull(((GlorotUniform) Initializers.get("glorot_uniform")).seed());
  }

  @Test
  void namesAreExactlyTheKerasNamesSorted() {
    List<String> expected = new ArrayList<>();
    expected.addAll(KERAS_CONFIG_KEYS.keySet());
    expected.addAll(SNAKE.keySet());
    expected.addAll(ALIASES.keySet());
    expected.sort(null);
    assertEquals(expected, Initializers.names());
  }

  @Test
  void unknownNameListsValidNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Initializers.get("glorot_unifrom"));
    assertTrue(e.getMessage().contains("'glorot_unifrom'"), e.getMessage());
    List<String> sorted = new ArrayList<>(Initializers.names());
    assertTrue(e.getMessage().endsWith(String.join(", ", sorted)), e.getMessage());
    // Names are case-sensitive, as in Keras.
    assertThrows(IllegalArgumentException.class, () -> Initializers.get("Glorot_Uniform"));
    assertThrows(IllegalArgumentException.class, () -> Initializers.get("GLOROT_UNIFORM"));
    assertMessage(() -> Initializers.get(null), "null", "glorot_uniform");
    assertMessage(() -> Initializers.get("stft"), "STFT", "not supported", "zeros");
  }

  @Test
  void configKeysAndOrderMatchKeras() {
    KERAS_CONFIG_KEYS.forEach(
        (cls, keys) -> {
          Map<String, Object> config = Initializers.get(cls).getConfig();
          assertInstanceOf(LinkedHashMap.class, config, cls);
          assertEquals(keys, List.copyOf(config.keySet()), cls);
        });
  }

  @Test
  void defaultConfigValuesMatchKeras() {
    assertEquals(
        Arrays.asList(null, -0.05, 0.05),
        new ArrayList<>(new RandomUniform().getConfig().values()));
    assertEquals(
        Arrays.asList(null, 0.0, 0.05),
        new ArrayList<>(new TruncatedNormal().getConfig().values()));
    assertEquals(
        Arrays.asList(null, 1.0, "fan_in", "truncated_normal", null, null),
        new ArrayList<>(new VarianceScaling().getConfig().values()));
    assertEquals(
        Arrays.asList(42L, null, null), new ArrayList<>(new HeNormal(42L).getConfig().values()));
    assertEquals(Arrays.asList(null, 1.0), new ArrayList<>(new Orthogonal().getConfig().values()));
  }

  @Test
  void everyInitializerRoundTripsThroughItsConfig() {
    List<Initializer> all =
        List.of(
            new Zeros(),
            new Ones(),
            new Constant(-2.5),
            new RandomUniform(-1, 3, 5L),
            new RandomNormal(0.5, 2, 6L),
            new TruncatedNormal(-0.5, 0.1, null),
            new VarianceScaling(0.3, "fan_out", "uniform", 7L, List.of(0), List.of(-1)),
            new GlorotUniform(1L),
            new GlorotNormal(2L),
            new HeUniform(3L, List.of(1), List.of(0)),
            new HeNormal(),
            new LecunUniform(4L),
            new LecunNormal(5L),
            new Orthogonal(3.0, 8L));
    for (Initializer init : all) {
      Initializer back = Initializers.fromConfig(init.className(), init.getConfig());
      assertEquals(init, back, init.toString());
      assertEquals(init.getConfig(), back.getConfig(), init.toString());
      if (init instanceof RandomInitializer r && r.seed() != null) {
        assertEquals(
            Arrays.toString(init.generate(new long[] {6, 5}, null)),
            Arrays.toString(back.generate(new long[] {6, 5}, null)),
            init.toString());
      }
    }
  }

  @Test
  void fromConfigReadsKerasConfigs() {
    Map<String, Object> glorot = new HashMap<>();
    glorot.put("seed", null);
    assertEquals(new GlorotUniform(), Initializers.fromConfig("GlorotUniform", glorot));
    glorot.put("input_axes", null);
    glorot.put("output_axes", null);
    assertEquals(new GlorotUniform(), Initializers.fromConfig("GlorotUniform", glorot));

    Map<String, Object> uniform = new HashMap<>();
    uniform.put("minval", -0.05);
    uniform.put("maxval", 0.05);
    uniform.put("seed", null);
    assertEquals(new RandomUniform(), Initializers.fromConfig("RandomUniform", uniform));

    // JSON integers arrive as Integer; Keras writes scale=2 as an int sometimes.
    RandomNormal n =
        (RandomNormal) Initializers.fromConfig("RandomNormal", Map.of("seed", 7, "stddev", 1));
    assertEquals(7L, n.seed());
    assertEquals(1.0, n.stddev());
    VarianceScaling v =
        (VarianceScaling)
            Initializers.fromConfig(
                "variance_scaling",
                Map.of(
                    "scale",
                    2,
                    "mode",
                    "fan_out",
                    "distribution",
                    "uniform",
                    "input_axes",
                    List.of(0, 1L),
                    "output_axes",
                    List.of(-1)));
    assertEquals(
        new VarianceScaling(2.0, "fan_out", "uniform", null, List.of(0, 1), List.of(-1)), v);
    // Keras 2 wrote Identity's gain; it is accepted.
    assertEquals(new Identity(3.0), Initializers.fromConfig("Identity", Map.of("gain", 3.0)));
    assertEquals(new Zeros(), Initializers.fromConfig("zeros", null));
  }

  @Test
  void fromConfigReportsBadInput() {
    assertMessage(() -> Initializers.fromConfig("Glorot", Map.of()), "'Glorot'", "GlorotUniform");
    assertMessage(
        () -> Initializers.fromConfig("RandomUniform", Map.of("seed", "abc")),
        "RandomUniform",
        "config.seed",
        "integer",
        "\"abc\"");
    assertMessage(
        () -> Initializers.fromConfig("HeNormal", Map.of("seed", 1.5)),
        "HeNormal",
        "config.seed",
        "1.5");
    assertMessage(
        () ->
            Initializers.fromConfig(
                "GlorotUniform",
                Map.of("seed", Map.of("class_name", "SeedGenerator", "config", Map.of()))),
        "config.seed",
        "SeedGenerator whose config has an integer seed");
    assertMessage(
        () -> Initializers.fromConfig("RandomNormal", Map.of("stddev", "big")),
        "config.stddev",
        "number",
        "\"big\"");
    assertMessage(
        () -> Initializers.fromConfig("RandomNormal", Map.of("stddev", -0.5)),
        "'stddev'",
        ">= 0",
        "-0.5");
    assertMessage(
        () -> Initializers.fromConfig("VarianceScaling", Map.of("mode", "fan_max")),
        "'mode'",
        "'fan_max'");
    assertMessage(
        () -> Initializers.fromConfig("VarianceScaling", Map.of("mode", 3)),
        "config.mode",
        "string",
        "3");
    assertMessage(
        () -> Initializers.fromConfig("GlorotUniform", Map.of("input_axes", "0")),
        "config.input_axes",
        "list");
    assertMessage(
        () -> Initializers.fromConfig("GlorotUniform", Map.of("input_axes", List.of(0.5))),
        "config.input_axes");
    assertMessage(
        () -> Initializers.fromConfig("GlorotUniform", Map.of("scale", 2.0)),
        "GlorotUniform",
        "unknown key",
        "scale",
        "seed");
    assertMessage(
        () -> Initializers.fromConfig("Zeros", Map.of("dtype", "float32")), "dtype", "takes none");
  }

  @Test
  void millionValuesTakeWellUnderASecond() {
    long[] shape = {1000, 1000};
    List<Initializer> inits =
        List.of(
            new GlorotUniform(),
            new HeNormal(),
            new RandomNormal(),
            new TruncatedNormal(),
            new RandomUniform());
    SplittableRandom random = new SplittableRandom(1);
    for (Initializer init : inits) {
      init.generate(shape, random); // warm up
      long start = System.nanoTime();
      float[] v = init.generate(shape, random);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1_000_000, v.length);
      assertTrue(millis < 1000, init + " took " + millis + " ms");
    }
  }

  @Test
  void streamsInPiecesGiveTheValuesOfGenerate() {
    long[] shape = {37, 5};
    for (String name : Initializers.names()) {
      Initializer init = Initializers.get(name);
      float[] whole = init.generate(shape, new SplittableRandom(11));
      Initializer.Values values = init.stream(shape, new SplittableRandom(11));
      float[] pieces = new float[whole.length];
      int at = 0;
      for (int size : new int[] {1, 7, 30, 0, whole.length - 38}) {
        float[] piece = new float[size];
        values.fill(piece);
        System.arraycopy(piece, 0, pieces, at, size);
        at += size;
      }
      assertEquals(whole.length, at);
      assertTrue(Arrays.equals(whole, pieces), name + ": streamed values differ from generate's");
    }
  }

  @Test
  void independentDrawsStreamTablesTooLargeForOneArray() {
    // 12 billion values: generate() cannot hold them, the stream holds one piece at a time.
    long[] huge = {3_000_000_000L, 4};
    assertThrows(IllegalArgumentException.class, () -> new RandomUniform().generate(huge, null));
    for (Initializer init :
        List.of(new RandomUniform(), new RandomNormal(), new TruncatedNormal(), new Ones())) {
      float[] first = new float[10];
      init.stream(huge, new SplittableRandom(3)).fill(first);
      float[] expected = init.generate(new long[] {10}, new SplittableRandom(3));
      assertTrue(Arrays.equals(expected, first), init + ": " + Arrays.toString(first));
    }
    // Fans come from the whole shape: Glorot's limit is sqrt(6 / (fan_in + fan_out)).
    float[] glorot = new float[1000];
    new GlorotUniform().stream(huge, new SplittableRandom(3)).fill(glorot);
    double limit = Math.sqrt(6.0 / (3_000_000_000.0 + 4));
    double max = 0;
    for (float v : glorot) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= limit && max > limit * 0.9, "max " + max + " for limit " + limit);
  }
}
