package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Activation;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Lambda;
import io.jkeras.metrics.AUC;
import io.jkeras.metrics.Precision;
import io.jkeras.metrics.Recall;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** evaluate() on an identity-like model, against losses and metrics computed in double. */
class LossAndMetricTest {

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** A model whose output is sigmoid(x) (a Sigmoid op) or the probability itself. */
  private static Model probabilities(boolean throughSigmoid) {
    KerasTensor in = Input.of(1);
    KerasTensor out =
        throughSigmoid
            ? new Activation("sigmoid").apply(in)
            : new Lambda((tf, v) -> tf.identity(v)).apply(in);
    return new Model(in, out);
  }

  @Test
  void binaryCrossentropyUsesLogitsAfterSigmoidAndClipsOtherwise() {
    float[][] z = {{-30f}, {-2f}, {0.5f}, {3f}, {40f}};
    float[] y = {1, 0, 1, 1, 0};
    try (Model m = probabilities(true)) {
      m.compile(new SGD(), "binary_crossentropy", "accuracy");
      Map<String, Double> r = m.evaluate(HostArray.of(z), HostArray.of(y));
      double expected = 0;
      for (int i = 0; i < y.length; i++) {
        // exact: softplus form, no clipping (the -30 and 40 logits would be clipped otherwise)
        double x = z[i][0];
        expected += Math.max(x, 0) - x * y[i] + Math.log1p(Math.exp(-Math.abs(x)));
      }
      assertEquals(expected / y.length, r.get("loss"), 1e-4);
      // sigmoid(-30) < 0.5 with label 1: wrong; -2 -> 0 right; 0.5 -> 1 right; 3 right; 40 wrong
      assertEquals(3.0 / 5, r.get("accuracy"), 1e-9);
    }
    float[][] p = {{0f}, {0.2f}, {0.7f}, {1f}};
    float[] yp = {1, 0, 1, 0};
    try (Model m = probabilities(false)) {
      m.compile(new SGD(), "binary_crossentropy");
      double expected = 0;
      for (int i = 0; i < yp.length; i++) {
        // Keras clips in float32: the upper bound is the float nearest 1 - 1e-7.
        double q = Math.min(Math.max(p[i][0], 1e-7f), 1f - 1e-7f);
        expected -= yp[i] * Math.log(q) + (1 - yp[i]) * Math.log(1 - q);
      }
      assertEquals(
          expected / yp.length,
          m.evaluate(HostArray.of(p), HostArray.of(yp)).get("loss"),
          1e-5 * expected);
    }
  }

  @Test
  void categoricalLossesAndAccuracies() {
    float[][] logits = {{1, 2, 0.5f}, {3, -1, 0}, {0, 0, 4}};
    float[][] oneHot = {{0, 1, 0}, {0, 0, 1}, {0, 0, 1}};
    float[] sparse = {1, 2, 2};
    double expected = 0;
    for (int i = 0; i < 3; i++) {
      double norm = 0;
      for (float v : logits[i]) {
        norm += Math.exp(v);
      }
      expected -= Math.log(Math.exp(logits[i][(int) sparse[i]]) / norm);
    }
    expected /= 3;
    KerasTensor in = Input.of(3);
    KerasTensor out = new Activation("softmax").apply(in);
    try (Model m = new Model(in, out)) {
      m.compile(new SGD(), "categorical_crossentropy", "accuracy");
      Map<String, Double> r = m.evaluate(HostArray.of(logits), HostArray.of(oneHot));
      assertEquals(expected, r.get("loss"), 1e-5);
      assertEquals(2.0 / 3, r.get("accuracy"), 1e-9);
    }
    try (Model m = new Model(in, out)) {
      m.compile(new SGD(), "sparse_categorical_crossentropy", "accuracy");
      Map<String, Double> r = m.evaluate(HostArray.of(logits), HostArray.of(sparse));
      assertEquals(expected, r.get("loss"), 1e-5);
      assertEquals(2.0 / 3, r.get("accuracy"), 1e-9);
    }
  }

  @Test
  void mseMaeAndWeightRegularizationAddUp() {
    KerasTensor in = Input.of(2);
    Dense d = Dense.builder(1).useBias(false).kernelRegularizer("l2").build();
    KerasTensor out = d.apply(in);
    d.kernel().assign(new float[] {2, -1});
    float[][] x = {{1, 1}, {0, 3}};
    float[] y = {0, 1};
    // predictions 1 and -3; l2 penalty 0.01 * (4 + 1)
    try (Model m = new Model(in, out)) {
      m.compile(new SGD(), "mse");
      assertEquals(
          (1 + 16) / 2.0 + 0.05, m.evaluate(HostArray.of(x), HostArray.of(y)).get("loss"), 1e-6);
    }
    try (Model m = new Model(in, out)) {
      m.compile(new SGD(), "mae");
      assertEquals(
          (1 + 4) / 2.0 + 0.05, m.evaluate(HostArray.of(x), HostArray.of(y)).get("loss"), 1e-6);
    }
  }

  @Test
  void aucPrecisionRecallOverSeveralBatches() {
    Random rnd = new Random(4);
    int n = 300;
    float[][] p = new float[n][1];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextBoolean() ? 1 : 0;
      p[i][0] = (float) Math.min(1, Math.max(0, 0.3 * y[i] + 0.7 * rnd.nextDouble()));
    }
    // Exact ROC AUC by pairs (ties count half); the 200-threshold version is close to it.
    double pairs = 0;
    double wins = 0;
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (int i = 0; i < n; i++) {
      boolean pos = p[i][0] > 0.5;
      if (y[i] == 1 && pos) {
        tp++;
      } else if (y[i] == 0 && pos) {
        fp++;
      } else if (y[i] == 1) {
        fn++;
      }
      for (int j = 0; j < n; j++) {
        if (y[i] == 1 && y[j] == 0) {
          pairs++;
          wins += p[i][0] > p[j][0] ? 1 : p[i][0] == p[j][0] ? 0.5 : 0;
        }
      }
    }
    try (Model m = probabilities(false)) {
      m.compile(
          new SGD(),
          new io.jkeras.losses.BinaryCrossentropy(),
          new AUC(),
          new Precision(),
          new Recall());
      Map<String, Double> r =
          m.evaluate(java.util.List.of(HostArray.of(p)), java.util.List.of(HostArray.of(y)), 32);
      assertEquals(wins / pairs, r.get("auc"), 0.01);
      assertTrue(r.get("auc") > 0.6);
      assertEquals((double) tp / (tp + fp), r.get("precision"), 1e-9);
      assertEquals((double) tp / (tp + fn), r.get("recall"), 1e-9);
    }
  }

  @Test
  void unknownNamesAreRejectedWithTheValidOnes() {
    try (Model m = probabilities(false)) {
      var e = assertThrows(IllegalArgumentException.class, () -> m.compile("adamw2", "mse"));
      assertTrue(e.getMessage().contains("adamw2") && e.getMessage().contains("rmsprop"));
      e = assertThrows(IllegalArgumentException.class, () -> m.compile("adam", "hinge2"));
      assertTrue(e.getMessage().contains("hinge2") && e.getMessage().contains("mse"));
      m.compile("adam", "mse", "f1score");
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.evaluate(HostArray.of(new float[][] {{1}}), HostArray.of(new float[] {1})));
      assertTrue(e.getMessage().contains("f1score") && e.getMessage().contains("auc"));
    }
  }
}
