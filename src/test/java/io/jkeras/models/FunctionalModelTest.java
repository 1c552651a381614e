package io.jkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Concatenate;
import io.jkeras.layers.Dense;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class FunctionalModelTest {

  /** The multi-input model of Keras's summary below, with explicit names. */
  static final class TwoTower {
    final KerasTensor a = Input.named("a", "float32", 4);
    final KerasTensor b = Input.named("b", "float32", 4);
    final Dense shared = Dense.builder(3).name("dense_2").build();
    final KerasTensor ya = shared.apply(a);
    final KerasTensor yb = shared.apply(b);
    final KerasTensor c = new Concatenate(-1, "concatenate").apply(ya, yb);
    final Dense d1 = Dense.builder(2).name("o1").build();
    final Dense d2 = Dense.builder(1).name("o2").build();
    final KerasTensor o1 = d1.apply(c);
    final KerasTensor o2 = d2.apply(yb);
  }

  @Test
  void twoInputsASharedLayerAndTwoOutputsPredictTheComposedFunction() {
    TwoTower t = new TwoTower();
    try (Model model = new Model(List.of(t.a, t.b), List.of(t.o1, t.o2), "two_tower")) {
      assertEquals(
          List.of("a", "b", "dense_2", "concatenate", "o1", "o2"),
          model.layers().stream().map(Layer::name).toList());
      // The shared layer has one set of weights: 15 + 14 + 4.
      assertEquals(33, model.countParams());
      assertEquals(6, model.weights().size());
      assertArrayEquals(new long[] {-1, 6}, t.c.shape().asArray());

      Random rnd = new Random(3);
      // 33 batches of 32, the last partial: small batches run two at a time, each writing its rows.
      int n = 1037;
      float[][] xa = new float[n][4];
      float[][] xb = new float[n][4];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < 4; j++) {
          xa[i][j] = (float) rnd.nextGaussian();
          xb[i][j] = (float) rnd.nextGaussian();
        }
      }
      List<FloatNdArray> out = model.predict(List.of(HostArray.of(xa), HostArray.of(xb)), 32);
      assertArrayEquals(new long[] {n, 2}, out.get(0).shape().asArray());
      assertArrayEquals(new long[] {n, 1}, out.get(1).shape().asArray());

      float[] w = t.shared.kernel().read();
      float[] bias = t.shared.bias().read();
      float[] w1 = t.d1.kernel().read();
      float[] b1 = t.d1.bias().read();
      float[] w2 = t.d2.kernel().read();
      float[] b2 = t.d2.bias().read();
      for (int i = 0; i < n; i++) {
        double[] ha = affine(xa[i], w, bias, 3);
        double[] hb = affine(xb[i], w, bias, 3);
        double[] cat = {ha[0], ha[1], ha[2], hb[0], hb[1], hb[2]};
        double[] e1 = affine(cat, w1, b1, 2);
        double[] e2 = affine(hb, w2, b2, 1);
        for (int j = 0; j < 2; j++) {
          assertEquals(e1[j], out.get(0).getFloat(i, j), 1e-5);
        }
        assertEquals(e2[0], out.get(1).getFloat(i, 0), 1e-5);
      }
      // One batch, run alone: the same values row for row.
      List<FloatNdArray> whole = model.predict(List.of(HostArray.of(xa), HostArray.of(xb)), n);
      for (int i = 0; i < n; i++) {
        assertEquals(whole.get(0).getFloat(i, 0), out.get(0).getFloat(i, 0), 1e-6);
        assertEquals(whole.get(0).getFloat(i, 1), out.get(0).getFloat(i, 1), 1e-6);
        assertEquals(whole.get(1).getFloat(i, 0), out.get(1).getFloat(i, 0), 1e-6);
      }
    }
  }

  private static double[] affine(float[] x, float[] w, float[] b, int units) {
    double[] xd = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xd[i] = x[i];
    }
    return affine(xd, w, b, units);
  }

  private static double[] affine(double[] x, float[] w, float[] b, int units) {
    double[] y = new double[units];
    for (int u = 0; u < units; u++) {
      y[u] = b[u];
      for (int i = 0; i < x.length; i++) {
        y[u] += x[i] * w[i * units + u];
      }
    }
    return y;
  }

  @Test
  void summaryMatchesWhatKerasPrintsForTheSameModel() {
    TwoTower t = new TwoTower();
    Model model = new Model(List.of(t.a, t.b), List.of(t.o1, t.o2), "functional_1");
    // Printed by Keras 3.15.1 (model.summary() in an 80-column terminal) for the same model.
    String keras =
        String.join(
            "\n",
            "Model: \"functional_1\"",
            "┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓",
            "┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃",
            "┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩",
            "│ a (InputLayer)      │ (None, 4)         │          0 │ -                 │",
            "├─────────────────────┼───────────────────┼────────────┼───────────────────┤",
            "│ b (InputLayer)      │ (None, 4)         │          0 │ -                 │",
            "├─────────────────────┼───────────────────┼────────────┼───────────────────┤",
            "│ dense_2 (Dense)     │ (None, 3)         │         15 │ a[0][0], b[0][0]  │",
            "├─────────────────────┼───────────────────┼────────────┼───────────────────┤",
            "│ concatenate         │ (None, 6)         │          0 │ dense_2[0][0],    │",
            "│ (Concatenate)       │                   │            │ dense_2[1][0]     │",
            "├─────────────────────┼───────────────────┼────────────┼───────────────────┤",
            "│ o1 (Dense)          │ (None, 2)         │         14 │ concatenate[0][0] │",
            "├─────────────────────┼───────────────────┼────────────┼───────────────────┤",
            "│ o2 (Dense)          │ (None, 1)         │          4 │ dense_2[1][0]     │",
            "└─────────────────────┴───────────────────┴────────────┴───────────────────┘",
            " Total params: 33 (132.00 B)",
            " Trainable params: 33 (132.00 B)",
            " Non-trainable params: 0 (0.00 B)",
            "");
    assertEquals(keras, model.summaryString(76));
  }

  @Test
  void sequentialSummaryAndFrozenCountsMatchKeras() {
    try (Sequential s = new Sequential("sequential")) {
      s.add(Input.of(3));
      s.add(Dense.builder(5).name("dense_3").build());
      s.add(Dense.builder(1).name("dense_4").kernelRegularizer("l2").build());
      String keras =
          String.join(
              "\n",
              "Model: \"sequential\"",
              "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
              "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
              "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
              "│ dense_3 (Dense)                 │ (None, 5)              │            20 │",
              "├─────────────────────────────────┼────────────────────────┼───────────────┤",
              "│ dense_4 (Dense)                 │ (None, 1)              │             6 │",
              "└─────────────────────────────────┴────────────────────────┴───────────────┘",
              " Total params: 26 (104.00 B)",
              " Trainable params: 26 (104.00 B)",
              " Non-trainable params: 0 (0.00 B)",
              "");
      assertEquals(keras, s.summaryString(76));
      for (Layer l : s.layers()) {
        l.setTrainable(false);
      }
      assertTrue(
          s.summaryString(76)
              .endsWith(
                  String.join(
                      "\n",
                      " Total params: 26 (104.00 B)",
                      " Trainable params: 0 (0.00 B)",
                      " Non-trainable params: 26 (104.00 B)",
                      "")));
    }
  }

  @Test
  void summaryOfALargeDenseUsesKerasUnits() {
    try (Sequential s = new Sequential("sequential_1")) {
      s.add(Input.of(3));
      s.add(Dense.builder(1_000_000).name("dense_6").build());
      assertTrue(
          s.summaryString(76)
              .contains(
                  "│ dense_6 (Dense)                 │ (None, 1000000)        │     4,000,000 │"));
      assertTrue(s.summaryString(76).contains(" Total params: 4,000,000 (15.26 MB)\n"));
    }
  }

  @Test
  void sequentialBuildsFromTheFirstDataWhenNoInputWasGiven() {
    Dense d = new Dense(2);
    try (Sequential s = new Sequential(d)) {
      float[][] y = s.predict(new float[][] {{1, 2, 3}, {4, 5, 6}});
      assertEquals(2, y.length);
      assertEquals(2, y[0].length);
      assertArrayEquals(new long[] {3, 2}, d.kernel().shape().asArray());
      float[] k = d.kernel().read();
      assertEquals(k[0] * 1 + k[2] * 2 + k[4] * 3, y[0][0], 1e-5);
    }
  }

  @Test
  void closingAModelKeepsTrainedValuesInTheLayersForTheNextModel() {
    KerasTensor x = Input.of(2);
    Dense d = new Dense(1);
    KerasTensor y = d.apply(x);
    float[][] first;
    try (Model m = new Model(x, y)) {
      d.kernel().assign(new float[] {2, 3});
      first = m.predict(new float[][] {{1, 1}});
    }
    assertEquals(5f, first[0][0], 1e-6);
    assertArrayEquals(new float[] {2, 3}, d.kernel().read());
    try (Model again = new Model(x, y)) {
      assertEquals(5f, again.predict(new float[][] {{1, 1}})[0][0], 1e-6);
    }
  }

  @Test
  void modelsSharingLayersShareWeights() {
    KerasTensor x = Input.of(2);
    Dense d = new Dense(2);
    KerasTensor h = d.apply(x);
    KerasTensor y = new Dense(1).apply(h);
    try (Model full = new Model(x, y);
        Model encoder = new Model(x, h)) {
      full.predict(new float[][] {{1, 2}});
      encoder.predict(new float[][] {{1, 2}});
      assertSame(ModelRuntime.of(full).graphSession(), ModelRuntime.of(encoder).graphSession());
      d.kernel().assign(new float[] {1, 0, 0, 1});
      float[][] e = encoder.predict(new float[][] {{1, 2}});
      assertArrayEquals(new float[] {1, 2}, e[0], 1e-6f);
    }
  }

  @Test
  void structuralErrorsAreClear() {
    KerasTensor a = Input.of(2);
    KerasTensor b = Input.of(2);
    KerasTensor y = new Concatenate().apply(a, b);
    var e = assertThrows(IllegalArgumentException.class, () -> new Model(a, y));
    assertTrue(e.getMessage().contains("Graph disconnected"), e.getMessage());
    Dense same1 = Dense.builder(2).name("same").build();
    Dense same2 = Dense.builder(2).name("same").build();
    KerasTensor z = same2.apply(same1.apply(a));
    e = assertThrows(IllegalArgumentException.class, () -> new Model(a, z));
    assertTrue(e.getMessage().contains("\"same\"") && e.getMessage().contains("unique"));
    try (Model m = new Model(a, new Dense(1).apply(a))) {
      e = assertThrows(IllegalArgumentException.class, () -> m.predict(new float[][] {{1, 2, 3}}));
      assertTrue(
          e.getMessage().contains("(None, 2)") && e.getMessage().contains("(1, 3)"),
          e.getMessage());
    }
  }

  @Test
  void fmModelOfTheSeedHasKerasParamCounts() {
    KerasTensor x = Input.of(250);
    KerasTensor h = new FMLayer(200, 100).apply(x);
    KerasTensor y = new Dense(1, "sigmoid").apply(h);
    try (Model m = new Model(x, y)) {
      assertEquals(75_200 + 201, m.countParams());
      float[][] p = m.predict(new float[][] {new float[250]});
      // All-zero input: the output is sigmoid(bias) = sigmoid(0) = 0.5.
      assertEquals(0.5f, p[0][0], 1e-6);
    }
  }
}
