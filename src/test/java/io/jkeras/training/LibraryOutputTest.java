package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.callbacks.ProgressLogger;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A library prints nothing by itself: fit's progress goes to SLF4J unless asked for a stream. */
class LibraryOutputTest {

  private static final float[][] X = {{0, 1}, {1, 0}, {1, 1}, {0, 0}};
  private static final float[] Y = {1, 1, 0, 0};

  @Test
  void fitWritesNothingToStandardOutputByDefault() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      train(FitOptions.epochs(2).verbose(2));
    } finally {
      System.setOut(original);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aProgressLoggerWithAStreamPrintsKerasLinesThereInsteadOfTheLog() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8);
    train(FitOptions.epochs(2).verbose(2).callbacks(new ProgressLogger(2, stream)));
    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(4, lines.length, String.join("\n", lines));
    assertEquals("Epoch 1/2", lines[0]);
    assertTrue(lines[1].startsWith("1/1 - "), lines[1]);
    assertTrue(lines[1].contains(" - loss: "), lines[1]);
    assertEquals("Epoch 2/2", lines[2]);
  }

  private static void train(FitOptions options) {
    KerasTensor x = Input.of(2);
    try (Model model = new Model(x, new Dense(1, "sigmoid").apply(x))) {
      model.compile("sgd", "binary_crossentropy");
      model.fit(X, Y, options);
    }
  }
}
