package io.jkeras.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Lambda;
import io.jkeras.layers.UnitNormalization;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.EvaluateOptions;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Dice, Tversky and Circle against Python Keras 3.15.1 on the same inputs: one Python process
 * ({@code src/test/python/losses/loss_values.py}) gives each loss's config, its value on arrays for
 * every reduction, the loss {@code evaluate} logs with sample weights for an identity model
 * compiled with it, and one SGD step of a small embedding model trained with each.
 */
class LossParityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static Map<String, Object> reference;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void runKeras() throws Exception {
    Path values = dir.resolve("values.json");
    PythonKeras.runScript("losses/loss_values.py", values.toString());
    reference = JSON.readValue(Files.readString(values), Map.class);
  }

  @Test
  void configsAndValuesOnArraysEqualKeras() {
    List<String> failures = new ArrayList<>();
    for (Map<String, Object> c : cases()) {
      Map<String, Object> config = config(c);
      Loss loss = Losses.fromConfig((String) c.get("class_name"), config);
      String label = c.get("class_name") + " " + config;
      assertEquals(normalized(config), normalized(loss.getConfig()), label + ": config");
      FloatNdArray value = loss.call(array(c, "y_true"), array(c, "y_pred"));
      long[] shape =
          ((List<?>) c.get("shape")).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
      assertArrayEquals(shape, value.shape().asArray(), label + ": shape");
      float[] actual = new float[(int) value.size()];
      value.copyTo(DataBuffers.of(actual, false, false));
      double[] expected = doubles(c.get("result"));
      for (int i = 0; i < expected.length; i++) {
        if (Math.abs(expected[i] - actual[i]) > 1e-5 * Math.max(1, Math.abs(expected[i]))) {
          failures.add(label + " [" + i + "]: Keras " + expected[i] + ", jkeras " + actual[i]);
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertEquals(25, cases().size());
  }

  @Test
  void evaluateWithSampleWeightsLogsKerasLoss() {
    int checked = 0;
    for (Map<String, Object> c : cases()) {
      if (c.get("weighted_evaluate") == null) {
        continue;
      }
      Loss loss = Losses.fromConfig((String) c.get("class_name"), config(c));
      FloatNdArray x = array(c, "y_pred");
      long[] features = x.shape().tail().asArray();
      KerasTensor in = Input.of(features);
      try (Model m = new Model(in, new Lambda((tf, v) -> tf.identity(v)).apply(in))) {
        m.compile(new SGD(), loss, List.of());
        Map<String, Double> logs =
            m.evaluate(
                List.of(HostArray.of(x)),
                List.of(HostArray.of(array(c, "y_true"))),
                EvaluateOptions.batchSize((int) x.shape().get(0))
                    .sampleWeight(HostArray.of(array(c, "sample_weight"))));
        double want = ((Number) c.get("weighted_evaluate")).doubleValue();
        assertEquals(
            want,
            logs.get("loss"),
            1e-5 * Math.max(1, want),
            c.get("class_name") + " " + config(c));
      }
      checked++;
    }
    assertEquals(15, checked);
  }

  @Test
  @SuppressWarnings("unchecked")
  void oneTrainingStepMovesTheWeightsAsKeras() {
    Map<String, Object> fit = (Map<String, Object>) reference.get("fit");
    Map<String, Map<String, Object>> steps = (Map<String, Map<String, Object>>) fit.get("steps");
    Map<String, Loss> losses =
        Map.of(
            "circle", new Circle(),
            "dice", new Dice(List.of(1)),
            "tversky", new Tversky(0.3, 0.7, null));
    assertEquals(losses.keySet(), steps.keySet());
    for (Map.Entry<String, Loss> e : losses.entrySet()) {
      Map<String, Object> step = steps.get(e.getKey());
      KerasTensor in = Input.of(3);
      KerasTensor dense = Dense.builder(4).useBias(false).build().apply(in);
      try (Model m = new Model(in, new UnitNormalization().apply(dense))) {
        m.setWeights(List.of(nd(fit.get("kernel"))));
        m.compile(new SGD(0.1), e.getValue(), List.of());
        History h =
            m.fit(
                HostArray.of(nd(fit.get("x"))),
                HostArray.of(nd(step.get("y"))),
                FitOptions.epochs(1).batchSize(8).shuffle(false));
        double loss = ((Number) step.get("loss")).doubleValue();
        assertEquals(loss, h.last("loss"), 1e-5 * Math.max(1, loss), e.getKey() + ": loss");
        FloatNdArray want = nd(step.get("kernel"));
        FloatNdArray got = m.getWeights().get(0);
        want.scalars()
            .forEachIndexed(
                (i, v) ->
                    assertEquals(
                        v.getFloat(), got.getFloat(i), 1e-4, e.getKey() + ": kernel " + i[0]));
      }
    }
  }

  @Test
  void compileByKerasStringNames() {
    assertEquals(Dice.class, Losses.get("dice").getClass());
    assertEquals(Tversky.class, Losses.get("tversky").getClass());
    assertEquals(Circle.class, Losses.get("circle").getClass());
    assertEquals(Circle.class, Losses.get("Circle").getClass());
    KerasTensor in = Input.of(3);
    try (Model m = new Model(in, new Lambda((tf, v) -> tf.identity(v)).apply(in))) {
      m.compile("sgd", "dice");
      // dice([[1, 0, 1]], [[0.5, 0.5, 1]]) = 1 - 2 * 1.5 / (2 + 2 + 1e-7)
      double loss =
          m.evaluate(
                  HostArray.of(new float[][] {{0.5f, 0.5f, 1}}),
                  HostArray.of(new float[][] {{1, 0, 1}}))
              .get("loss");
      assertEquals(1 - 3 / (4 + 1e-7), loss, 1e-6);
    }
  }

  // ---- reference data ------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cases() {
    return (List<Map<String, Object>>) reference.get("cases");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(Map<String, Object> c) {
    return (Map<String, Object>) c.get("config");
  }

  /** The case's data array {@code key} (y_true, y_pred or sample_weight) with its shape. */
  @SuppressWarnings("unchecked")
  private static FloatNdArray array(Map<String, Object> c, String key) {
    Map<String, Object> d =
        ((Map<String, Map<String, Object>>) reference.get("data")).get((String) c.get("data"));
    return nd(d.get(key));
  }

  /** Nested JSON lists of numbers as an array of their shape. */
  private static FloatNdArray nd(Object nested) {
    List<Long> shape = new ArrayList<>();
    Object v = nested;
    while (v instanceof List<?> l) {
      shape.add((long) l.size());
      v = l.get(0);
    }
    List<Float> flat = new ArrayList<>();
    flatten(nested, flat);
    float[] values = new float[flat.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = flat.get(i);
    }
    FloatNdArray out =
        NdArrays.ofFloats(Shape.of(shape.stream().mapToLong(Long::longValue).toArray()));
    out.copyFrom(DataBuffers.of(values, false, false));
    return out;
  }

  private static void flatten(Object v, List<Float> out) {
    if (v instanceof List<?> l) {
      l.forEach(x -> flatten(x, out));
    } else {
      out.add(((Number) v).floatValue());
    }
  }

  private static double[] doubles(Object v) {
    return ((List<?>) v).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
  }

  /** JSON-like values with every number as a double, so 80 and 80.0 compare equal. */
  private static Object normalized(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, normalized(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(LossParityTest::normalized).toList();
    }
    return v;
  }
}
