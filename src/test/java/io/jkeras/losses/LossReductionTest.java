package io.jkeras.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.StdArrays;

/**
 * Losses called directly, against double-precision references: every Keras reduction, and {@code
 * ignore_class} masking samples out of the sum and the mean; loss weights resolved per output.
 */
class LossReductionTest {

  private static final float[][] Y_TRUE = {{1, 2}, {0, -1}, {3, 3}};
  private static final float[][] Y_PRED = {{1.5f, 2}, {1, 1}, {2, 3.25f}};

  /** Per-sample MSE in double precision. */
  private static double[] mse() {
    double[] out = new double[Y_TRUE.length];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < Y_TRUE[i].length; j++) {
        double d = Y_PRED[i][j] - Y_TRUE[i][j];
        out[i] += d * d / Y_TRUE[i].length;
      }
    }
    return out;
  }

  private static FloatNdArray call(Loss loss) {
    return loss.call(StdArrays.ndCopyOf(Y_TRUE), StdArrays.ndCopyOf(Y_PRED));
  }

  @Test
  void noneReturnsPerSampleValues() {
    FloatNdArray out = call(new MeanSquaredError().reduction("none"));
    assertEquals(1, out.rank());
    double[] expected = mse();
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], out.getFloat(i), 1e-6, "sample " + i);
    }
  }

  @Test
  void everyReductionAsKeras() {
    double[] e = mse();
    double sum = e[0] + e[1] + e[2];
    for (String r : List.of("sum_over_batch_size", "mean", "mean_with_sample_weight")) {
      assertEquals(sum / 3, call(new MeanSquaredError().reduction(r)).getFloat(), 1e-6, r);
    }
    assertEquals(sum, call(new MeanSquaredError().reduction("sum")).getFloat(), 1e-6);
    assertEquals(0, call(new MeanSquaredError().reduction("sum")).rank());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> new MeanSquaredError().reduction("avg"));
    assertTrue(bad.getMessage().contains("MeanSquaredError") && bad.getMessage().contains("avg"));
  }

  @Test
  void ignoreClassMasksSamplesOutOfSumAndMean() {
    float[][] probs = {
      {0.7f, 0.2f, 0.1f}, {0.1f, 0.1f, 0.8f}, {0.3f, 0.3f, 0.4f}, {0.5f, 0.25f, 0.25f}
    };
    float[] labels = {0, 2, -1, 1};
    double[] ce = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      ce[i] = labels[i] < 0 ? 0 : -Math.log(probs[i][(int) labels[i]]);
    }
    double validSum = ce[0] + ce[1] + ce[3];
    Map<String, Double> expected =
        Map.of(
            "sum_over_batch_size", validSum / 3,
            "mean", validSum / 3,
            "mean_with_sample_weight", validSum / 3,
            "sum", validSum);
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      Loss loss = new SparseCategoricalCrossentropy().ignoreClass(-1).reduction(e.getKey());
      FloatNdArray out = loss.call(StdArrays.ndCopyOf(labels), StdArrays.ndCopyOf(probs));
      assertEquals(e.getValue(), out.getFloat(), 1e-6, e.getKey());
    }
    FloatNdArray none =
        new SparseCategoricalCrossentropy()
            .ignoreClass(-1)
            .reduction("none")
            .call(StdArrays.ndCopyOf(labels), StdArrays.ndCopyOf(probs));
    for (int i = 0; i < labels.length; i++) {
      assertEquals(ce[i], none.getFloat(i), 1e-6, "sample " + i);
    }
  }

  @Test
  void configKeepsReductionAndIgnoreClass() {
    Loss l =
        SparseCategoricalCrossentropy.fromConfig(
            Map.of("ignore_class", 255, "reduction", "none", "from_logits", true));
    assertEquals(255, l.getConfig().get("ignore_class"));
    assertEquals("none", l.getConfig().get("reduction"));
    assertThrows(
        IllegalArgumentException.class,
        () -> SparseCategoricalCrossentropy.fromConfig(Map.of("ignore_class", 0.5)));
  }

  @Test
  void lossWeightsResolveByOrderOrName() {
    List<String> outputs = List.of("ctr", "cvr");
    assertArrayEquals(new double[] {1, 0.5}, LossWeights.of(1, 0.5).resolve(outputs, "m"));
    assertArrayEquals(
        new double[] {0.25, 2},
        LossWeights.byOutput(Map.of("cvr", 2.0, "ctr", 0.25)).resolve(outputs, "m"));
    assertEquals(List.of(1.0, 0.5), LossWeights.fromConfig(List.of(1, 0.5)).toConfig());
    IllegalArgumentException count =
        assertThrows(IllegalArgumentException.class, () -> LossWeights.of(1).resolve(outputs, "m"));
    assertTrue(count.getMessage().contains("1 weights"), count.getMessage());
    IllegalArgumentException names =
        assertThrows(
            IllegalArgumentException.class,
            () -> LossWeights.byOutput(Map.of("ctr", 1.0, "x", 1.0)).resolve(outputs, "m"));
    assertTrue(names.getMessage().contains("[ctr, cvr]"), names.getMessage());
  }
}
