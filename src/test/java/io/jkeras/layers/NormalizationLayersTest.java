package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.HostArray;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.testing.LayerHarness;
import io.jkeras.training.FitOptions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The normalization layers against double-precision references (forward, and gradients of the
 * input, gamma and beta against central differences), BatchNormalization's moving statistics in
 * fit, and their errors. (KerasLayersInteropTest checks them against Keras, trained weights too.)
 */
class NormalizationLayersTest {

  /**
   * Normalizes x (b, r, c) over groups: {@code group.at(i, j)} names the group of element (i, j) of
   * a sample; y = (x - mean_g) / sqrt(var_g + eps) * gamma[ch(j)] + beta[ch(j)] with the channel
   * index {@code ch} given per element too.
   */
  interface Index2 {
    int at(int i, int j);
  }

  static double[] normalizeGroups(
      double[] x,
      int b,
      int r,
      int c,
      int groups,
      Index2 group,
      Index2 channel,
      double[] gamma,
      double[] beta,
      double eps) {
    double[] y = new double[x.length];
    for (int s = 0; s < b; s++) {
      double[] sum = new double[groups];
      double[] count = new double[groups];
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          sum[group.at(i, j)] += x[(s * r + i) * c + j];
          count[group.at(i, j)]++;
        }
      }
      double[] var = new double[groups];
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          int g = group.at(i, j);
          double d = x[(s * r + i) * c + j] - sum[g] / count[g];
          var[g] += d * d / count[g];
        }
      }
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          int g = group.at(i, j);
          int ch = channel.at(i, j);
          int k = (s * r + i) * c + j;
          double z = (x[k] - sum[g] / count[g]) / Math.sqrt(var[g] + eps);
          y[k] = z * (gamma == null ? 1 : gamma[ch]) + (beta == null ? 0 : beta[ch]);
        }
      }
    }
    return y;
  }

  /** Forward and the gradients of input, gamma and beta for x of shape (2, 3, 4). */
  static void check(
      Layer layer,
      int groups,
      Index2 group,
      Index2 channel,
      int params,
      boolean withBeta,
      double eps) {
    check(layer, groups, group, channel, params, withBeta, eps, false);
  }

  static void check(
      Layer layer,
      int groups,
      Index2 group,
      Index2 channel,
      int params,
      boolean withBeta,
      double eps,
      boolean training) {
    Random rnd = new Random(layer.name().hashCode());
    // In training, BatchNormalization's statistics span the batch: the reference then sees the
    // two samples as one of six rows.
    int n = training ? 1 : 2;
    int rows = training ? 6 : 3;
    Shape shape = Shape.of(2, 3, 4);
    float[] x = uniform(rnd, 24, -2, 2);
    float[] gamma = uniform(rnd, params, 0.5, 1.5);
    float[] beta = uniform(rnd, params, -0.5, 0.5);
    try (MultiInputHarness h = new MultiInputHarness(layer, training, Shape.of(-1, 3, 4))) {
      List<Weight> weights = layer.weights();
      weights.get(0).assign(gamma);
      if (withBeta) {
        weights.get(1).assign(beta);
      }
      double[] xd = toDouble(x);
      double[] gd = toDouble(gamma);
      double[] bd = withBeta ? toDouble(beta) : null;
      assertClose(
          layer.name(),
          normalizeGroups(xd, n, rows, 4, groups, group, channel, gd, bd, eps),
          h.forward(List.of(shape), List.of(x)),
          1e-5,
          1e-5);
      float[] c = uniform(rnd, 24, -1, 1);
      double[] cd = toDouble(c);
      List<float[]> grads = h.gradients(List.of(shape), List.of(x), shape, c);
      assertClose(
          layer.name() + " d/dx",
          centralDifferences(
              xd,
              v ->
                  MergingLayersTest.dot(
                      cd, normalizeGroups(v, n, rows, 4, groups, group, channel, gd, bd, eps)),
              1e-6),
          grads.get(0),
          1e-3,
          1e-4);
      assertClose(
          layer.name() + " d/dgamma",
          centralDifferences(
              gd,
              v ->
                  MergingLayersTest.dot(
                      cd, normalizeGroups(xd, n, rows, 4, groups, group, channel, v, bd, eps)),
              1e-6),
          grads.get(1),
          1e-4,
          1e-5);
      if (withBeta) {
        assertClose(
            layer.name() + " d/dbeta",
            centralDifferences(
                bd,
                v ->
                    MergingLayersTest.dot(
                        cd, normalizeGroups(xd, n, rows, 4, groups, group, channel, gd, v, eps)),
                1e-6),
            grads.get(2),
            1e-4,
            1e-5);
      }
    }
  }

  @Test
  void layerNormalizationOverTheLastAxisAndOverBoth() {
    // Over the last axis: each row (i) of a sample is a group; gamma per column.
    check(
        LayerNormalization.builder().name("ln_last").build(),
        3,
        (i, j) -> i,
        (i, j) -> j,
        4,
        true,
        1e-3);
    // Over axes 1 and 2: the whole sample is one group; gamma per element (3, 4).
    check(
        LayerNormalization.builder().axis(2, 1).epsilon(0.01).center(false).name("ln_both").build(),
        1,
        (i, j) -> 0,
        (i, j) -> i * 4 + j,
        12,
        false,
        0.01);
  }

  @Test
  void groupNormalizationSplitsTheChannelAxis() {
    // 4 channels on the last axis in 2 groups: group = j / 2, over all 3 rows.
    check(
        GroupNormalization.builder().groups(2).name("gn_last").build(),
        2,
        (i, j) -> j / 2,
        (i, j) -> j,
        4,
        true,
        1e-3);
    // Channels on axis 1 (3 of them), one group per channel: instance normalization.
    check(
        GroupNormalization.builder().groups(-1).axis(1).name("gn_instance").build(),
        3,
        (i, j) -> i,
        (i, j) -> i,
        3,
        true,
        1e-3);
  }

  @Test
  void groupsMinusOneIsWrittenAsTheChannelCountOnceBuilt() {
    // Keras 3.15.1 resolves groups=-1 at build: GroupNormalization(groups=-1) built on (None, 4)
    // has get_config()["groups"] == 4, and its files say 4.
    GroupNormalization gn = GroupNormalization.builder().groups(-1).build();
    assertEquals(-1, gn.getConfig().get("groups"));
    gn.apply(Input.of(4));
    assertEquals(4, gn.getConfig().get("groups"));
  }

  /**
   * RMSNormalization over the last axis and over the last two, forward and gradients of the input
   * and of scale against central differences of a double-precision reference, and its errors.
   */
  @Test
  void rmsNormalizationOverTheLastAxisAndOverBoth() {
    Random rnd = new Random(11);
    Shape shape = Shape.of(2, 3, 4);
    float[] x = uniform(rnd, 24, -2, 2);
    double[] xd = toDouble(x);
    // group: the elements one mean square spans; the scale is indexed by the place in the group.
    for (int group : new int[] {4, 12}) {
      double eps = group == 4 ? 1e-6 : 0.1;
      RMSNormalization layer =
          group == 4
              ? new RMSNormalization()
              : new RMSNormalization(new int[] {2, 1}, eps, "rms_both");
      java.util.function.BiFunction<double[], double[], double[]> ref =
          (v, scale) -> {
            double[] y = new double[24];
            for (int start = 0; start < 24; start += group) {
              double sq = 0;
              for (int k = 0; k < group; k++) {
                sq += v[start + k] * v[start + k];
              }
              double inverse = 1 / Math.sqrt(sq / group + eps);
              for (int k = 0; k < group; k++) {
                y[start + k] = v[start + k] * inverse * scale[k];
              }
            }
            return y;
          };
      try (LayerHarness h = new LayerHarness(layer, Shape.of(-1, 3, 4), false)) {
        assertEquals(group == 4 ? List.of(-1) : List.of(1, 2), layer.axis(), "sorted as Keras");
        assertEquals(group == 4 ? Shape.of(4) : Shape.of(3, 4), layer.scale().shape());
        float[] scale = uniform(rnd, group, 0.5, 1.5);
        layer.scale().assign(scale);
        double[] sd = toDouble(scale);
        assertClose(layer.name(), ref.apply(xd, sd), h.forward(shape, x), 1e-5, 1e-6);
        float[] c = uniform(rnd, 24, -1, 1);
        double[] cd = toDouble(c);
        List<float[]> grads = h.gradients(shape, x, shape, c);
        assertClose(
            layer.name() + " d/dx",
            centralDifferences(xd, v -> MergingLayersTest.dot(cd, ref.apply(v, sd)), 1e-6),
            grads.get(0),
            1e-4,
            1e-5);
        assertClose(
            layer.name() + " d/dscale",
            centralDifferences(sd, v -> MergingLayersTest.dot(cd, ref.apply(xd, v)), 1e-6),
            grads.get(1),
            1e-4,
            1e-5);
      }
    }
    IllegalArgumentException middle =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RMSNormalization(new int[] {1}, 1e-6, "rms_mid").apply(Input.of(3, 4)));
    assertEquals(
        "Layer \"rms_mid\" (RMSNormalization): the scale of shape (3,) for axis [1] does not"
            + " broadcast against the input's last axes; input shape (None, 3, 4)",
        middle.getMessage());
    IllegalArgumentException batch =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RMSNormalization(new int[] {0}, 1e-6, "rms_b").apply(Input.of(4)));
    assertTrue(batch.getMessage().contains("(RMSNormalization): axis 0 is not a non-batch axis"));
    assertThrows(
        io.jkeras.config.ConfigException.class,
        () -> RMSNormalization.fromConfig(Map.of("axis", -1, "epsilon", -1.0)));
  }

  @Test
  void unitNormalizationScalesToUnitLength() {
    Random rnd = new Random(3);
    Shape shape = Shape.of(2, 3, 4);
    float[] x = uniform(rnd, 24, -2, 2);
    java.util.function.Function<double[], double[]> ref =
        v -> {
          double[] y = new double[24];
          for (int s = 0; s < 2; s++) {
            double sq = 0;
            for (int k = 0; k < 12; k++) {
              sq += v[s * 12 + k] * v[s * 12 + k];
            }
            for (int k = 0; k < 12; k++) {
              y[s * 12 + k] = v[s * 12 + k] / Math.sqrt(sq);
            }
          }
          return y;
        };
    try (LayerHarness h =
        new LayerHarness(new UnitNormalization("unit", 1, 2), Shape.of(-1, 3, 4), false)) {
      assertClose("unit", ref.apply(toDouble(x)), h.forward(shape, x), 1e-5, 1e-6);
      float[] c = uniform(rnd, 24, -1, 1);
      double[] cd = toDouble(c);
      assertClose(
          "unit d/dx",
          centralDifferences(toDouble(x), v -> MergingLayersTest.dot(cd, ref.apply(v)), 1e-6),
          h.gradients(shape, x, shape, c).get(0),
          1e-4,
          1e-5);
      // A zero slice stays zero (the inverse norm is capped, not infinite).
      float[] zeros = new float[24];
      for (float v : h.forward(shape, zeros)) {
        assertEquals(0f, v);
      }
    }
  }

  @Test
  void batchNormalizationUsesBatchStatisticsInTrainingAndMovingOnesOtherwise() {
    // Training: each channel (last axis, 4) is normalized over batch and rows (2 x 3).
    check(
        BatchNormalization.builder().name("bn").build(),
        4,
        (i, j) -> j,
        (i, j) -> j,
        4,
        true,
        1e-3,
        true);
    // Inference: (x - moving_mean) / sqrt(moving_variance + eps) * gamma + beta.
    BatchNormalization bn = BatchNormalization.builder().epsilon(0.01).name("bn_inf").build();
    try (LayerHarness h = new LayerHarness(bn, Shape.of(-1, 2), false)) {
      bn.gamma().assign(new float[] {2, 3});
      bn.beta().assign(new float[] {0.5f, -1});
      bn.movingMean().assign(new float[] {1, -1});
      bn.movingVariance().assign(new float[] {4, 0.25f});
      float[] y = h.forward(Shape.of(1, 2), new float[] {3, 0});
      assertEquals(2 * 2 / Math.sqrt(4.01) + 0.5, y[0], 1e-5);
      assertEquals(3 * 1 / Math.sqrt(0.26) - 1, y[1], 1e-5);
    }
    assertEquals(
        List.of("gamma", "beta", "moving_mean", "moving_variance"),
        bn.weights().stream().map(Weight::name).toList());
    assertEquals(
        List.of(true, true, false, false), bn.weights().stream().map(Weight::isTrainable).toList());
  }

  @Test
  void onlyATrainingPassOfATrainableLayerUpdatesTheMovingStatistics() {
    try (GraphSession g = GraphSession.create()) {
      var x = g.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      BatchNormalization bn = new BatchNormalization();
      ForwardPass training = new ForwardPass(g, true);
      bn.apply(training, x);
      assertEquals(2, training.updates().size());
      ForwardPass inference = new ForwardPass(g, false);
      bn.apply(inference, x);
      assertEquals(0, inference.updates().size());
      bn.setTrainable(false);
      ForwardPass frozen = new ForwardPass(g, true);
      bn.apply(frozen, x);
      assertEquals(0, frozen.updates().size());
    }
  }

  @Test
  void fitMovesTheStatisticsWithKerasMomentumOncePerStep() {
    // x -> BatchNormalization (no trainable weights), so only the moving statistics change.
    KerasTensor in = Input.of(2);
    BatchNormalization bn =
        BatchNormalization.builder().momentum(0.5).center(false).scale(false).build();
    float[][] x = {{1, 10}, {3, 20}, {5, -4}, {7, 0}};
    try (Model m = new Model(in, bn.apply(in))) {
      m.compile(new SGD(0.1), "mse");
      m.fit(
          List.of(HostArray.of(x)),
          List.of(HostArray.of(new float[4][2])),
          FitOptions.epochs(1).batchSize(2).shuffle(false).verbose(0));
      // Step 1 sees rows 0-1, step 2 rows 2-3; moving = moving * 0.5 + batch * 0.5.
      double mean0 = (0 * 0.5 + 2 * 0.5) * 0.5 + 6 * 0.5;
      double mean1 = (0 * 0.5 + 15 * 0.5) * 0.5 + (-2) * 0.5;
      double var0 = (1 * 0.5 + 1 * 0.5) * 0.5 + 1 * 0.5;
      double var1 = (1 * 0.5 + 25 * 0.5) * 0.5 + 4 * 0.5;
      assertClose("moving_mean", new double[] {mean0, mean1}, bn.movingMean().read(), 1e-6, 1e-6);
      assertClose(
          "moving_variance", new double[] {var0, var1}, bn.movingVariance().read(), 1e-6, 1e-6);
      // Inference uses them.
      float[][] y = m.predict(new float[][] {{1, 1}});
      assertEquals((1 - mean0) / Math.sqrt(var0 + 1e-3), y[0][0], 1e-5);
    }
  }

  @Test
  void badArgumentsAndShapesNameTheLayerAndTheValues() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GroupNormalization.builder().groups(3).name("gn").build().apply(Input.of(4)));
    assertTrue(
        e.getMessage().contains("\"gn\"")
            && e.getMessage().contains("3 groups")
            && e.getMessage().contains("4 channels"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LayerNormalization.builder().axis(0).name("ln").build().apply(Input.of(4)));
    assertTrue(e.getMessage().contains("\"ln\"") && e.getMessage().contains("axis 0"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BatchNormalization.builder().momentum(1.5).build());
    assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("1.5"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> LayerNormalization.builder().epsilon(-1).build());
    assertTrue(e.getMessage().contains("epsilon") && e.getMessage().contains("-1"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BatchNormalization.fromConfig(Map.of("renorm", true)));
    assertTrue(
        e.getMessage().contains("BatchNormalization: config.renorm")
            && e.getMessage().contains("renorm")
            && e.getMessage().contains("not supported"),
        e.getMessage());
    BatchNormalization bn = BatchNormalization.builder().name("bn").build();
    bn.apply(Input.of(3));
    e = assertThrows(IllegalArgumentException.class, () -> bn.apply(Input.of(5)));
    assertTrue(e.getMessage().contains("\"bn\"") && e.getMessage().contains("value 3"));
  }
}
