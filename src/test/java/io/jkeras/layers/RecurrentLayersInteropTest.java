package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.JkerasCli;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * Recurrent layers against real Python Keras 3.15.1, both ways, with two Python processes in all
 * (src/test/python/layers/recurrent_layers.py): Python's models (SimpleRNN, LSTM, GRU with both
 * reset_after forms, RNN over each cell, Bidirectional in every merge mode, TimeDistributed,
 * return_state, go_backwards, Embedding masks with left, right, inner and whole-row padding) load
 * in Java with Keras's predictions (1e-5) and summary text, train one epoch (dropout and recurrent
 * dropout active) and save, and Python loads the result with Java's predictions; the same models
 * built with jkeras's API, given Python's weights, load in Python with Python's predictions and the
 * same layer configs. The LSTM text classifier also goes through {@code jkeras predict} and {@code
 * jkeras convert}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecurrentLayersInteropTest {

  /** Python's cases built with jkeras's API. */
  static final Map<String, Supplier<Model>> TWINS = new LinkedHashMap<>();

  static {
    seq("simple_rnn", SimpleRNN.builder(4).name("layer").build());
    seq(
        "simple_rnn_options",
        SimpleRNN.builder(3)
            .activation("relu")
            .useBias(false)
            .returnSequences(true)
            .goBackwards(true)
            .kernelInitializer("he_normal")
            .recurrentRegularizer("l2")
            .dropout(0.2)
            .recurrentDropout(0.1)
            .name("layer")
            .build());
    seq("lstm", LSTM.builder(4).name("layer").build());
    seq(
        "lstm_options",
        LSTM.builder(3)
            .activation("relu")
            .recurrentActivation("hard_sigmoid")
            .unitForgetBias(false)
            .returnSequences(true)
            .goBackwards(true)
            .kernelRegularizer("l2")
            .biasConstraint("non_neg")
            .dropout(0.1)
            .recurrentDropout(0.2)
            .seed(7L)
            .name("layer")
            .build());
    seq("lstm_dropout_only", LSTM.builder(3).dropout(0.3).useBias(false).name("layer").build());
    seq("gru", GRU.builder(4).name("layer").build());
    seq(
        "gru_reset_before",
        GRU.builder(3)
            .resetAfter(false)
            .returnSequences(true)
            .recurrentDropout(0.1)
            .dropout(0.1)
            .name("layer")
            .build());
    seq(
        "gru_no_bias_backwards",
        GRU.builder(3).useBias(false).goBackwards(true).name("layer").build());
    seq(
        "rnn_lstm_cell",
        RNN.builder(LSTM.builder(3).name("cell").buildCell())
            .returnSequences(true)
            .name("layer")
            .build());
    seq("rnn_gru_cell", RNN.builder(GRU.builder(2).name("cell").buildCell()).name("layer").build());
    seq(
        "rnn_simple_cell_backwards",
        RNN.builder(SimpleRNN.builder(2).name("cell").buildCell())
            .goBackwards(true)
            .name("layer")
            .build());
    seq(
        "bidirectional",
        Bidirectional.builder(LSTM.builder(3).returnSequences(true).name("lstm").build())
            .name("layer")
            .build(),
        new TimeDistributed(Dense.builder(2).name("dense").build(), "time_distributed"));
    seq(
        "bidirectional_sum",
        Bidirectional.builder(GRU.builder(3).name("gru").build())
            .mergeMode("sum")
            .name("layer")
            .build());
    seq(
        "bidirectional_backward_layer_mul",
        Bidirectional.builder(SimpleRNN.builder(2).returnSequences(true).name("simple_rnn").build())
            .backwardLayer(
                SimpleRNN.builder(2)
                    .returnSequences(true)
                    .goBackwards(true)
                    .activation("relu")
                    .name("back")
                    .build())
            .mergeMode("mul")
            .name("layer")
            .build());
    seq(
        "bidirectional_ave",
        Bidirectional.builder(LSTM.builder(2).name("lstm").build())
            .mergeMode("ave")
            .name("layer")
            .build());
    TWINS.put(
        "time_distributed",
        () -> {
          Sequential s = new Sequential("time_distributed");
          s.add(Input.of(4, 5));
          s.add(
              new TimeDistributed(
                  Dense.builder(3).activation("relu").name("dense").build(), "layer"));
          return s;
        });
    ids(
        "masked_lstm",
        LSTM.builder(3).returnSequences(true).name("layer").build(),
        LSTM.builder(2).name("lstm_2").build());
    ids(
        "masked_gru_backwards",
        GRU.builder(3).goBackwards(true).returnSequences(true).name("layer").build(),
        new GlobalAveragePooling1D("pool"));
    ids(
        "masked_bidirectional",
        Bidirectional.builder(GRU.builder(3).returnSequences(true).name("gru").build())
            .name("layer")
            .build(),
        new GlobalAveragePooling1D("pool"),
        Dense.builder(1).name("dense").build());
    ids(
        "masked_simple_rnn_zero_output",
        SimpleRNN.builder(2).returnSequences(true).zeroOutputForMask(true).name("layer").build());
    TWINS.put("text_classifier", RecurrentLayersInteropTest::textClassifier);
    TWINS.put(
        "lstm_return_state",
        () -> {
          KerasTensor x = Input.named("x", "float32", 5, 3);
          List<KerasTensor> outs =
              LSTM.builder(3).returnState(true).name("layer").build().apply(List.of(x));
          KerasTensor y =
              Dense.builder(2)
                  .name("dense")
                  .build()
                  .apply(new Concatenate(-1, "concat").apply(outs).get(0));
          return new Model(List.of(x), List.of(y), "lstm_return_state");
        });
    TWINS.put(
        "bidirectional_none_return_state",
        () -> {
          KerasTensor x = Input.named("x", "float32", 5, 3);
          List<KerasTensor> outs =
              Bidirectional.builder(
                      SimpleRNN.builder(2).returnState(true).name("simple_rnn").build())
                  .mergeMode(null)
                  .name("layer")
                  .build()
                  .apply(List.of(x));
          KerasTensor y =
              Dense.builder(2)
                  .name("dense")
                  .build()
                  .apply(new Concatenate(-1, "concat").apply(outs).get(0));
          return new Model(List.of(x), List.of(y), "bidirectional_none_return_state");
        });
  }

  private static void seq(String name, Layer... layers) {
    TWINS.put(
        name,
        () -> {
          Sequential s = new Sequential(name);
          s.add(Input.of(5, 3));
          for (Layer l : layers) {
            s.add(l);
          }
          return s;
        });
  }

  private static void ids(String name, Layer... layers) {
    TWINS.put(
        name,
        () -> {
          Sequential s = new Sequential(name);
          s.add(Input.of("int32", 6));
          s.add(Embedding.builder(10, 4).maskZero(true).name("embedding").build());
          for (Layer l : layers) {
            s.add(l);
          }
          return s;
        });
  }

  /** The done-when model: padded ids, Embedding(mask_zero=True), LSTM, a sigmoid. */
  static Sequential textClassifier() {
    Sequential s = new Sequential("text_classifier");
    s.add(Input.of("int32", 10));
    s.add(Embedding.builder(20, 8).maskZero(true).name("embedding").build());
    s.add(LSTM.builder(6).name("lstm").build());
    s.add(Dense.builder(1).activation("sigmoid").name("probability").build());
    return s;
  }

  private static Path dir;

  /** Python's side makes 23 models in one process: minutes on a busy two-core machine. */
  @BeforeAll
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  static void pythonMakesTheFiles() throws IOException {
    dir = Files.createTempDirectory("jkeras-recurrent-");
    PythonKeras.runScript(
        PythonKeras.script("layers/recurrent_layers.py"),
        Duration.ofMinutes(15),
        "make",
        dir.toString());
  }

  @AfterAll
  static void deleteTheFiles() throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @Order(1)
  void pythonFilesPredictAndSummarizeAsKerasAndTrainInJava() throws IOException {
    List<String> failures = new ArrayList<>();
    for (String name : TWINS.keySet()) {
      try {
        NpyArray x = NpyFile.read(dir.resolve(name + ".x.npy"));
        NpyArray y = NpyFile.read(dir.resolve(name + ".y.npy"));
        NpyArray predicted = NpyFile.read(dir.resolve(name + ".pred.npy"));
        float[] pred = predicted.asFloats();
        String summary = Files.readString(dir.resolve(name + ".summary.txt"));
        try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
          assertArrayEquals(pred, predict(model, x), 1e-5f, name + ": predictions");
          assertEquals(summary.strip(), model.summaryString(76).strip(), name + ": summary");
          model.fit(
              List.of(host(x)), List.of(host(y)), FitOptions.epochs(1).batchSize(2).verbose(0));
          float[] after = predict(model, x);
          assertTrue(maxDiff(pred, after) > 0, name + ": one epoch changed the predictions");
          KerasModelFile.save(model, dir.resolve("java_" + name + ".keras"));
          NpyFile.write(
              dir.resolve("java_" + name + ".pred.npy"),
              NpyArray.ofFloats(predicted.shape(), after));
        }
      } catch (AssertionError | RuntimeException e) {
        failures.add(name + ": " + e);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  @Order(2)
  void javaBuiltTwinsWithPythonsWeightsPredictAsKeras() throws IOException {
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, Supplier<Model>> e : TWINS.entrySet()) {
      String name = e.getKey();
      try {
        NpyArray x = NpyFile.read(dir.resolve(name + ".x.npy"));
        float[] pred = NpyFile.read(dir.resolve(name + ".pred.npy")).asFloats();
        List<FloatNdArray> pythonWeights;
        try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
          pythonWeights = model.getWeights();
        }
        try (Model built = e.getValue().get()) {
          built.setWeights(pythonWeights);
          assertArrayEquals(pred, predict(built, x), 1e-5f, name + ": Java-built predictions");
          KerasModelFile.save(built, dir.resolve("jb_" + name + ".keras"));
        }
      } catch (AssertionError | RuntimeException ex) {
        failures.add(name + ": " + ex);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  @Order(3)
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void pythonLoadsWhatJavaWroteAndTheTextClassifierRunsThroughTheCommandLine() throws IOException {
    PythonKeras.Result r =
        PythonKeras.runScript(
            PythonKeras.script("layers/recurrent_layers.py"),
            Duration.ofMinutes(15),
            "check",
            dir.toString());
    assertTrue(r.stdout().contains("all checks passed"), r.stdout());
    JkerasCli.predictAndConvertBackToKeras(dir, "text_classifier", "text_classifier.x.npy", 4, 1);
  }

  private static HostArray host(NpyArray a) {
    return switch (a.dtype()) {
      case "int32" -> HostArray.ofInts(Shape.of(a.shape()), a.asInts());
      case "int64" -> HostArray.ofLongs(Shape.of(a.shape()), a.asLongs());
      default -> HostArray.ofFloats(Shape.of(a.shape()), a.asFloats());
    };
  }

  private static float[] predict(Model model, NpyArray x) {
    FloatNdArray p = model.predict(List.of(host(x)), 32).get(0);
    float[] v = new float[(int) p.size()];
    p.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  private static double maxDiff(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
