package io.jkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.KerasObjects;
import io.jkeras.KerasSerializable;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.constraints.MaxNorm;
import io.jkeras.constraints.MinMaxNorm;
import io.jkeras.constraints.NonNeg;
import io.jkeras.constraints.UnitNorm;
import io.jkeras.regularizers.L1;
import io.jkeras.regularizers.L1L2;
import io.jkeras.regularizers.L2;
import io.jkeras.regularizers.OrthogonalRegularizer;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.testing.PythonKeras;
import io.jkeras.testing.TfEval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Initializers, regularizers and constraints against real Keras 3, in one Python process: configs
 * jkeras writes are loaded by Keras (and give back the same config, shapes and numbers), and
 * configs Keras writes are loaded by jkeras.
 */
class KerasInteropTest {

  private static final String INITIALIZERS = "keras.initializers";
  private static final String REGULARIZERS = "keras.regularizers";
  private static final String CONSTRAINTS = "keras.constraints";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** One of each class, with non-default arguments, in Keras's nested-object form. */
  private static List<Map<String, Object>> jkerasObjects() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Initializer i :
        List.of(
            new Zeros(),
            new Ones(),
            new Constant(0.375),
            new Identity(),
            new RandomUniform(-0.25, 0.5, 7L),
            new RandomNormal(0.125, 0.25, 8L),
            new TruncatedNormal(0.0, 0.5, 9L),
            new VarianceScaling(2.0, "fan_out", "uniform", 10L, List.of(0, 1), List.of(2)),
            new VarianceScaling(0.5, "fan_avg", "untruncated_normal", null),
            new GlorotUniform(11L),
            new GlorotNormal(),
            new HeUniform(),
            new HeNormal(12L),
            new LecunUniform(),
            new LecunNormal(null, List.of(1), List.of(0, 2)),
            new Orthogonal(1.5, 13L))) {
      out.add(KerasObjects.serialize(INITIALIZERS, i));
    }
    for (Regularizer r :
        List.of(
            new L1(0.25),
            new L2(0.125),
            new L1L2(0.0625, 0.5),
            new OrthogonalRegularizer(0.5, "columns"),
            new OrthogonalRegularizer(0.25, "rows"))) {
      out.add(KerasObjects.serialize(REGULARIZERS, r));
    }
    for (Constraint c :
        List.of(
            new MaxNorm(1.5, List.of(0, 1)),
            new MaxNorm(0.5, (List<Integer>) null),
            new MinMaxNorm(0.5, 2.0, 0.75, 1),
            new NonNeg(),
            new UnitNorm(-1))) {
      out.add(KerasObjects.serialize(CONSTRAINTS, c));
    }
    return out;
  }

  /** What {@code weight_objects.py} builds in Keras for its "written" list, in jkeras. */
  private static final List<KerasSerializable> KERAS_WRITTEN =
      List.of(
          new VarianceScaling(0.5, "fan_avg", "truncated_normal", 3L, List.of(0, 1), List.of(2)),
          new GlorotNormal(4L),
          new GlorotUniform(8L), // Keras wrote its seed as a SeedGenerator
          new GlorotUniform(),
          new HeNormal(),
          new HeUniform(5L),
          new LecunNormal(),
          new LecunUniform(),
          new RandomUniform(-1.0, 2.0, 6L),
          new RandomNormal(1.0, 0.5),
          new TruncatedNormal(0.0, 2.0),
          new Constant(3.0),
          new Identity(), // Keras's Identity config is empty: its gain is not saved
          new Orthogonal(0.5, 7L),
          new Zeros(),
          new Ones(),
          new L1(0.25),
          new L2(0.125),
          new L1L2(0.5, 0.0),
          new OrthogonalRegularizer(0.5, "columns"),
          new MaxNorm(3.0, List.of(0, 1)),
          new MaxNorm(2.0, (List<Integer>) null),
          new MinMaxNorm(0.5, 2.0, 0.25, -1),
          new NonNeg(),
          new UnitNorm(List.of(0, 1)));

  @Test
  @SuppressWarnings("unchecked")
  void configsRoundTripWithKeras() throws IOException {
    long[] weightShape = {4, 3};
    float[] weight = {0.5f, -1.25f, 2f, 0f, 0.75f, -0.5f, 3f, 1f, -2f, 0.25f, -0.125f, 1.5f};
    List<Map<String, Object>> objects = jkerasObjects();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("objects", objects);
    spec.put("weight", weight);
    spec.put("weight_shape", weightShape);
    Path specFile = dir.resolve("spec.json");
    Files.writeString(specFile, JSON.writeValueAsString(spec));

    PythonKeras.Result r =
        PythonKeras.runScript("initializers/weight_objects.py", specFile.toString());
    String[] lines = r.stdout().trim().split("\n");
    Map<String, Object> out = JSON.readValue(lines[lines.length - 1], Map.class);

    List<Map<String, Object>> loaded = (List<Map<String, Object>>) out.get("loaded");
    assertEquals(objects.size(), loaded.size());
    for (int i = 0; i < objects.size(); i++) {
      Map<String, Object> ours = objects.get(i);
      Map<String, Object> entry = loaded.get(i);
      Map<String, Object> keras = (Map<String, Object>) entry.get("serialized");
      String what = ours.get("class_name") + " " + ours.get("config");
      assertEquals(ours.get("module"), keras.get("module"), what);
      assertEquals(ours.get("class_name"), keras.get("class_name"), what);
      assertSameJson(ours.get("config"), keras.get("config"), what);
      // Keras's config read back by jkeras gives the object we started from.
      KerasSerializable original = read(ours);
      assertEquals(original, read(keras), what);
      try (TfEval t = new TfEval()) {
        if (original instanceof Initializer) {
          assertEquals(
              ours.get("class_name").equals("Identity") ? List.of(3, 4) : List.of(3, 4, 5),
              entry.get("shape"),
              what);
        } else if (original instanceof Regularizer reg) {
          float penalty = t.run1(reg.apply(t.tf, t.constant(weight, weightShape)))[0];
          double kerasPenalty = ((Number) entry.get("value")).doubleValue();
          assertTrue(TfEval.close(penalty, kerasPenalty, 1e-6, 1e-7), what + ": " + penalty);
        } else {
          float[] projected =
              t.run1(((Constraint) original).apply(t.tf, t.constant(weight, weightShape)));
          List<Number> kerasProjected = (List<Number>) entry.get("value");
          assertEquals(weight.length, kerasProjected.size(), what);
          for (int k = 0; k < weight.length; k++) {
            double expected = kerasProjected.get(k).doubleValue();
            if (!TfEval.close(projected[k], expected, 1e-6, 1e-7)) {
              fail(what + "[" + k + "] = " + projected[k] + ", Keras " + expected);
            }
          }
        }
      }
    }

    List<Map<String, Object>> written = (List<Map<String, Object>>) out.get("written");
    assertEquals(KERAS_WRITTEN.size(), written.size());
    for (int i = 0; i < written.size(); i++) {
      assertEquals(KERAS_WRITTEN.get(i), read(written.get(i)), String.valueOf(written.get(i)));
    }
  }

  /** Rebuilds a nested Keras object with the registry of its module. */
  @SuppressWarnings("unchecked")
  private static KerasSerializable read(Map<String, Object> object) {
    String className = (String) object.get("class_name");
    Map<String, Object> config = (Map<String, Object>) object.get("config");
    return switch ((String) object.get("module")) {
      case INITIALIZERS -> Initializers.fromConfig(className, config);
      case REGULARIZERS -> Regularizers.fromConfig(className, config);
      case CONSTRAINTS -> Constraints.fromConfig(className, config);
      default -> throw new AssertionError("unexpected module in " + object);
    };
  }

  /** Equal JSON values, numbers compared by value (Keras may write 2 where jkeras writes 2.0). */
  private static void assertSameJson(Object expected, Object actual, String what) {
    if (expected instanceof Number e && actual instanceof Number a) {
      assertEquals(e.doubleValue(), a.doubleValue(), what);
    } else if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
      assertEquals(e.keySet(), a.keySet(), what);
      for (Object key : e.keySet()) {
        assertSameJson(e.get(key), a.get(key), what + "." + key);
      }
    } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
      assertEquals(e.size(), a.size(), what);
      for (int i = 0; i < e.size(); i++) {
        assertSameJson(e.get(i), a.get(i), what + "[" + i + "]");
      }
    } else {
      assertEquals(expected, actual, what);
    }
  }
}
