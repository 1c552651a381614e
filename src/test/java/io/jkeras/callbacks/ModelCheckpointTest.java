package io.jkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {

  private static History fitZeroModel(int epochs, Callback callback) {
    return ZeroDenseFit.fit(FitOptions.epochs(epochs).verbose(0).callbacks(callback));
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  /**
   * Keras 3.15.1 keeps {@code best} across fits (it is set once, from initial_value_threshold): the
   * same ModelCheckpoint(save_best_only=True, monitor="loss") after a 3-epoch fit (best
   * 1.3189700841903687) saves nothing in a second fit whose losses are 1.4 and 1.3587679862976074.
   */
  @Test
  void saveBestOnlyKeepsTheBestOfEarlierFits(@TempDir Path dir) throws Exception {
    ModelCheckpoint checkpoint =
        ModelCheckpoint.builder(dir.resolve("e{epoch}.weights.h5"))
            .monitor("loss")
            .saveBestOnly(true)
            .build();
    History first = fitZeroModel(3, checkpoint);
    assertEquals(1.3189700841903687, first.last("loss"), 1e-6);
    assertEquals(3, files(dir).size());
    for (Path p : files(dir)) {
      Files.delete(p);
    }
    History second = fitZeroModel(2, checkpoint);
    assertEquals(1.3587679862976074, second.last("loss"), 1e-6);
    assertEquals(List.of(), files(dir));
  }

  /**
   * Python's str.format takes an integer field's width without a type ({@code "{epoch:03}"}): Keras
   * 3.15.1 names epoch 7 {@code m-007.keras}, and {@code "{epoch:3}"} gives {@code m- 7}.
   */
  @Test
  void integerFieldsTakeAWidthWithoutAType() {
    assertEquals(
        "m-007-  7.keras",
        ModelCheckpoint.format("m-{epoch:03}-{batch:3}.keras", Map.of("epoch", 7, "batch", 7)));
  }

  /**
   * A float field without a spec is Python's repr of the float32 value as a double, as Keras
   * 3.15.1's {@code "m-{loss}.keras".format(...)}: plain from 1e-4 on, scientific with a two-digit
   * exponent below.
   */
  @Test
  void floatFieldsWithoutASpecAreWrittenAsPythonDoes() {
    float[] loss = {0.41234567f, 0.0005f, 123.5f, 2e-7f};
    String[] keras = {
      "m-0.41234567761421204.keras",
      "m-0.0005000000237487257.keras",
      "m-123.5.keras",
      "m-2.0000000233721948e-07.keras"
    };
    for (int i = 0; i < loss.length; i++) {
      assertEquals(
          keras[i], ModelCheckpoint.format("m-{loss}.keras", Map.of("loss", (double) loss[i])));
    }
  }

  /**
   * Python's {@code 'm-{epoch:>3}-{loss:.3}-{val_loss:.2f}.keras'.format(epoch=7, loss=0.693147,
   * val_loss=2.675)} is {@code m- 7-0.693-2.67.keras}: alignment, the type-less precision, and
   * rounding of the binary value (2.675 is 2.67499..., which {@code String.format} rounds up).
   */
  @Test
  void fieldsTakePythonsFormatSpecification() {
    assertEquals(
        "m-  7-0.693-2.67.keras",
        ModelCheckpoint.format(
            "m-{epoch:>3}-{loss:.3}-{val_loss:.2f}.keras",
            Map.of("epoch", 7, "loss", 0.693147, "val_loss", 2.675)));
  }
}
