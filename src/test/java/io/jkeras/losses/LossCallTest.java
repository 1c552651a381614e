package io.jkeras.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
