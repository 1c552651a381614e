package io.jkeras.ctr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.data.ClickData;
import io.jkeras.data.Features;
import io.jkeras.layers.FeatureCross;
import io.jkeras.models.Model;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.Numerics;
import io.jkeras.training.FitOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.FloatNdArray;

class CtrModelsTest {

  @TempDir Path dir;

  static final Features FEATURES =
      Features.builder(4)
          .categorical("user", 30)
          .categorical("item", 40)
          .hashed("ctx", 8)
          .numeric("price")
          .build();

  /** Clicks from hidden per-user and per-item effects (the same for every seed) and the price. */
  static ClickData clicks(int rows, long seed) {
    Random r = new Random(seed);
    int[] ids = new int[rows * 3];
    float[] num = new float[rows];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      int u = r.nextInt(30);
      int it = r.nextInt(40);
      int c = r.nextInt(8);
      ids[i * 3] = u;
      ids[i * 3 + 1] = 30 + it;
      ids[i * 3 + 2] = 70 + c;
      num[i] = (float) r.nextGaussian();
      double logit = effect(u) - effect(100 + it) + 0.5 * num[i];
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1f : 0f;
    }
    return new ClickData(3, 1, ids, num, y);
  }

  private static double effect(int key) {
    return new Random(key * 7919L).nextGaussian() * 1.5;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fm",
        "fwfm",
        "nfm",
        "afm",
        "deepfm",
        "widedeep",
        "dcn",
        "dcnv2",
        "xdeepfm",
        "dlrm"
      })
  void everyModelBuildsAndLearnsTheHiddenEffects(String name) {
    GlobalSeed.set(3);
    ClickData train = clicks(2000, 1);
    ClickData test = clicks(500, 2);
    try (Model m =
        CtrModels.builder(name, FEATURES).hidden(16).cinLayerSizes(4).crossLayers(2).build()) {
      m.compile(new io.jkeras.optimizers.Adam(0.01, 0.9, 0.999, 1e-7), "binary_crossentropy");
      m.fit(
          CtrModels.inputs(m, train),
          List.of(train.labels()),
          FitOptions.epochs(10).batchSize(64).verbose(0));
      FloatNdArray p = m.predict(CtrModels.inputs(m, test), 256).get(0);
      float[] s = new float[test.rows()];
      for (int i = 0; i < s.length; i++) {
        s[i] = p.getFloat(i, 0);
      }
      double auc = ClickMetrics.auc(test.labelArray(), s);
      // Far above chance (0.5); the data's own Bayes AUC is about 0.85.
      assertTrue(auc > 0.7, name + ": test AUC " + auc);
    }
  }

  @Test
  void aBuiltModelSavesAndLoadsLikeAnyOther() {
    GlobalSeed.set(4);
    ClickData d = clicks(64, 5);
    Path file = dir.resolve("dcnv2.keras");
    float[] before;
    try (Model m = CtrModels.builder("dcnv2", FEATURES).projectionDim(2).build()) {
      assertInstanceOf(FeatureCross.class, m.getLayer("cross_0"));
      before = flat(m.predict(CtrModels.inputs(m, d), 64).get(0));
      KerasModelFile.save(m, file);
    }
    try (Model m = KerasModelFile.load(file)) {
      Numerics.assertClose(
          "reloaded",
          Numerics.toDouble(before),
          flat(m.predict(CtrModels.inputs(m, d), 64).get(0)),
          1e-6,
          1e-6);
    }
  }

  @Test
  void parameterCountsFollowTheArchitecture() {
    Features f = Features.oneHot(10, 5382, 16);
    try (Model fm = CtrModels.builder("fm", f).build()) {
      // embedding 5382*16, linear table 5382, linear Dense 10+1, output Dense 2+1.
      assertEquals(5382L * 16 + 5382 + 11 + 3, fm.countParams());
    }
    var e = assertThrows(IllegalArgumentException.class, () -> CtrModels.builder("gbdt", FEATURES));
    assertTrue(e.getMessage().contains("dlrm"), e.getMessage());
  }

  @Test
  void metricsMatchTheirDefinitions() {
    Random r = new Random(9);
    int n = 300;
    float[] y = new float[n];
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextBoolean() ? 1f : 0f;
      s[i] = Math.round((r.nextFloat() + 0.3f * y[i]) * 20) / 20f; // many ties
    }
    double wins = 0;
    long pairs = 0;
    double ll = 0;
    for (int i = 0; i < n; i++) {
      ll -=
          y[i] == 1
              ? Math.log(s[i] == 0 ? 1e-7 : Math.min(s[i], 1 - 1e-7))
              : Math.log(1 - Math.min(Math.max(s[i], 1e-7), 1 - 1e-7));
      for (int j = 0; j < n; j++) {
        if (y[i] == 1 && y[j] == 0) {
          pairs++;
          wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        }
      }
    }
    assertEquals(wins / pairs, ClickMetrics.auc(y, s), 1e-12);
    assertEquals(ll / n, ClickMetrics.logLoss(y, s), 1e-9);
    assertThrows(
        IllegalArgumentException.class,
        () -> ClickMetrics.auc(new float[] {1, 1}, new float[] {0.1f, 0.2f}));
  }

  private static float[] flat(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
    return v;
  }
}
