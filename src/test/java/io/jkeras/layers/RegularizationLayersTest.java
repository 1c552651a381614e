package io.jkeras.layers;

import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.LayerHarness;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * The regularization layers in training (noise statistics, masks shared across steps or pixels,
 * gradients) and in inference (the identity). (KerasLayersInteropTest checks their files against
 * Keras, and ActivityRegularization's effect on trained weights.)
 */
class RegularizationLayersTest {

  private static final int N = 20_000;

  @Test
  void gaussianNoiseAddsNoiseOfTheGivenDeviationOnlyInTraining() {
    float[] ones = new float[N];
    java.util.Arrays.fill(ones, 1f);
    try (LayerHarness train =
        new LayerHarness(new GaussianNoise(0.5, 7L, "gn"), Shape.of(-1), true)) {
      float[] y = train.forward(Shape.of(N), ones);
      double mean = 0;
      double sq = 0;
      for (float v : y) {
        mean += (v - 1) / N;
        sq += (v - 1) * (v - 1) / N;
      }
      // Standard errors: 0.5 / sqrt(N) = 0.0035 for the mean; ~0.0025 for the deviation.
      assertEquals(0, mean, 0.02);
      assertEquals(0.5, Math.sqrt(sq), 0.02);
      // d(sum(c * (x + noise)))/dx = c.
      float[] c = uniform(new Random(1), N, -1, 1);
      assertArrayEquals(c, train.gradients(Shape.of(N), ones, Shape.of(N), c).get(0));
    }
    try (LayerHarness infer = new LayerHarness(new GaussianNoise(0.5), Shape.of(-1), false)) {
      assertArrayEquals(ones, infer.forward(Shape.of(N), ones));
    }
  }

  @Test
  void gaussianDropoutMultipliesByNoiseOfMeanOne() {
    float[] ones = new float[N];
    java.util.Arrays.fill(ones, 1f);
    try (LayerHarness train =
        new LayerHarness(new GaussianDropout(0.2, 3L, "gd"), Shape.of(-1), true)) {
      float[] y = train.forward(Shape.of(N), ones);
      double mean = 0;
      double sq = 0;
      for (float v : y) {
        mean += v / N;
        sq += (v - 1) * (v - 1) / N;
      }
      assertEquals(1, mean, 0.02);
      assertEquals(Math.sqrt(0.2 / 0.8), Math.sqrt(sq), 0.02);
      // The gradient of sum(x * noise) is the noise itself (a fresh draw): mean 1 again.
      float[] g = train.gradients(Shape.of(N), ones, Shape.of(N), ones).get(0);
      double gMean = 0;
      for (float v : g) {
        gMean += v / N;
      }
      assertEquals(1, gMean, 0.02);
      assertTrue(java.util.Arrays.stream(toDouble(g)).anyMatch(v -> Math.abs(v - 1) > 0.5));
    }
    try (LayerHarness infer = new LayerHarness(new GaussianDropout(0.2), Shape.of(-1), false)) {
      assertArrayEquals(ones, infer.forward(Shape.of(N), ones));
    }
  }

  @Test
  void spatialDropoutKeepsOrDropsWholeChannels() {
    // (batch 50, steps 6, channels 8): every (sample, channel) is 0 at all steps or 1/(1-rate).
    int b = 50;
    int t = 6;
    int ch = 8;
    float[] ones = new float[b * t * ch];
    java.util.Arrays.fill(ones, 1f);
    try (LayerHarness h =
        new LayerHarness(new SpatialDropout1D(0.5, 5L, "sd"), Shape.of(-1, t, ch), true)) {
      float[] y = h.forward(Shape.of(b, t, ch), ones);
      int dropped = 0;
      for (int s = 0; s < b; s++) {
        for (int k = 0; k < ch; k++) {
          float first = y[(s * t) * ch + k];
          assertTrue(first == 0f || first == 2f, "value " + first);
          for (int i = 1; i < t; i++) {
            assertEquals(first, y[(s * t + i) * ch + k], "sample " + s + " channel " + k);
          }
          dropped += first == 0f ? 1 : 0;
        }
      }
      assertEquals(0.5, dropped / (double) (b * ch), 0.1);
    }
    // channels_first images (batch, channels, rows, cols): one decision per (sample, channel).
    try (LayerHarness h =
        new LayerHarness(
            new SpatialDropout2D(0.5, "channels_first", 2L, "sd2"), Shape.of(-1, 3, 2, 2), true)) {
      float[] x = new float[120];
      java.util.Arrays.fill(x, 1f);
      float[] y = h.forward(Shape.of(10, 3, 2, 2), x);
      for (int m = 0; m < 30; m++) {
        for (int p = 1; p < 4; p++) {
          assertEquals(y[m * 4], y[m * 4 + p], "map " + m);
        }
      }
    }
  }

  @Test
  void spatialDropout3dKeepsOrDropsWholeChannelsOfVolumes() {
    // (batch 20, 2, 2, 2, channels 5) channels last: every (sample, channel) is 0 at all voxels or
    // 1 / (1 - rate); channels first keeps one decision per (sample, channel) too.
    float[] ones = new float[20 * 8 * 5];
    java.util.Arrays.fill(ones, 1f);
    try (LayerHarness h =
        new LayerHarness(
            new SpatialDropout3D(0.5, null, 4L, "sd3"), Shape.of(-1, 2, 2, 2, 5), true)) {
      float[] y = h.forward(Shape.of(20, 2, 2, 2, 5), ones);
      int dropped = 0;
      for (int s = 0; s < 20; s++) {
        for (int c = 0; c < 5; c++) {
          float first = y[s * 40 + c];
          assertTrue(first == 0f || first == 2f, "value " + first);
          for (int v = 1; v < 8; v++) {
            assertEquals(first, y[s * 40 + v * 5 + c], "sample " + s + " channel " + c);
          }
          dropped += first == 0f ? 1 : 0;
        }
      }
      assertEquals(0.5, dropped / 100.0, 0.15);
    }
    try (LayerHarness h =
        new LayerHarness(
            new SpatialDropout3D(0.5, "channels_first", 2L, "sd3f"),
            Shape.of(-1, 3, 2, 2, 2),
            true)) {
      float[] y = h.forward(Shape.of(10, 3, 2, 2, 2), java.util.Arrays.copyOf(ones, 240));
      for (int m = 0; m < 30; m++) {
        for (int v = 1; v < 8; v++) {
          assertEquals(y[m * 8], y[m * 8 + v], "volume " + m);
        }
      }
    }
    var rank =
        assertThrows(
            RuntimeException.class,
            () -> new SpatialDropout3D(0.5, null, null, "sd3r").apply(Input.of(4, 4, 3)));
    assertTrue(rank.getMessage().contains("\"sd3r\""), rank.getMessage());
  }

  @Test
  void configsAndErrorsFollowKeras() {
    // Keras's SpatialDropout config is rate, seed, name and a plain dtype string.
    assertEquals(
        List.of("rate", "seed", "name", "dtype", "data_format"),
        List.copyOf(new SpatialDropout2D(0.1).getConfig().keySet()));
    assertEquals("float32", new SpatialDropout1D(0.1).getConfig().get("dtype"));
    assertTrue(new GaussianNoise(0.1).callTakesTraining());
    ActivityRegularization ar = new ActivityRegularization(0.01, 0.02);
    assertTrue(!ar.getConfig().containsKey("activity_regularizer"));
    assertEquals(0.02, ActivityRegularization.fromConfig(ar.getConfig()).l2());
    var e = assertThrows(IllegalArgumentException.class, () -> new GaussianDropout(1.0));
    assertTrue(e.getMessage().contains("rate=1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-1));
    assertTrue(e.getMessage().contains("stddev") && e.getMessage().contains("-1"));
    e = assertThrows(IllegalArgumentException.class, () -> GaussianNoise.fromConfig(Map.of()));
    assertTrue(e.getMessage().contains("GaussianNoise: config.stddev"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SpatialDropout1D(0.1, null, "s").apply(Input.of(4)));
    assertTrue(e.getMessage().contains("\"s\"") && e.getMessage().contains("ndim=3"));
  }
}
