package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.Numerics;
import io.jkeras.testing.PythonKeras;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Every CTR layer in one model file, both ways with real Keras 3 (one Python process, see {@code
 * src/test/python/ctr/ctr_layers.py}): a .keras file jkeras writes loads in Python with the
 * jkeras_ctr twins and keras-rs (DotInteraction, FeatureCross with its nested Dense weights) and
 * predicts the same; the same architecture built in Python loads in Java and predicts the same.
 */
class CtrLayersInteropTest {

  static final int FIELDS = 4;
  static final int VOCAB = 20;
  static final int K = 3;

  @TempDir Path dir;

  /** The twin of ctr_layers.py's build(). */
  static Model model() {
    KerasTensor ids = Input.named("ids", "int32", FIELDS);
    KerasTensor e = Embedding.builder(VOCAB, K).name("emb").build().apply(ids);
    KerasTensor flat = new Flatten("flat").apply(e);
    List<KerasTensor> towers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      towers.add(Dense.builder(K).name("tower_" + i).build().apply(flat));
    }
    KerasTensor cross1 = FeatureCross.builder().name("cross_full").build().apply(flat, flat);
    KerasTensor cross2 =
        FeatureCross.builder()
            .projectionDim(2)
            .diagScale(0.1)
            .name("cross_low")
            .build()
            .apply(flat, cross1);
    List<KerasTensor> parts =
        List.of(
            new FactorizationMachine(true, "fm").apply(e),
            new FactorizationMachine(false, "fm_vec").apply(e),
            new BiInteractionPooling("bi").apply(e),
            new FieldWeightedFM(io.jkeras.initializers.Initializers.get("ones"), "fwfm").apply(e),
            new AttentionalFM(2, io.jkeras.initializers.Initializers.get("glorot_uniform"), "afm")
                .apply(e),
            new InnerProduct("ip").apply(e),
            new CIN(
                    List.of(3, 2),
                    "relu",
                    io.jkeras.initializers.Initializers.get("glorot_uniform"),
                    "cin")
                .apply(e),
            new CrossNet(2, io.jkeras.initializers.Initializers.get("glorot_uniform"), "cross_net")
                .apply(flat),
            new DotInteraction(false, false, "dot").apply(towers).get(0),
            new DotInteraction(true, true, "dot_self").apply(towers.subList(0, 2)).get(0),
            cross2);
    KerasTensor out = new Concatenate(-1, "all").apply(parts).get(0);
    return new Model(List.of(ids), List.of(out), "ctr_layers");
  }

  @Test
  void filesCrossBothWaysWithEqualPredictions() throws Exception {
    int rows = 8;
    int[][] ids = new int[rows][FIELDS];
    Random rnd = new Random(3);
    for (int[] row : ids) {
      for (int f = 0; f < FIELDS; f++) {
        row[f] = rnd.nextInt(VOCAB);
      }
    }
    NpyFile.write(dir.resolve("ids.npy"), NpyArray.ofInts(ids));
    GlobalSeed.set(5);
    float[] javaPred;
    long width;
    try (Model m = model()) {
      for (Weight w : m.weights()) {
        w.assign(Numerics.uniform(rnd, (int) w.size(), -0.8, 0.8));
      }
      FloatNdArray p = m.predict(HostArray.of(ids));
      width = p.shape().size(1);
      javaPred = flat(p);
      KerasModelFile.save(m, dir.resolve("java_ctr.keras"));
    }
    // 1 + 3 + 3 + 1 + 1 + 6 + 5 + 12 + 3 + 4 + 12 outputs side by side.
    assertEquals(51, width);
    NpyFile.write(
        dir.resolve("java_pred.npy"), NpyArray.ofFloats(new long[] {rows, width}, javaPred));

    PythonKeras.Result r = PythonKeras.runScript("ctr/ctr_layers.py", dir.toString());
    assertTrue(r.stdout().contains("all checks passed"), r.stdout() + r.stderr());

    float[] pyPred = NpyFile.read(dir.resolve("py_pred.npy")).asFloats();
    try (Model m = KerasModelFile.load(dir.resolve("py_ctr.keras"))) {
      assertInstanceOf(FeatureCross.class, m.getLayer("cross_low"));
      assertInstanceOf(DotInteraction.class, m.getLayer("dot"));
      assertEquals(2, ((FeatureCross) m.getLayer("cross_low")).projectionDim());
      Numerics.assertClose(
          "Python's predictions in Java",
          Numerics.toDouble(pyPred),
          flat(m.predict(HostArray.of(ids))),
          1e-5,
          1e-5);
    }
  }

  private static float[] flat(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
    return v;
  }
}
