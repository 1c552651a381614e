package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.optimizers.SGD;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Stateful recurrent layers against real Python Keras 3.15.1
 * (src/test/python/layers/stateful_rnn.py, two Python processes): for a stateful SimpleRNN, LSTM
 * (return_sequences), GRU, Bidirectional LSTM and RNN over a SimpleRNNCell reading backwards in a
 * model of batch size 2, Python's file loads in Java and gives Keras's numbers for predict over
 * three batches in a row, the states after it, one more batch without a reset, a batch after
 * resetState, evaluate, and the two epoch losses, weights and states of fit with shuffle=False;
 * Python loads Java's files (after Java ran, so states nonzero) and the same models built with
 * jkeras's API, which store no state and predict from zero states with the same configs.
 * Independently of Python, three batches of a stateful layer equal the non-stateful layer run on
 * the three batches joined along time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulRecurrentTest {

  /** Python's cases, the recurrent layer built with jkeras's API (stateful or not). */
  static final Map<String, Function<Boolean, Layer>> CASES = new LinkedHashMap<>();

  static {
    CASES.put("simple_rnn", s -> SimpleRNN.builder(3).stateful(s).name("layer").build());
    CASES.put("lstm", s -> LSTM.builder(3).stateful(s).returnSequences(true).name("layer").build());
    CASES.put("gru", s -> GRU.builder(3).stateful(s).name("layer").build());
    CASES.put(
        "bidirectional",
        s ->
            Bidirectional.builder(LSTM.builder(2).stateful(s).name("lstm").build())
                .name("layer")
                .build());
    CASES.put(
        "rnn_cell_backwards",
        s ->
            RNN.builder(SimpleRNN.builder(2).name("cell").buildCell())
                .stateful(s)
                .returnSequences(true)
                .goBackwards(true)
                .name("layer")
                .build());
  }

  private static Path dir;

  @BeforeAll
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  static void pythonMakesTheFiles() throws IOException {
    dir = Files.createTempDirectory("jkeras-stateful-");
    PythonKeras.runScript(
        PythonKeras.script("layers/stateful_rnn.py"),
        Duration.ofMinutes(8),
        "make",
        dir.toString());
  }

  @AfterAll
  static void deleteTheFiles() throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Input (2, 3, 4) with a known batch, the recurrent layer, Dense(2), as Python's models. */
  private static Sequential model(String name, Layer recurrent, long batch, long steps) {
    Sequential s = new Sequential(name);
    s.add(Input.withBatchShape(Shape.of(batch, steps, 4), "float32", "input_layer"));
    s.add(recurrent);
    s.add(Dense.builder(2).name("dense").build());
    return s;
  }

  @Test
  @Order(1)
  void pythonFilesPredictEvaluateAndFitStatefullyAsKeras() throws IOException {
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, Function<Boolean, Layer>> e : CASES.entrySet()) {
      String name = e.getKey();
      try {
        NpyArray x = read(name, "x");
        NpyArray y = read(name, "y");
        List<FloatNdArray> pythonWeights;
        try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
          pythonWeights = model.getWeights();
          Layer layer = model.getLayer("layer");
          assertTrue(statefulOf(layer), name + ": stateful read from the config");
          close(name, "pred", predict(model, x, 0, 6), 1e-5);
          close(name, "states", states(layer), 1e-5);
          close(name, "more", predict(model, x, 0, 2), 1e-5);
          reset(layer);
          close(name, "reset", predict(model, x, 2, 4), 1e-5);
          // Java's states are nonzero now: Python must find none in the file.
          KerasModelFile.save(model, dir.resolve("java_" + name + ".keras"));
          model.compile(new SGD(0.1), "mse");
          reset(layer);
          double loss =
              model.evaluate(List.of(host(x, 0, 6)), List.of(host(y, 0, 6)), 2).get("loss");
          close(name, "eval", new float[] {(float) loss}, 1e-5);
          reset(layer);
          History h =
              model.fit(
                  List.of(host(x, 0, 6)),
                  List.of(host(y, 0, 6)),
                  FitOptions.epochs(2).batchSize(2).shuffle(false).verbose(0));
          List<Double> losses = h.get("loss");
          close(
              name,
              "fit",
              new float[] {losses.get(0).floatValue(), losses.get(1).floatValue()},
              1e-5);
          close(name, "fit_weights", flat(model.getWeights()), 1e-5);
          close(name, "fit_states", states(layer), 1e-5);
        }
        try (Model built = model(name, e.getValue().apply(true), 2, 3)) {
          built.setWeights(pythonWeights);
          close(name, "pred", predict(built, x, 0, 6), 1e-5);
          KerasModelFile.save(built, dir.resolve("jb_" + name + ".keras"));
        }
      } catch (AssertionError | RuntimeException ex) {
        failures.add(name + ": " + ex);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /** Three batches of 3 steps through the stateful layer equal 9 steps through the plain one. */
  @Test
  @Order(2)
  void threeStatefulBatchesEqualTheJoinedSequenceThroughTheLayerThatIsNotStateful()
      throws IOException {
    for (String name : List.of("simple_rnn", "lstm", "gru")) {
      NpyArray x = read(name, "x");
      float[] stateful;
      List<FloatNdArray> weights;
      try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
        stateful = predict(model, x, 0, 6);
        weights = model.getWeights();
      }
      // Batch k holds rows 2k, 2k+1: row r of the joined input is rows r, r+2, r+4 in time.
      float[] xs = x.asFloats();
      float[] joined = new float[2 * 9 * 4];
      for (int k = 0; k < 3; k++) {
        for (int r = 0; r < 2; r++) {
          System.arraycopy(xs, (2 * k + r) * 12, joined, r * 36 + k * 12, 12);
        }
      }
      Layer plain =
          switch (name) {
            case "simple_rnn" -> SimpleRNN.builder(3).returnSequences(true).build();
            case "gru" -> GRU.builder(3).returnSequences(true).build();
            default -> LSTM.builder(3).returnSequences(true).build();
          };
      float[] all;
      try (Model whole = model(name + "_joined", plain, -1, 9)) {
        whole.setWeights(weights);
        FloatNdArray p =
            whole.predict(List.of(HostArray.ofFloats(Shape.of(2, 9, 4), joined)), 2).get(0);
        all = new float[(int) p.size()];
        p.copyTo(DataBuffers.of(all, false, false));
      }
      // The stateful layer's outputs: every step (lstm) or the last step of each batch.
      boolean sequences = name.equals("lstm");
      int steps = sequences ? 3 : 1;
      float[] expected = new float[stateful.length];
      for (int k = 0; k < 3; k++) {
        for (int r = 0; r < 2; r++) {
          for (int t = 0; t < steps; t++) {
            int joinedStep = 3 * k + (sequences ? t : 2);
            System.arraycopy(
                all, (r * 9 + joinedStep) * 2, expected, ((2 * k + r) * steps + t) * 2, 2);
          }
        }
      }
      assertArrayEquals(expected, stateful, 1e-5f, name);
    }
  }

  @Test
  @Order(3)
  void statefulNeedsAKnownBatchSizeAndTheSameBatchSize() {
    Sequential s = new Sequential("unknown_batch");
    s.add(Input.of(3, 4));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.add(GRU.builder(2).stateful(true).name("gru_stateful").build()));
    assertEquals(
        "Layer \"gru_stateful\" (GRU): when using stateful=True in a RNN, the batch size must be"
            + " static. Found dynamic batch size: sequence.shape=(None, 3, 4). Give the Input a"
            + " batch size (Input.withBatchShape)",
        e.getMessage());

    LSTM shared = LSTM.builder(2).stateful(true).name("shared_lstm").build();
    shared.apply(Input.withBatchShape(Shape.of(2, 3, 4), "float32", "two"));
    IllegalArgumentException other =
        assertThrows(
            IllegalArgumentException.class,
            () -> shared.apply(Input.withBatchShape(Shape.of(5, 3, 4), "float32", "five")));
    assertTrue(
        other
            .getMessage()
            .startsWith(
                "Layer \"shared_lstm\" (LSTM): if an RNN is stateful, the batch size of the input"
                    + " sequences must be the same as the batch size of the initial state."
                    + " Expected batch size: 2, received batch size: 5"),
        other.getMessage());

    // A smaller last batch would meet the states of other sequences: refused when it runs.
    try (Model m =
        model("last_batch", GRU.builder(2).stateful(true).name("gru_two").build(), 2, 3)) {
      RuntimeException small =
          assertThrows(
              RuntimeException.class,
              () -> m.predict(List.of(HostArray.ofFloats(Shape.of(5, 3, 4), new float[60])), 2));
      assertTrue(
          small
              .getMessage()
              .contains(
                  "Layer gru_two (GRU) is stateful with batch size 2: every batch must have 2"
                      + " samples (a sample count that is a multiple of 2, and batch size 2);"
                      + " got a batch of] [1]"),
          small.getMessage());
    }

    Bidirectional plain = new Bidirectional(new SimpleRNN(2));
    IllegalStateException notStateful =
        assertThrows(IllegalStateException.class, plain::resetState);
    assertTrue(notStateful.getMessage().contains("needs a stateful layer"));
  }

  @Test
  @Order(4)
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void pythonLoadsJavasFilesWithoutStatesAndWithStatefulConfigs() {
    PythonKeras.Result r =
        PythonKeras.runScript(
            PythonKeras.script("layers/stateful_rnn.py"),
            Duration.ofMinutes(8),
            "check",
            dir.toString());
    assertTrue(r.stdout().contains("all checks passed: 5"), r.stdout());
  }

  private static boolean statefulOf(Layer layer) {
    return layer instanceof Bidirectional b ? b.stateful() : ((RNN) layer).stateful();
  }

  private static void reset(Layer layer) {
    if (layer instanceof Bidirectional b) {
      b.resetStates();
    } else {
      ((RNN) layer).resetState();
    }
  }

  private static float[] states(Layer layer) {
    List<FloatNdArray> all = new ArrayList<>();
    if (layer instanceof Bidirectional b) {
      all.addAll(b.forwardLayer().states());
      all.addAll(b.backwardLayer().states());
    } else {
      all.addAll(((RNN) layer).states());
    }
    return flat(all);
  }

  private static float[] flat(List<FloatNdArray> arrays) {
    List<float[]> parts = new ArrayList<>();
    int n = 0;
    for (FloatNdArray a : arrays) {
      float[] v = new float[(int) a.size()];
      a.copyTo(DataBuffers.of(v, false, false));
      parts.add(v);
      n += v.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static NpyArray read(String name, String what) throws IOException {
    return NpyFile.read(dir.resolve(name + "." + what + ".npy"));
  }

  private static void close(String name, String what, float[] actual, double tolerance)
      throws IOException {
    float[] expected = read(name, what).asFloats();
    assertArrayEquals(expected, actual, (float) tolerance, name + " " + what);
  }

  /** Rows {@code from..to} of {@code a}. */
  private static HostArray host(NpyArray a, int from, int to) {
    long[] shape = a.shape().clone();
    int row = (int) (a.asFloats().length / shape[0]);
    shape[0] = to - from;
    return HostArray.ofFloats(
        Shape.of(shape), Arrays.copyOfRange(a.asFloats(), from * row, to * row));
  }

  private static float[] predict(Model model, NpyArray x, int from, int to) {
    FloatNdArray p = model.predict(List.of(host(x, from, to)), 2).get(0);
    float[] v = new float[(int) p.size()];
    p.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
