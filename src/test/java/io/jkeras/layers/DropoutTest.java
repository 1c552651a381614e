package io.jkeras.layers;

import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.testing.LayerHarness;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class DropoutTest {

  /** Values in +-[0.5, 1.5]: never zero, so a zero output means "dropped". */
  static float[] nonZero(Random rnd, int n) {
    float[] v = uniform(rnd, n, 0.5, 1.5);
    for (int i = 0; i < n; i++) {
      if (rnd.nextBoolean()) {
        v[i] = -v[i];
      }
    }
    return v;
  }

  @Test
  void isTheIdentityOutsideTraining() {
    float[] x = nonZero(new Random(1), 60);
    try (LayerHarness h = new LayerHarness(new Dropout(0.5), Shape.of(-1, 3, 4), false)) {
      assertArrayEquals(new long[] {-1, 3, 4}, h.outputShape().asArray());
      assertArrayEquals(x, h.forward(Shape.of(5, 3, 4), x));
    }
  }

  @Test
  void inTrainingDropsAboutRateAndScalesTheRestExactly() {
    double rate = 0.3;
    int n = 100_000;
    float[] x = nonZero(new Random(2), n);
    float scale = (float) (1.0 / (1.0 - rate));
    try (LayerHarness h = new LayerHarness(new Dropout(rate), Shape.of(-1, 1000), true)) {
      float[] y = h.forward(Shape.of(100, 1000), x);
      int zeros = 0;
      for (int i = 0; i < n; i++) {
        if (y[i] == 0) {
          zeros++;
        } else {
          // The kept unit is x * (1 / (1 - rate)) rounded once to float32.
          assertEquals(x[i] * scale, y[i], 0f, "unit " + i);
          assertEquals(x[i] / (1 - rate), y[i], 1e-6 * Math.abs(y[i]), "unit " + i);
        }
      }
      // Binomial(n, 0.3): standard deviation 0.00145; allow 5 of them.
      double fraction = zeros / (double) n;
      assertEquals(rate, fraction, 5 * Math.sqrt(rate * (1 - rate) / n), "dropped fraction");
      // Each run draws a new mask.
      float[] again = h.forward(Shape.of(100, 1000), x);
      assertFalse(Arrays.equals(y, again), "two training runs gave the same mask");
    }
  }

  @Test
  void aSeedRepeatsTheMaskInANewGraph() {
    float[] x = nonZero(new Random(3), 400);
    float[] first;
    try (LayerHarness h =
        new LayerHarness(Dropout.builder(0.5).seed(7L).build(), Shape.of(-1, 40), true)) {
      first = h.forward(Shape.of(10, 40), x);
    }
    try (LayerHarness h =
        new LayerHarness(Dropout.builder(0.5).seed(7L).build(), Shape.of(-1, 40), true)) {
      assertArrayEquals(first, h.forward(Shape.of(10, 40), x));
    }
    try (LayerHarness h =
        new LayerHarness(Dropout.builder(0.5).seed(8L).build(), Shape.of(-1, 40), true)) {
      assertFalse(Arrays.equals(first, h.forward(Shape.of(10, 40), x)));
    }
    // Without a seed, GlobalSeed.set makes the mask repeatable.
    GlobalSeed.set(99);
    Dropout a = new Dropout(0.5);
    GlobalSeed.set(99);
    Dropout b = new Dropout(0.5);
    try (LayerHarness ha = new LayerHarness(a, Shape.of(-1, 40), true);
        LayerHarness hb = new LayerHarness(b, Shape.of(-1, 40), true)) {
      assertArrayEquals(ha.forward(Shape.of(10, 40), x), hb.forward(Shape.of(10, 40), x));
    }
  }

  @Test
  void noiseShapeSharesTheMaskAlongItsOneAxes() {
    float[] x = nonZero(new Random(4), 8 * 20 * 6);
    Dropout d = Dropout.builder(0.5).noiseShape(null, 1L, null).build();
    try (LayerHarness h = new LayerHarness(d, Shape.of(-1, 20, 6), true)) {
      float[] y = h.forward(Shape.of(8, 20, 6), x);
      int dropped = 0;
      for (int b = 0; b < 8; b++) {
        for (int c = 0; c < 6; c++) {
          boolean zero = y[(b * 20) * 6 + c] == 0;
          dropped += zero ? 1 : 0;
          for (int t = 1; t < 20; t++) {
            assertEquals(zero, y[(b * 20 + t) * 6 + c] == 0, "b=" + b + " c=" + c + " t=" + t);
          }
        }
      }
      assertTrue(dropped > 0 && dropped < 48, "dropped channels " + dropped);
    }
  }

  @Test
  void gradientIsTheMaskTimesTheScale() {
    // d/dx sum(c * dropout(x)) = c * scale where kept, 0 where dropped. The mask comes from the
    // same run's forward output (seeded op, one draw per run).
    double rate = 0.4;
    int n = 300;
    float[] x = nonZero(new Random(5), n);
    float[] c = uniform(new Random(6), n, -1, 1);
    float scale = (float) (1 / (1 - rate));
    Dropout d = Dropout.builder(rate).seed(11L).build();
    float[] y;
    try (LayerHarness h = new LayerHarness(d, Shape.of(-1, 30), true)) {
      y = h.forward(Shape.of(10, 30), x);
    }
    Dropout same = Dropout.builder(rate).seed(11L).build();
    try (LayerHarness h = new LayerHarness(same, Shape.of(-1, 30), true)) {
      float[] g = h.gradients(Shape.of(10, 30), x, Shape.of(10, 30), c).get(0);
      int kept = 0;
      for (int i = 0; i < n; i++) {
        boolean keep = y[i] != 0;
        kept += keep ? 1 : 0;
        assertEquals(keep ? c[i] * scale : 0f, g[i], 1e-6f, "unit " + i);
      }
      assertTrue(kept > 0 && kept < n);
    }
  }

  @Test
  void rateZeroIsTheIdentityAndRateOneGivesZerosInTraining() {
    float[] x = nonZero(new Random(7), 12);
    try (LayerHarness h = new LayerHarness(new Dropout(0), Shape.of(-1, 12), true)) {
      assertArrayEquals(x, h.forward(Shape.of(1, 12), x));
    }
    try (LayerHarness h = new LayerHarness(new Dropout(1), Shape.of(-1, 12), true)) {
      assertArrayEquals(new float[12], h.forward(Shape.of(1, 12), x));
    }
  }

  @Test
  void configMatchesKeras() {
    // Keras 3.15.1: Dropout(0.2).get_config() and Dropout(0.5, noise_shape=(None, 1, 5), seed=3).
    Map<String, Object> c = Dropout.builder(0.2).name("dropout").build().getConfig();
    assertEquals(
        List.of("name", "trainable", "dtype", "rate", "seed", "noise_shape"),
        List.copyOf(c.keySet()));
    assertEquals(0.2, c.get("rate"));
    assertNull(c.get("seed"));
    assertNull(c.get("noise_shape"));
    Map<String, Object> s =
        Dropout.builder(0.5).seed(3L).noiseShape(null, 1L, 5L).build().getConfig();
    assertEquals(3L, s.get("seed"));
    assertEquals(Arrays.asList(null, 1L, 5L), s.get("noise_shape"));
    assertTrue(new Dropout(0.1).weights().isEmpty());
  }

  @Test
  void badArgumentsGiveClearErrors() {
    for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
      var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(bad));
      assertTrue(
          e.getMessage().contains("rate") && e.getMessage().contains(String.valueOf(bad)),
          e.getMessage());
    }
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dropout.builder(0.5).noiseShape(null, 0L).build());
    assertTrue(e.getMessage().contains("noise_shape"), e.getMessage());
    Dropout d = Dropout.builder(0.5).noiseShape(null, 1L).name("drop2").build();
    try (GraphSession g = GraphSession.create()) {
      var x = g.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3, 4)));
      e = assertThrows(IllegalArgumentException.class, () -> d.apply(new ForwardPass(g, true), x));
      assertTrue(
          e.getMessage().contains("\"drop2\"") && e.getMessage().contains("rank 3"),
          e.getMessage());
    }
  }

  /**
   * AlphaDropout in training: every output is Keras's {@code a * x + b} (kept) or {@code a * alpha'
   * + b} (dropped), with a and b computed here in double from SELU's constants; about {@code rate}
   * are dropped; noise_shape shares the mask along its 1 axes; standard-normal inputs keep mean 0
   * and variance 1; outside training it is the identity; rate 1 in training is refused.
   */
  @Test
  void alphaDropoutAppliesKerasAffineCorrection() {
    double rate = 0.3;
    double alphaP = -1.6732632423543772 * 1.0507009873554805;
    double a = 1 / Math.sqrt((1 - rate) * (1 + rate * alphaP * alphaP));
    double b = -a * alphaP * rate;
    double droppedValue = a * alphaP + b;
    Random rnd = new Random(5);
    int n = 20000;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    try (LayerHarness h =
        new LayerHarness(new AlphaDropout(rate, null, 3L, "alpha"), Shape.of(-1, n), true)) {
      float[] y = h.forward(Shape.of(1, n), x);
      int dropped = 0;
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        boolean isDropped = Math.abs(y[i] - droppedValue) < 1e-6;
        if (isDropped) {
          dropped++;
        } else {
          assertEquals(a * x[i] + b, y[i], 1e-5, "kept unit " + i);
        }
        sum += y[i];
        sq += (double) y[i] * y[i];
      }
      assertEquals(rate, dropped / (double) n, 0.015, "dropped fraction");
      double mean = sum / n;
      assertEquals(0, mean, 0.03, "mean");
      assertEquals(1, sq / n - mean * mean, 0.05, "variance");
    }
    AlphaDropout shared = new AlphaDropout(0.5, Arrays.asList(null, 1L, null), 9L, "shared");
    float[] x3 = nonZero(new Random(6), 2 * 5 * 6);
    try (LayerHarness h = new LayerHarness(shared, Shape.of(-1, 5, 6), true)) {
      float[] y = h.forward(Shape.of(2, 5, 6), x3);
      for (int s = 0; s < 2; s++) {
        for (int c = 0; c < 6; c++) {
          boolean dropped0 = isDropped(y[s * 30 + c], 0.5, alphaP);
          for (int t = 1; t < 5; t++) {
            assertEquals(dropped0, isDropped(y[s * 30 + t * 6 + c], 0.5, alphaP), "step " + t);
          }
        }
      }
    }
    try (LayerHarness h = new LayerHarness(new AlphaDropout(0.5), Shape.of(-1, 12), false)) {
      float[] v = nonZero(new Random(7), 12);
      assertArrayEquals(v, h.forward(Shape.of(1, 12), v));
    }
    AlphaDropout all = new AlphaDropout(1, null, null, "all");
    try (GraphSession g = GraphSession.create()) {
      var in = g.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      var e =
          assertThrows(
              IllegalArgumentException.class, () -> all.apply(new ForwardPass(g, true), in));
      assertTrue(e.getMessage().startsWith("Layer \"all\" (AlphaDropout): rate 1"), e.getMessage());
    }
    var bad = assertThrows(IllegalArgumentException.class, () -> new AlphaDropout(1.5));
    assertTrue(bad.getMessage().startsWith("AlphaDropout: rate"), bad.getMessage());
  }

  private static boolean isDropped(float y, double rate, double alphaP) {
    double a = 1 / Math.sqrt((1 - rate) * (1 + rate * alphaP * alphaP));
    return Math.abs(y - (a * alphaP - a * alphaP * rate)) < 1e-6;
  }
}
