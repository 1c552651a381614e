package io.jkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Lambda;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adam;
import io.jkeras.optimizers.SGD;
import io.jkeras.saving.KerasCompileConfig;
import io.jkeras.testing.PythonKeras;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric values and configs against Python Keras 3.15.1 on the same fixed predictions: one Python
 * process ({@code src/test/python/metrics/metric_values.py}) computes every metric's result after
 * three {@code update_state} batches (with and without sample weights) and after a reset and one
 * more batch, loads a model file written here with metric objects, and saves it again.
 */
class MetricParityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static Map<String, Object> reference;
  private static List<Object> pythonCompiledMetrics;
  private static Path pythonFile;
  private static Map<String, Object> javaCompileConfig;

  /** The metric objects of the round-trip model, in compile order. */
  private static List<Object> compiledForFile() {
    return List.of(
        "accuracy",
        AUC.builder().curve("PR").name("pr_auc").numThresholds(300).build(),
        AUC.builder().multiLabel(true).numLabels(1).labelWeights(0.7f).fromLogits(true).build(),
        AUC.builder().thresholds(0.2, 0.4, 0.9).summationMethod("minoring").name("auc_t").build(),
        new Precision("p_top", new double[] {0.3, 0.6}, 1, 0),
        new Recall(0.4),
        new F1Score("micro", 0.5),
        new FBetaScore("f2", "weighted", 2.0, null),
        new R2Score("r2", "variance_weighted_average", 2),
        new SpecificityAtSensitivity("spec", 0.4, 50, null),
        new TruePositives("tp", 0.2, 0.8),
        new MeanSquaredError(),
        new BinaryCrossentropy("logloss", true, 0.1),
        new TopKCategoricalAccuracy(3),
        new LogCoshError(),
        new MeanMetricWrapper("wrapped_bce", new io.jkeras.losses.BinaryCrossentropy(true, 0)),
        new CosineSimilarity(),
        new PearsonCorrelation("pcc", -1),
        new ConcordanceCorrelation(),
        new IoU("iou", 3, List.of(0, 2), 255, true, false, -1),
        new BinaryIoU(List.of(1), 0.3),
        new MeanIoU(2),
        new OneHotIoU(3, List.of(1)),
        new OneHotMeanIoU("ohm", 3, 0, true, -1),
        "mse",
        "auc",
        "cosine_similarity",
        "pearson_correlation",
        "concordance_correlation");
  }

  @BeforeAll
  static void runKeras() throws Exception {
    KerasTensor in = Input.of(3);
    Path javaFile = dir.resolve("java.keras");
    try (Model m = new Model(in, Dense.builder(1).activation("sigmoid").build().apply(in))) {
      m.compile(new Adam(), new io.jkeras.losses.BinaryCrossentropy(), compiledForFile());
      m.save(javaFile);
      javaCompileConfig = KerasCompileConfig.toConfig(m);
    }
    Path values = dir.resolve("values.json");
    pythonFile = dir.resolve("python.keras");
    PythonKeras.Result r =
        PythonKeras.runScript(
            "metrics/metric_values.py",
            values.toString(),
            javaFile.toString(),
            pythonFile.toString());
    reference = read(Files.readString(values));
    String line =
        r.stdout().lines().filter(l -> l.startsWith("METRICS ")).findFirst().orElseThrow();
    pythonCompiledMetrics = JSON.readValue(line.substring(8), List.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(String json) throws Exception {
    return JSON.readValue(json, Map.class);
  }

  @Test
  void valuesAfterSeveralWeightedBatchesEqualKeras() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Map<String, Object> c : cases()) {
      String cls = (String) c.get("class_name");
      @SuppressWarnings("unchecked")
      Map<String, Object> config = (Map<String, Object>) c.get("config");
      Metric m = Metrics.fromConfig(cls, config);
      String label =
          cls + " " + config + (Boolean.TRUE.equals(c.get("weighted")) ? " weighted" : "");
      assertEquals(normalized(config), normalized(m.getConfig()), label + ": config");
      float[][][] yp = data((String) c.get("data"));
      boolean weighted = Boolean.TRUE.equals(c.get("weighted"));
      for (List<Integer> b : batches()) {
        feed(m, yp, weighted, b);
      }
      double tol = cls.equals("AUC") ? 1e-5 : 1e-6;
      compare(label, doubles(c.get("result")), m.results(), tol, failures);
      // After reset, only what follows counts.
      m.reset();
      feed(m, yp, weighted, batches().get(batches().size() - 1));
      compare(
          label + " after reset", doubles(c.get("result_after_reset")), m.results(), tol, failures);
      checked++;
    }
    assertTrue(
        failures.isEmpty(),
        failures.size() + " of " + checked + " differ:\n" + String.join("\n", failures));
    assertEquals(168, checked);
  }

  /** Feeds rows [from, to) of {@code b} = [from, to], with the sample weights when weighted. */
  private static void feed(Metric m, float[][][] yp, boolean weighted, List<Integer> b) {
    int from = b.get(0);
    int to = b.get(1);
    HostArray y = HostArray.of(java.util.Arrays.copyOfRange(yp[0], from, to));
    HostArray p = HostArray.of(java.util.Arrays.copyOfRange(yp[1], from, to));
    HostArray sw =
        weighted
            ? HostArray.of(
                java.util.Arrays.copyOfRange(floats(reference.get("sample_weight")), from, to))
            : null;
    if (m instanceof Sum s) {
      s.updateState(p, sw);
    } else if (m.getClass() == Mean.class) {
      ((Mean) m).updateState(p, sw);
    } else {
      m.updateState(y, p, sw);
    }
  }

  private static void compare(
      String label, double[] expected, double[] actual, double tol, List<String> failures) {
    boolean ok = expected.length == actual.length;
    for (int i = 0; ok && i < expected.length; i++) {
      ok = Math.abs(expected[i] - actual[i]) <= tol * Math.max(1, Math.abs(expected[i]));
    }
    if (!ok) {
      failures.add(
          label
              + ": Keras "
              + java.util.Arrays.toString(expected)
              + ", jkeras "
              + java.util.Arrays.toString(actual));
    }
  }

  @Test
  void aModelsEvaluateGivesKerasValuesThroughTheTrainingGraph() {
    for (String kind :
        List.of(
            "binary",
            "edges",
            "multilabel",
            "categorical",
            "regression",
            "series",
            "ids",
            "sparse_scores")) {
      float[][][] yp = data(kind);
      List<Metric> metrics = new ArrayList<>();
      Map<String, double[]> expected = new LinkedHashMap<>();
      int i = 0;
      for (Map<String, Object> c : cases()) {
        if (!c.get("data").equals(kind) || Boolean.TRUE.equals(c.get("weighted"))) {
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) c.get("config"));
        config.put("name", "m" + i++);
        metrics.add(Metrics.fromConfig((String) c.get("class_name"), config));
        expected.put((String) config.get("name"), doubles(c.get("result")));
      }
      KerasTensor in = Input.of(yp[1][0].length);
      try (Model m = new Model(in, new Lambda((tf, v) -> tf.identity(v)).apply(in))) {
        m.compile(new SGD(), new io.jkeras.losses.MeanSquaredError(), metrics);
        Map<String, Double> logs =
            m.evaluate(List.of(HostArray.of(yp[1])), List.of(HostArray.of(yp[0])), 32);
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
          double[] want = e.getValue();
          for (int k = 0; k < want.length; k++) {
            String key = want.length == 1 ? e.getKey() : e.getKey() + "[" + k + "]";
            assertEquals(
                want[k], logs.get(key), 1e-5 * Math.max(1, Math.abs(want[k])), kind + " " + key);
          }
        }
      }
    }
  }

  @Test
  void metricObjectsKeepTheirConfigThroughPythonAndBack() throws Exception {
    // Java wrote Keras's serialized metric objects; Python compiled the model with them.
    assertEquals(normalized(javaCompileConfig.get("metrics")), normalized(pythonCompiledMetrics));
    @SuppressWarnings("unchecked")
    Map<String, Object> auc =
        (Map<String, Object>) ((List<?>) javaCompileConfig.get("metrics")).get(1);
    assertEquals("keras.metrics", auc.get("module"));
    assertEquals("AUC", auc.get("class_name"));
    assertTrue(auc.containsKey("registered_name") && auc.get("registered_name") == null);
    // And Java reads Python's file back to the same metric objects.
    try (Model back = Model.load(pythonFile)) {
      List<Object> original = compiledForFile();
      List<Object> loaded = back.compiledMetrics();
      assertEquals(original.size(), loaded.size());
      for (int i = 0; i < original.size(); i++) {
        Object o = original.get(i);
        Object l = loaded.get(i);
        if (o instanceof Metric om) {
          assertEquals(om.getClass(), l.getClass());
          assertEquals(normalized(om.getConfig()), normalized(((Metric) l).getConfig()));
        } else {
          assertEquals(o, l);
        }
      }
    }
  }

  @Test
  void correlationMetricsResolveByTheirKerasStringNamesAndAllImproveUpwards() {
    org.tensorflow.ndarray.Shape shape = org.tensorflow.ndarray.Shape.of(-1, 5);
    assertEquals(CosineSimilarity.class, Metrics.get("cosine_similarity", shape, shape).getClass());
    assertEquals(
        PearsonCorrelation.class, Metrics.get("pearson_correlation", shape, shape).getClass());
    assertEquals(
        ConcordanceCorrelation.class,
        Metrics.get("concordance_correlation", shape, shape).getClass());
    // Keras sets _direction "up" on each, which EarlyStopping(mode="auto") follows.
    for (Metric m :
        List.of(
            new CosineSimilarity(),
            new PearsonCorrelation(),
            new ConcordanceCorrelation(),
            new IoU(2, List.of(1)),
            new BinaryIoU(),
            new MeanIoU(2),
            new OneHotIoU(2, List.of(0)),
            new OneHotMeanIoU(2))) {
      assertEquals("up", m.direction(), m.className());
    }
  }

  // ---- reference data ------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cases() {
    return (List<Map<String, Object>>) reference.get("cases");
  }

  @SuppressWarnings("unchecked")
  private static List<List<Integer>> batches() {
    return (List<List<Integer>>) reference.get("batches");
  }

  /** {y_true, y_pred} of a data kind, as (samples, values) arrays. */
  @SuppressWarnings("unchecked")
  private static float[][][] data(String kind) {
    Map<String, Object> d = ((Map<String, Map<String, Object>>) reference.get("data")).get(kind);
    return new float[][][] {rows(d.get("y_true")), rows(d.get("y_pred"))};
  }

  private static float[][] rows(Object v) {
    List<?> list = (List<?>) v;
    float[][] out = new float[list.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = floats(list.get(i));
    }
    return out;
  }

  private static float[] floats(Object v) {
    double[] d = doubles(v);
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) d[i];
    }
    return out;
  }

  private static double[] doubles(Object v) {
    return ((List<?>) v).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
  }

  /**
   * JSON-like values with every number as a double, so 0 and 0.0 compare equal, and Keras's {@code
   * __tensor__} objects as their value lists (Keras writes AUC's label_weights so, but cannot read
   * that back; jkeras writes the list).
   */
  static Object normalized(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Map<?, ?> m
        && "__tensor__".equals(m.get("class_name"))
        && m.get("config") instanceof Map<?, ?> t) {
      return normalized(t.get("value"));
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, normalized(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(MetricParityTest::normalized).toList();
    }
    return v;
  }
}
