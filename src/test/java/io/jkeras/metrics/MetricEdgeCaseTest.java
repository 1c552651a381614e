package io.jkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Lambda;
import io.jkeras.losses.Huber;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Metrics on inputs the parity data does not cover, against values Python Keras 3.15.1 (TensorFlow
 * 2.21) printed for the same inputs and arguments.
 */
class MetricEdgeCaseTest {

  @Test
  void accuracyIsChosenFromTheShapesNotTheLoss() {
    float[][] labels = {{1, 0, 1}, {0, 1, 0}, {1, 1, 0}, {0, 0, 1}};
    float[][] scores = {
      {0.9f, 0.2f, 0.4f}, {0.6f, 0.7f, 0.1f}, {0.8f, 0.3f, 0.2f}, {0.1f, 0.4f, 0.45f}
    };
    // Keras 3: model.compile(loss="binary_crossentropy", metrics=["accuracy"]) on 3 outputs,
    // model.evaluate(scores, labels) -> accuracy 1.0 (categorical accuracy: 3 > 1 output units).
    KerasTensor in = Input.of(3);
    try (Model m = new Model(in, new Lambda((tf, x) -> tf.identity(x)).apply(in))) {
      m.compile(new SGD(), new io.jkeras.losses.BinaryCrossentropy(), "accuracy");
      assertEquals(
          1.0,
          m.evaluate(List.of(HostArray.of(scores)), List.of(HostArray.of(labels)), 32)
              .get("accuracy"),
          1e-7);
    }
  }

  @Test
  void sumWithAWeightPerValue() {
    // keras.metrics.Sum().update_state([[1, 2], [3, 4]], sample_weight=[[1, 0], [0.5, 2]])
    // -> 10.5
    Sum sum = new Sum();
    sum.updateState(
        HostArray.of(new float[][] {{1, 2}, {3, 4}}),
        HostArray.of(new float[][] {{1, 0}, {0.5f, 2}}));
    assertEquals(10.5, sum.result(), 1e-6);
  }

  @Test
  void topKAccuraciesOnSequencesWeighPerSequence() {
    float[][] classes = {{0, 1, 2}, {2, 0, 1}};
    float[][][] oneHot = new float[2][3][3];
    for (int i = 0; i < 2; i++) {
      for (int t = 0; t < 3; t++) {
        oneHot[i][t][(int) classes[i][t]] = 1;
      }
    }
    float[][][] scores = {
      {{0.6f, 0.3f, 0.1f}, {0.2f, 0.5f, 0.3f}, {0.1f, 0.2f, 0.7f}},
      {{0.1f, 0.3f, 0.6f}, {0.2f, 0.5f, 0.3f}, {0.5f, 0.2f, 0.3f}}
    };
    HostArray weights = HostArray.of(new float[] {1, 3});
    // Sequence 0 is right at every step, sequence 1 at one step of three: (1 * 1 + 3 / 3) / 4.
    // Keras: TopKCategoricalAccuracy(k=1) and SparseTopKCategoricalAccuracy(k=1), update_state
    // with sample_weight=[1, 3] -> 0.5 both.
    TopKCategoricalAccuracy topK = new TopKCategoricalAccuracy(1);
    topK.updateState(HostArray.of(oneHot), HostArray.of(scores), weights);
    assertEquals(0.5, topK.result(), 1e-7);
    SparseTopKCategoricalAccuracy sparseTopK = new SparseTopKCategoricalAccuracy(1);
    sparseTopK.updateState(HostArray.of(classes), HostArray.of(scores), weights);
    assertEquals(0.5, sparseTopK.result(), 1e-7);
  }

  @Test
  void aWrappedLossMasksItsIgnoredClassOutOfWeightedBatches() {
    float[][] labels = {{1}, {0}, {2}};
    float[][] probabilities = {{0.2f, 0.5f, 0.3f}, {0.7f, 0.2f, 0.1f}, {0.1f, 0.1f, 0.8f}};
    MeanMetricWrapper metric =
        new MeanMetricWrapper(
            "scce", new io.jkeras.losses.SparseCategoricalCrossentropy().ignoreClass(0));
    metric.updateState(
        HostArray.of(labels), HostArray.of(probabilities), HostArray.of(new float[] {1, 2, 0.5f}));
    // Keras: MeanMetricWrapper(sparse_categorical_crossentropy, ignore_class=0), update_state
    // with sample_weight=[1, 2, 0.5] -> 0.5364792943000793: the class-0 sample weighs 0.
    assertEquals((-Math.log(0.5) - 0.5 * Math.log(0.8)) / 1.5, metric.result(), 1e-6);
    // Without sample weights Keras counts it as a loss of 0: 0.30543026328086853.
    metric.reset();
    metric.updateState(HostArray.of(labels), HostArray.of(probabilities), null);
    assertEquals((-Math.log(0.5) - Math.log(0.8)) / 3, metric.result(), 1e-6);
  }

  @Test
  void aWrappedLossIsWrittenAsTheKerasFunctionItComputes() {
    // Keras: MeanMetricWrapper(keras.losses.huber, name="h", delta=0.5) serializes fn as the
    // function "huber" ("huber_loss", the Huber class's default name, is no function Keras can
    // load), and the function does not change with the loss object's name.
    Map<String, Object> huber = new MeanMetricWrapper("h", new Huber(0.5)).getConfig();
    assertEquals("huber", ((Map<?, ?>) huber.get("fn")).get("config"));
    assertEquals(0.5, huber.get("delta"));
    Map<String, Object> renamed =
        new MeanMetricWrapper("m", new io.jkeras.losses.MeanSquaredError().name("my_mse"))
            .getConfig();
    assertEquals("mean_squared_error", ((Map<?, ?>) renamed.get("fn")).get("config"));
    // And the config reads back to the same function.
    MeanMetricWrapper back = MeanMetricWrapper.fromConfig(huber);
    assertEquals(huber, back.getConfig());
    assertEquals(Huber.class, back.fn().getClass());
  }

  @Test
  void bceNamesTheBinaryCrossentropyMetric() {
    // Keras 3: keras.metrics.get("bce") and get("BCE") -> BinaryCrossentropy, so compile(...,
    // metrics=["bce"]) is a valid compile config that a .keras file may carry.
    for (String name : List.of("bce", "BCE")) {
      Metric m = Metrics.get(name, Shape.of(-1, 1), Shape.of(-1, 1));
      assertEquals(BinaryCrossentropy.class, m.getClass());
      assertEquals(name, m.name());
      m.updateState(HostArray.of(new float[] {1, 0}), HostArray.of(new float[] {0.8f, 0.4f}), null);
      assertEquals(-(Math.log(0.8) + Math.log(0.6)) / 2, m.result(), 1e-6);
    }
  }

  @Test
  void meanIouOfSegmentationMapsWithAWeightPerPixel() {
    float[][][] labels = {{{0, 1}, {2, 2}}, {{1, 1}, {0, 2}}};
    float[][][][] scores = {
      {{{.7f, .2f, .1f}, {.1f, .8f, .1f}}, {{.2f, .3f, .5f}, {.6f, .3f, .1f}}},
      {{{.1f, .5f, .4f}, {.3f, .3f, .4f}}, {{.9f, .05f, .05f}, {.2f, .2f, .6f}}}
    };
    float[][][] weights = {{{1, 0}, {2, 1}}, {{1, 3}, {1, 1}}};
    // keras.metrics.MeanIoU(3, sparse_y_pred=False).update_state(labels, scores,
    //     sample_weight=weights) -> result 0.44841268658638
    MeanIoU m = new MeanIoU("mean_io_u", 3, null, true, false, -1);
    m.updateState(
        HostArray.of(org.tensorflow.ndarray.StdArrays.ndCopyOf(labels)),
        HostArray.of(org.tensorflow.ndarray.StdArrays.ndCopyOf(scores)),
        HostArray.of(org.tensorflow.ndarray.StdArrays.ndCopyOf(weights)));
    assertEquals(0.44841268658638, m.result(), 1e-6);
  }

  @Test
  void negativeIouTargetClassesCountFromTheEnd() {
    // keras.metrics.IoU(3, [0, -1]).update_state([0, 1, 2, 2, 1, 0], [0, 1, 1, 2, 1, 2])
    // -> result 0.4166666865348816 (class 0: 1/3, class 2: 1/2)
    IoU iou = new IoU(3, List.of(0, -1));
    iou.updateState(
        HostArray.of(new float[] {0, 1, 2, 2, 1, 0}),
        HostArray.of(new float[] {0, 1, 1, 2, 1, 2}),
        null);
    assertEquals(0.4166666865348816, iou.result(), 1e-6);
    assertEquals((1 / 3.0 + 1 / 2.0) / 2, iou.result(), 1e-6);
    assertEquals(List.of(0, -1), iou.getConfig().get("target_class_ids"));
  }

  @Test
  void iouTargetClassesOutsideTheClassesAreAnError() {
    // Keras: IoU(3, [3]) -> ValueError "Target class id 3 is out of range, which is [0, 3)."
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> new IoU(3, List.of(3)));
    assertEquals(
        "IoU \"io_u\": target class id 3 is out of range, which is [0, 3)", e.getMessage());
  }
}
