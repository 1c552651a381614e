package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.models.Model;
import io.jkeras.testing.PythonKeras;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * {@code fit}/{@code evaluate}/{@code predict} options against Keras 3.15.1 (one Python process,
 * src/test/python/training/fit_options.py): Python saves each case's compiled model untrained and
 * trains it; jkeras loads the same file, trains it with the same options, and the history of every
 * epoch, the trained weights and the evaluation agree within 1e-5 (relative above 1).
 *
 * <ul>
 *   <li>sample weights: loss {@code sum(w * l) / batch}, unweighted compiled metrics, weighted
 *       validation data;
 *   <li>class weights with a validation split (the held-out samples unweighted);
 *   <li>steps per epoch continuing a pass across epochs (epoch 2 runs out of data after one step,
 *       epoch 3 starts a new pass) and validation steps, from arrays and from a streamed {@code
 *       Iterable<Batch>};
 *   <li>inputs, labels and per-output sample weights by name on a two-input, two-output model, and
 *       predictions by output name.
 * </ul>
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FitOptionsParityTest {

  @TempDir static Path dir;
  private static JsonNode results;
  private static HostArray x;
  private static HostArray y;
  private static HostArray w;
  private static HostArray xa;
  private static HostArray xb;
  private static HostArray y2;
  private static HostArray w2;

  @BeforeAll
  static void python() throws IOException {
    PythonKeras.runScript("training/fit_options.py", dir.toString());
    results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    x = matrix(results.get("x"));
    y = vector(results.get("y"));
    w = vector(results.get("w"));
    xa = matrix(results.get("xa"));
    xb = matrix(results.get("xb"));
    y2 = vector(results.get("y2"));
    w2 = vector(results.get("w2"));
  }

  @Test
  void sampleWeightsWeighTheLossAndNotTheCompiledMetrics() {
    try (Model m = Model.load(dir.resolve("sample_weight.keras"))) {
      History h =
          m.fit(
              x,
              y,
              quiet(2).sampleWeight(w).validationData(rows(x, 0, 6), rows(y, 0, 6), rows(w, 0, 6)));
      Map<String, Double> ev =
          m.evaluate(List.of(x), List.of(y), EvaluateOptions.batchSize(8).sampleWeight(w));
      check("sample_weight", m, h, ev);
    }
  }

  @Test
  void classWeightsWeighTheTrainingSamplesByLabel() {
    try (Model m = Model.load(dir.resolve("class_weight.keras"))) {
      History h = m.fit(x, y, quiet(2).classWeight(Map.of(0, 0.5, 1, 3.0)).validationSplit(0.25));
      check("class_weight", m, h, m.evaluate(List.of(x), List.of(y), 8));
    }
  }

  @Test
  void stepsPerEpochContinueThePassAcrossEpochs() {
    try (Model m = Model.load(dir.resolve("steps.keras"))) {
      History h = m.fit(x, y, quiet(3).stepsPerEpoch(2).validationData(x, y).validationSteps(1));
      Map<String, Double> ev =
          m.evaluate(List.of(x), List.of(y), EvaluateOptions.batchSize(8).steps(2));
      check("steps", m, h, ev);
    }
  }

  @Test
  void streamedBatchesTrainAsArraysDo() {
    // The same 20 samples as batches of 8, 8 and 4, a new iterator for every pass.
    Iterable<Batch> batches = () -> batches(8).iterator();
    try (Model m = Model.load(dir.resolve("steps.keras"))) {
      History h =
          m.fit(
              batches,
              FitOptions.epochs(3)
                  .verbose(0)
                  .stepsPerEpoch(2)
                  .validationData(batches)
                  .validationSteps(1));
      check("steps", m, h, m.evaluate(batches, EvaluateOptions.defaults().steps(2)));
    }
  }

  @Test
  void streamedBatchesWithoutStepsRunOnePassPerEpoch() {
    // Each epoch is a whole pass over the list (a new iterator each time): two epochs on weighted
    // batches of 8, 8 and 4 train exactly as the same arrays with sample weights do.
    List<Batch> weighted = new ArrayList<>();
    for (int start = 0; start < 20; start += 8) {
      int end = Math.min(20, start + 8);
      weighted.add(
          Batch.of(rows(x, start, end), rows(y, start, end)).withSampleWeight(rows(w, start, end)));
    }
    try (Model ref = Model.load(dir.resolve("sample_weight.keras"));
        Model m = Model.load(dir.resolve("sample_weight.keras"))) {
      History expected = ref.fit(x, y, quiet(2).sampleWeight(w));
      History h = m.fit(weighted, FitOptions.epochs(2).verbose(0));
      assertEquals(expected.get("loss"), h.get("loss"));
      for (int i = 0; i < ref.getWeights().size(); i++) {
        assertEquals(flat(ref.getWeights().get(i)), flat(m.getWeights().get(i)), "weight " + i);
      }
    }
  }

  @Test
  void namedInputsOutputsAndWeights() {
    try (Model m = Model.load(dir.resolve("named.keras"))) {
      assertEquals(List.of("a", "b"), m.inputNames());
      assertEquals(List.of("click", "value"), m.outputNames());
      Map<String, HostArray> xs = Map.of("b", xb, "a", xa, "unused", y);
      Map<String, HostArray> ys = Map.of("value", y2, "click", y);
      Map<String, HostArray> sws = Map.of("value", w2, "click", w);
      History h = m.fit(xs, ys, quiet(2).sampleWeights(sws).validationData(xs, ys, sws));
      Map<String, Double> ev = m.evaluate(xs, ys, EvaluateOptions.batchSize(8).sampleWeights(sws));
      JsonNode c = results.get("cases").get("named");
      for (String key : List.of("loss", "val_loss")) {
        closeAll("named " + key, c.get("history").get(key), h.get(key));
      }
      close("named evaluate loss", c.get("evaluate").get("loss").asDouble(), ev.get("loss"));
      checkWeights("named", c, m);
      Map<String, FloatNdArray> p = m.predict(xs, 32);
      assertEquals(List.of("click", "value"), List.copyOf(p.keySet()));
      closeAll("named predict click", c.get("predict").get(0), flat(p.get("click")));
      closeAll("named predict value", c.get("predict").get(1), flat(p.get("value")));

      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class, () -> m.predict(Map.of("a", xa, "c", xb), 32));
      assertTrue(missing.getMessage().contains("[b]"), missing.getMessage());
    }
  }

  @Test
  void badWeightsAreRefusedWithTheirShapes() {
    try (Model m = Model.load(dir.resolve("sample_weight.keras"))) {
      IllegalArgumentException count =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.fit(x, y, quiet(1).sampleWeight(rows(w, 0, 5))));
      assertTrue(count.getMessage().contains("20 input samples but 5 sample weights"));
      IllegalArgumentException both =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.fit(x, y, quiet(1).sampleWeight(w).classWeight(Map.of(1, 2.0))));
      assertTrue(both.getMessage().contains("class_weight and sample_weight"));
      HostArray wide = HostArray.ofFloats(Shape.of(20, 3), new float[60]);
      IllegalArgumentException shape =
          assertThrows(
              IllegalArgumentException.class, () -> m.fit(x, y, quiet(1).sampleWeight(wide)));
      assertTrue(shape.getMessage().contains("(20, 3)"), shape.getMessage());
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static FitOptions quiet(int epochs) {
    return FitOptions.epochs(epochs).batchSize(8).shuffle(false).verbose(0);
  }

  private static List<Batch> batches(int size) {
    List<Batch> out = new ArrayList<>();
    for (int start = 0; start < 20; start += size) {
      int end = Math.min(20, start + size);
      out.add(Batch.of(rows(x, start, end), rows(y, start, end)));
    }
    return out;
  }

  private static void check(String name, Model m, History h, Map<String, Double> ev) {
    JsonNode c = results.get("cases").get(name);
    for (Iterator<String> it = c.get("history").fieldNames(); it.hasNext(); ) {
      String key = it.next();
      closeAll(name + " " + key, c.get("history").get(key), h.get(key));
    }
    for (Iterator<String> it = c.get("evaluate").fieldNames(); it.hasNext(); ) {
      String key = it.next();
      close(name + " evaluate " + key, c.get("evaluate").get(key).asDouble(), ev.get(key));
    }
    checkWeights(name, c, m);
  }

  private static void checkWeights(String name, JsonNode c, Model m) {
    List<FloatNdArray> weights = m.getWeights();
    assertEquals(c.get("weights").size(), weights.size());
    for (int i = 0; i < weights.size(); i++) {
      closeAll(name + " weight " + i, c.get("weights").get(i), flat(weights.get(i)));
    }
  }

  private static void closeAll(String what, JsonNode expected, List<Double> actual) {
    assertEquals(expected.size(), actual.size(), what + ": " + actual);
    for (int i = 0; i < actual.size(); i++) {
      close(what + "[" + i + "]", expected.get(i).asDouble(), actual.get(i));
    }
  }

  private static void close(String what, double expected, Double actual) {
    double tol = 1e-5 * Math.max(1, Math.abs(expected));
    assertEquals(expected, actual, tol, what);
  }

  private static List<Double> flat(FloatNdArray a) {
    List<Double> out = new ArrayList<>();
    a.scalars().forEach(s -> out.add((double) s.getFloat()));
    return out;
  }

  private static HostArray matrix(JsonNode rows) {
    int n = rows.size();
    int d = rows.get(0).size();
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        v[i * d + j] = (float) rows.get(i).get(j).asDouble();
      }
    }
    return HostArray.ofFloats(Shape.of(n, d), v);
  }

  private static HostArray vector(JsonNode values) {
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values.get(i).asDouble();
    }
    return HostArray.of(v);
  }

  private static HostArray rows(HostArray a, int from, int to) {
    long per = a.shape().size() / a.count();
    float[] v = new float[(int) ((to - from) * per)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) a.valueAt(from * per + i);
    }
    long[] dims = a.shape().asArray();
    dims[0] = to - from;
    return HostArray.ofFloats(Shape.of(dims), v);
  }
}
