package io.jkeras.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.StdArrays;

/**
 * Losses called on arrays as Keras's {@code loss(y_true, y_pred)}, against values Python Keras
 * 3.15.1 (TensorFlow 2.21) printed for the same inputs.
 */
class LossCallTest {

  @Test
  void labelsOneRankOffThePredictionsAreAlignedAsKerasDoes() {
    // keras.losses.MeanSquaredError()([1, 2, 3], [[1], [2], [4]]) -> 0.3333333432674408
    assertEquals(
        0.33333334f,
        new MeanSquaredError()
            .call(
                StdArrays.ndCopyOf(new float[] {1, 2, 3}),
                StdArrays.ndCopyOf(new float[][] {{1}, {2}, {4}}))
            .getFloat(),
        1e-6);
    // keras.losses.BinaryCrossentropy()([[1], [0], [1]], [0.8, 0.3, 0.4]) -> 0.49870309233665466
    assertEquals(
        0.49870309f,
        new BinaryCrossentropy()
            .call(
                StdArrays.ndCopyOf(new float[][] {{1}, {0}, {1}}),
                StdArrays.ndCopyOf(new float[] {0.8f, 0.3f, 0.4f}))
            .getFloat(),
        1e-6);
  }

  @Test
  void sparseLabelsWithATrailingAxisOfOne() {
    float[][] labels = {{1}, {0}, {2}};
    float[][] probabilities = {{0.2f, 0.5f, 0.3f}, {0.7f, 0.2f, 0.1f}, {0.1f, 0.1f, 0.8f}};
    // keras.losses.SparseCategoricalCrossentropy()(labels, probabilities) -> 0.42432188987731934
    assertEquals(
        0.42432189f,
        new SparseCategoricalCrossentropy()
            .call(StdArrays.ndCopyOf(labels), StdArrays.ndCopyOf(probabilities))
            .getFloat(),
        1e-6);
    // With ignore_class=0 the second sample is masked out:
    // keras.losses.SparseCategoricalCrossentropy(ignore_class=0)(...) -> 0.4581453800201416
    assertEquals(
        0.45814538f,
        new SparseCategoricalCrossentropy()
            .ignoreClass(0)
            .call(StdArrays.ndCopyOf(labels), StdArrays.ndCopyOf(probabilities))
            .getFloat(),
        1e-6);
  }

  /** One-hot labels and logits of shape (2 sequences, 2 steps, 3 classes). */
  private static final float[][][] STEP_LABELS = {{{0, 1, 0}, {1, 0, 0}}, {{0, 0, 1}, {0, 1, 0}}};

  private static final float[][][] STEP_LOGITS = {
    {{0.5f, 2, -1}, {1, 1, 0}}, {{-2, 0, 3}, {0.25f, 0.5f, 4}}
  };

  @Test
  void crossEntropyFromLogitsOnSequenceOutputs() {
    float[][] classes = {{1, 0}, {2, 1}};
    // Keras: CategoricalCrossentropy(from_logits=True)(STEP_LABELS, STEP_LOGITS) and
    // SparseCategoricalCrossentropy(from_logits=True)(classes, STEP_LOGITS) -> 1.1776533126831055
    assertEquals(
        1.17765331f,
        new CategoricalCrossentropy(true)
            .call(StdArrays.ndCopyOf(STEP_LABELS), StdArrays.ndCopyOf(STEP_LOGITS))
            .getFloat(),
        1e-6);
    assertEquals(
        1.17765331f,
        new SparseCategoricalCrossentropy(true)
            .call(StdArrays.ndCopyOf(classes), StdArrays.ndCopyOf(STEP_LOGITS))
            .getFloat(),
        1e-6);
    // Per step: the last step's loss is logsumexp(0.25, 0.5, 4) - 0.5 (Keras: 3.5523221492767334).
    double last = Math.log(Math.exp(0.25) + Math.exp(0.5) + Math.exp(4)) - 0.5;
    assertEquals(
        last,
        new CategoricalCrossentropy(true)
            .reduction("none")
            .call(StdArrays.ndCopyOf(STEP_LABELS), StdArrays.ndCopyOf(STEP_LOGITS))
            .getFloat(1, 1),
        1e-6);
  }

  @Test
  void categoricalCrossEntropyFromLogitsAlongAnotherAxisIsNotClipped() {
    // Classes on axis 1 of (2, 2, 1); the first sample's true class has a softmax of 2e-9.
    float[][][] labels = {{{1}, {0}}, {{0}, {1}}};
    float[][][] logits = {{{0}, {20}}, {{3}, {-1}}};
    // keras.losses.CategoricalCrossentropy(from_logits=True, axis=1)(labels, logits)
    // -> 12.009075164794922
    assertEquals(
        12.009075f,
        new CategoricalCrossentropy(true, 0, 1)
            .call(StdArrays.ndCopyOf(labels), StdArrays.ndCopyOf(logits))
            .getFloat(),
        1e-5);
  }

  @Test
  void sparseLabelsOutsideTheClassesAreAnError() {
    float[][] probabilities = {{0.2f, 0.5f, 0.3f}, {0.7f, 0.2f, 0.1f}, {0.1f, 0.1f, 0.8f}};
    // Keras: InvalidArgumentError "Received a label value of 3 which is outside the valid range
    // of [0, 3)" (and likewise for -1), where a one-hot row of zeros would give a loss of 0.
    for (float wrong : new float[] {3, -1}) {
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () ->
                  new SparseCategoricalCrossentropy()
                      .call(
                          StdArrays.ndCopyOf(new float[] {1, wrong, 2}),
                          StdArrays.ndCopyOf(probabilities)));
      assertTrue(e.getMessage().contains("SparseCategoricalCrossentropy"), e.getMessage());
      String range = wrong < 0 ? "[3] [-1] [2]" : "[3] [1] [3]";
      assertTrue(e.getMessage().contains("lowest and highest label:] " + range), e.getMessage());
    }
    // The ignored class may be outside the classes.
    assertEquals(
        (-Math.log(0.5) - Math.log(0.8)) / 2,
        new SparseCategoricalCrossentropy()
            .ignoreClass(-1)
            .call(StdArrays.ndCopyOf(new float[] {1, -1, 2}), StdArrays.ndCopyOf(probabilities))
            .getFloat(),
        1e-6);
  }
}
