package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.CSVLogger;
import io.jkeras.callbacks.Callback;
import io.jkeras.callbacks.EarlyStopping;
import io.jkeras.callbacks.ProgressLogger;
import io.jkeras.callbacks.TerminateOnNaN;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbackTest {

  private static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {2, 1}, {0, 2}};
  private static final float[] Y = {1, -1, 0, 1, -2};

  private static Model linear() {
    KerasTensor in = Input.of(2);
    return new Model(in, new Dense(1).apply(in));
  }

  @Test
  void callbacksSeeEveryEpochAndBatchInOrder() {
    List<String> events = new ArrayList<>();
    Callback recorder =
        new Callback() {
          public void onTrainBegin(TrainingRun run) {
            events.add("train " + run.epochs() + "x" + run.stepsPerEpoch());
          }

          public void onEpochBegin(int epoch) {
            events.add("epoch " + epoch);
          }

          public void onBatchEnd(int batch, Map<String, Double> logs) {
            events.add("batch " + batch);
          }

          public void onEpochEnd(int epoch, Map<String, Double> logs) {
            events.add("end " + epoch + " " + logs.keySet());
          }
        };
    try (Model m = linear()) {
      m.compile(new SGD(0.01), "mse");
      m.fit(
          HostArray.of(X),
          HostArray.of(Y),
          FitOptions.epochs(2)
              .batchSize(2)
              .verbose(0)
              .validationData(HostArray.of(X), HostArray.of(Y))
              .callbacks(recorder));
    }
    assertEquals(
        List.of(
            "train 2x3",
            "epoch 0",
            "batch 0",
            "batch 1",
            "batch 2",
            "end 0 [loss, val_loss]",
            "epoch 1",
            "batch 0",
            "batch 1",
            "batch 2",
            "end 1 [loss, val_loss]"),
        events);
  }

  @Test
  void earlyStoppingStopsWhenTheMonitoredValueStallsAndRestoresTheBest() {
    try (Model m = linear()) {
      // A learning rate this large makes the loss grow from the first step on.
      m.compile(new SGD(5.0), "mse");
      EarlyStopping stop =
          EarlyStopping.builder().monitor("loss").patience(1).restoreBestWeights(true).build();
      History h =
          m.fit(
              HostArray.of(X),
              HostArray.of(Y),
              FitOptions.epochs(20).batchSize(5).shuffle(false).verbose(0).callbacks(stop));
      assertEquals(2, h.epochs().size(), "stopped after patience 1: epochs " + h.epochs());
      assertEquals(1, stop.stoppedEpoch());
      assertTrue(h.get("loss").get(1) > h.get("loss").get(0));
    }
  }

  @Test
  void terminateOnNanStopsAtTheFirstBadBatch() {
    try (Model m = linear()) {
      m.compile(new SGD(1e30), "mse");
      TerminateOnNaN t = new TerminateOnNaN();
      History h =
          m.fit(
              HostArray.of(X),
              HostArray.of(Y),
              FitOptions.epochs(50).batchSize(1).shuffle(false).verbose(0).callbacks(t));
      assertTrue(t.terminated());
      assertTrue(h.epochs().size() < 50);
    }
  }

  /**
   * With raise_error Keras raises at the bad batch, so callbacks' on_train_end does not run; the
   * same model then trains again (nothing left open by the aborted fit).
   */
  @Test
  void terminateOnNanWithRaiseErrorThrowsAtTheBadBatchAndSkipsTrainEnd() {
    try (Model m = linear()) {
      m.compile(new SGD(1e30), "mse");
      boolean[] trainEnded = {false};
      Callback watcher =
          new Callback() {
            @Override
            public void onTrainEnd(Map<String, Double> logs) {
              trainEnded[0] = true;
            }
          };
      TerminateOnNaN t = TerminateOnNaN.builder().raiseError(true).build();
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  m.fit(
                      HostArray.of(X),
                      HostArray.of(Y),
                      FitOptions.epochs(50)
                          .batchSize(1)
                          .shuffle(false)
                          .verbose(0)
                          .callbacks(t, watcher)));
      assertTrue(
          e.getMessage().startsWith("TerminateOnNaN: NaN or Inf loss encountered at batch "),
          e.getMessage());
      assertTrue(t.terminated());
      assertFalse(trainEnded[0]);
      m.compile(new SGD(0.01), "mse");
      History h =
          m.fit(HostArray.of(X), HostArray.of(Y), FitOptions.epochs(1).batchSize(5).verbose(0));
      assertEquals(1, h.epochs().size());
    }
  }

  @Test
  void csvLoggerWritesAHeaderAndOneRowPerEpoch(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("h.csv");
    try (Model m = linear()) {
      m.compile(new SGD(0.01), "mse");
      History h =
          m.fit(
              HostArray.of(X),
              HostArray.of(Y),
              FitOptions.epochs(3).verbose(0).validationSplit(0.4).callbacks(new CSVLogger(csv)));
      List<String> lines = Files.readAllLines(csv);
      assertEquals("epoch,loss,val_loss", lines.get(0));
      assertEquals(4, lines.size());
      String[] last = lines.get(3).split(",");
      assertEquals("2", last[0]);
      assertEquals(h.last("loss"), Double.parseDouble(last[1]), 0);
      assertEquals(h.last("val_loss"), Double.parseDouble(last[2]), 0);
    }
  }

  @Test
  void progressPrintsAKerasLinePerEpochWhenNotOnATerminal() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Model m = linear()) {
      m.compile(new SGD(0.01), "mse");
      m.fit(
          HostArray.of(X),
          HostArray.of(Y),
          FitOptions.epochs(2)
              .batchSize(2)
              .verbose(0)
              .callbacks(
                  new ProgressLogger(2, new PrintStream(buf, true, StandardCharsets.UTF_8))));
    }
    String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals("Epoch 1/2", lines[0]);
    assertTrue(
        lines[1].matches("3/3 - \\d+s - \\d+(ms|us|s)/step - loss: \\d+\\.\\d{4}"), lines[1]);
    assertEquals("Epoch 2/2", lines[2]);
    ByteArrayOutputStream bar = new ByteArrayOutputStream();
    try (Model m = linear()) {
      m.compile(new SGD(0.01), "mse");
      m.fit(
          HostArray.of(X),
          HostArray.of(Y),
          FitOptions.epochs(1)
              .batchSize(2)
              .verbose(0)
              .callbacks(
                  new ProgressLogger(1, new PrintStream(bar, true, StandardCharsets.UTF_8))));
    }
    String out = bar.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("\r3/3 ━━━━━━━━━━━━━━━━━━━━ "), out);
    assertTrue(out.endsWith("\n"));
  }
}
