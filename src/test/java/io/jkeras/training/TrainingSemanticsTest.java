package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.ModelCheckpoint;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Dropout;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Lambda;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adam;
import io.jkeras.optimizers.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

class TrainingSemanticsTest {

  private static float[][] x(int n, int d, long seed) {
    Random r = new Random(seed);
    float[][] v = new float[n][d];
    for (float[] row : v) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return v;
  }

  private static float[] y(float[][] x) {
    float[] v = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = x[i][0] - 2 * x[i][1] > 0 ? 1 : 0;
    }
    return v;
  }

  @Test
  void onlyTrainableWeightsMove() {
    // tensorflow-framework's Optimizer.minimize trains every variable in the graph; ours must not.
    KerasTensor in = Input.of(4);
    Dense frozen = new Dense(3);
    Dense head = new Dense(1, "sigmoid");
    KerasTensor out = head.apply(frozen.apply(in));
    frozen.setTrainable(false);
    float[] before = frozen.kernel().read();
    float[] headBefore = head.kernel().read();
    try (Model m = new Model(in, out)) {
      m.compile("adam", "binary_crossentropy");
      float[][] xs = x(64, 4, 1);
      m.fit(xs, y(xs), FitOptions.epochs(3).verbose(0));
      assertArrayEquals(before, frozen.kernel().read());
      assertNotEquals(headBefore[0], head.kernel().read()[0]);
      assertEquals(2, m.nonTrainableWeights().size());
    }
  }

  @Test
  void dropoutIsActiveInFitOnly() {
    GlobalSeed.set(3);
    KerasTensor in = Input.of(200);
    Dense d = Dense.builder(1).useBias(false).kernelInitializer("ones").build();
    KerasTensor out = d.apply(new Dropout(0.5).apply(in));
    float[][] xs = new float[32][200];
    for (float[] row : xs) {
      java.util.Arrays.fill(row, 1f);
    }
    float[] ys = new float[32];
    try (Model m = new Model(in, out)) {
      // SGD with a zero-like rate keeps the weights; the loss shows whether units were dropped.
      m.compile(new SGD(1e-30), "mse");
      double inference = m.evaluate(HostArray.of(xs), HostArray.of(ys)).get("loss");
      assertEquals(200.0 * 200.0, inference, 1e-3);
      History h = m.fit(xs, ys, FitOptions.epochs(1).batchSize(32).verbose(0));
      // In training each output is 2 * (number of kept units), which varies from sample to
      // sample (E[(2K)^2] = 40,200 for K ~ B(200, 0.5)); at inference it is exactly 200.
      assertNotEquals(200.0 * 200.0, h.last("loss"), 1.0);
      assertEquals(40_200, h.last("loss"), 4_000);
      assertEquals(200f, m.predict(xs)[0][0], 1e-3);
    }
  }

  private static float[] trainOnce(long seed) {
    GlobalSeed.set(seed);
    KerasTensor in = Input.of(4);
    Dense d = new Dense(2, "relu");
    KerasTensor out = new Dense(1, "sigmoid").apply(new Dropout(0.3).apply(d.apply(in)));
    try (Model m = new Model(in, out)) {
      m.compile("adam", "binary_crossentropy");
      float[][] xs = x(100, 4, 3);
      m.fit(xs, y(xs), FitOptions.epochs(2).batchSize(10).verbose(0));
      return d.kernel().read();
    }
  }

  @Test
  void aGlobalSeedMakesRunsRepeatable() {
    assertArrayEquals(trainOnce(42), trainOnce(42));
    assertNotEquals(trainOnce(42)[0], trainOnce(43)[0]);
  }

  @Test
  void weightsFileCarriesOptimizerStateSoTrainingResumesExactly(@TempDir Path dir) {
    float[][] xs = x(64, 4, 7);
    float[] ys = y(xs);
    // Reference: 4 epochs straight.
    GlobalSeed.set(1);
    KerasTensor in = Input.of(4);
    Dense d = new Dense(1, "sigmoid");
    KerasTensor out = d.apply(in);
    float[] straight;
    float[] initial = d.kernel().read();
    try (Model m = new Model(in, out)) {
      m.compile(new Adam(0.05), "binary_crossentropy");
      m.fit(xs, ys, FitOptions.epochs(4).batchSize(16).shuffle(false).verbose(0));
      straight = d.kernel().read();
    }
    // Same start: 2 epochs, checkpoint, a new model loads it and trains 2 more.
    Path ckpt = dir.resolve("ckpt-{epoch:02d}.weights.h5");
    KerasTensor in2 = Input.of(4);
    Dense d2 = new Dense(1, "sigmoid");
    KerasTensor out2 = d2.apply(in2);
    d2.kernel().assign(initial);
    try (Model m = new Model(in2, out2)) {
      m.compile(new Adam(0.05), "binary_crossentropy");
      m.fit(
          xs,
          ys,
          FitOptions.epochs(2)
              .batchSize(16)
              .shuffle(false)
              .verbose(0)
              .callbacks(new ModelCheckpoint(ckpt)));
    }
    assertTrue(Files.exists(dir.resolve("ckpt-01.weights.h5")));
    KerasTensor in3 = Input.of(4);
    Dense d3 = new Dense(1, "sigmoid");
    KerasTensor out3 = d3.apply(in3);
    try (Model m = new Model(in3, out3)) {
      m.compile(new Adam(0.05), "binary_crossentropy");
      m.loadWeights(dir.resolve("ckpt-02.weights.h5"));
      m.fit(xs, ys, FitOptions.epochs(2).batchSize(16).shuffle(false).verbose(0));
      assertEquals(16L, m.optimizer().iterations());
      // Without Adam's moments and step count the path would differ; with them it is the same.
      io.jkeras.testing.Numerics.assertClose(
          "resumed kernel",
          io.jkeras.testing.Numerics.toDouble(straight),
          d3.kernel().read(),
          1e-5,
          1e-6);
    }
    List<String> names = List.of(dir.toFile().list());
    assertEquals(
        2, names.stream().filter(n -> n.endsWith(".weights.h5")).count(), names.toString());
  }

  /** The two rank-1 tests' features: five rows of two. */
  private static final HostArray RANK_ONE_X =
      HostArray.of(new float[][] {{1, 2}, {3, -1}, {0.5f, 0.5f}, {-2, 1}, {1, 1}});

  /**
   * {@code d} (a {@code Dense(1)}) on two features with kernel (0.5, -0.25) and bias 0.1, its
   * output reshaped to {@code (batch,)}: the model the rank-1 tests ran in Python Keras 3.15.1.
   */
  private static Model rankOneOutputModel(Dense d) {
    KerasTensor in = Input.of(2);
    KerasTensor out =
        new Lambda(
                (tf, t) -> tf.reshape(t, tf.constant(new int[] {-1})),
                s -> Shape.of(s.size(0)),
                null)
            .apply(d.apply(in));
    d.kernel().assign(new float[] {0.5f, -0.25f});
    d.bias().assign(new float[] {0.1f});
    return new Model(in, out);
  }

  @Test
  void labelsWithATrailingAxisOfOneFitRankOneOutputs() {
    // Keras expands (batch,) predictions against (batch, 1) labels; jkeras used to refuse them.
    Dense d = new Dense(1);
    HostArray ys = HostArray.ofFloats(Shape.of(5, 1), new float[] {1, 0, 2, 1, 0.5f});
    HostArray weights = HostArray.of(new float[] {1, 2, 0, 1, 3});
    try (Model m = rankOneOutputModel(d)) {
      m.compile(new SGD(0.1), "mse", "mae");
      // Python Keras 3.15.1 on the same model, weights and data: evaluate, with sample_weight.
      assertEquals(2.405625104904175, m.evaluate(RANK_ONE_X, ys).get("loss"), 1e-6);
      assertEquals(1.3650000095367432, m.evaluate(RANK_ONE_X, ys).get("mae"), 1e-6);
      double weighted =
          m.evaluate(
                  List.of(RANK_ONE_X),
                  List.of(ys),
                  EvaluateOptions.batchSize(32).sampleWeight(weights))
              .get("loss");
      assertEquals(2.4690001010894775, weighted, 1e-6);
      // Keras's fit(epochs=2, batch_size=2, shuffle=False): these logs and weights.
      History h =
          m.fit(RANK_ONE_X, ys, FitOptions.epochs(2).batchSize(2).shuffle(false).verbose(0));
      assertEquals(1.7645841836929321, h.history().get("loss").get(0), 1e-6);
      assertEquals(0.5452873110771179, h.last("loss"), 1e-6);
      assertEquals(0.5523648262023926, h.last("mae"), 1e-6);
      assertArrayEquals(new float[] {-0.07843730f, 0.33762869f}, d.kernel().read(), 1e-6f);
      assertArrayEquals(new float[] {0.42342222f}, d.bias().read(), 1e-6f);
    }
  }

  @Test
  void rankOneOutputsTrainOnRankOneLabels() {
    // A (batch,) output against (batch,) labels: Keras's loss is one value per batch, which
    // sample weights scale by their mean; jkeras used to crash (NegativeArraySizeException).
    Dense d = new Dense(1);
    HostArray ys = HostArray.of(new float[] {1, 0, 2, 1, 0.5f});
    HostArray weights = HostArray.of(new float[] {1, 2, 0, 1, 3});
    try (Model m = rankOneOutputModel(d)) {
      m.compile(new SGD(0.1), "mse", "mae");
      // Python Keras 3.15.1 on the same model, weights and data.
      double weighted =
          m.evaluate(
                  List.of(RANK_ONE_X),
                  List.of(ys),
                  EvaluateOptions.batchSize(32).sampleWeight(weights))
              .get("loss");
      assertEquals(3.36787486076355, weighted, 1e-6);
      // fit(epochs=2, batch_size=2, shuffle=False): mae is one value per batch, averaged by batch.
      History h =
          m.fit(RANK_ONE_X, ys, FitOptions.epochs(2).batchSize(2).shuffle(false).verbose(0));
      assertEquals(1.7645841836929321, h.history().get("loss").get(0), 1e-6);
      assertEquals(0.9496666789054871, h.history().get("mae").get(0), 1e-6);
      assertEquals(0.5363929867744446, h.last("mae"), 1e-6);
      assertArrayEquals(new float[] {0.42342222f}, d.bias().read(), 1e-6f);
    }
  }

  @Test
  void severalOutputsLogEachOutputsUnweightedLoss() {
    // Keras logs "<output>_loss" (before loss_weights) for each output of a multi-output model.
    KerasTensor in = Input.of(2);
    Dense a = Dense.builder(1).name("a").build();
    Dense b = Dense.builder(2).name("b").build();
    HostArray xs = HostArray.of(new float[][] {{1, 2}, {3, -1}, {0.5f, 0.5f}, {-2, 1}, {1, 1}});
    HostArray ya = HostArray.ofFloats(Shape.of(5, 1), new float[] {1, 0, 2, 1, 0.5f});
    HostArray yb = HostArray.of(new float[][] {{1, 0}, {0, 1}, {1, 1}, {0, 0}, {2, 1}});
    try (Model m = new Model(List.of(in), List.of(a.apply(in), b.apply(in)))) {
      a.kernel().assign(new float[] {0.5f, -0.25f});
      a.bias().assign(new float[] {0.1f});
      b.kernel().assign(new float[] {0.1f, 0.2f, 0.3f, -0.4f});
      b.bias().assign(new float[] {0f, 0.5f});
      m.compile(
          new SGD(0.1),
          io.jkeras.losses.OutputLosses.of(
              new io.jkeras.losses.MeanSquaredError(), new io.jkeras.losses.MeanAbsoluteError()),
          io.jkeras.losses.LossWeights.of(1.0, 0.5));
      // Python Keras 3.15.1, same model, weights and data: evaluate(return_dict=True).
      java.util.Map<String, Double> e =
          m.evaluate(List.of(xs), List.of(ya, yb), EvaluateOptions.batchSize(32));
      assertEquals(2.655625104904175, e.get("loss"), 1e-6);
      assertEquals(2.405625104904175, e.get("a_loss"), 1e-6);
      assertEquals(0.5, e.get("b_loss"), 1e-6);
      // fit(epochs=1, batch_size=2, shuffle=False, validation_split=0.4): Keras's TF trainer
      // averages the per-output losses over batches (2 and 1 samples) without weighing them.
      History h =
          m.fit(
              List.of(xs),
              List.of(ya, yb),
              FitOptions.epochs(1).batchSize(2).shuffle(false).verbose(0).validationSplit(0.4));
      assertEquals(2.8281748294830322, h.last("loss"), 1e-6);
      assertEquals(2.901324987411499, h.last("a_loss"), 1e-6);
      assertEquals(0.453125, h.last("b_loss"), 1e-6);
      assertEquals(0.3767465353012085, h.last("val_a_loss"), 1e-6);
      assertEquals(0.6156250238418579, h.last("val_b_loss"), 1e-6);
    }
  }

  /**
   * Keras's weighted_metrics take the sample and class weights, the metrics do not; a weighted
   * metric whose name a metric already has is logged as weighted_<name>. Python Keras 3.15.1, same
   * model, weights and data: compile(SGD(0.1), "binary_crossentropy", metrics=["mae"],
   * weighted_metrics=["mae", "binary_accuracy", AUC(name="auc")]).
   */
  @Test
  void weightedMetricsTakeSampleAndClassWeights() {
    KerasTensor in = Input.of(2);
    Dense d = Dense.builder(1).activation("sigmoid").name("p").build();
    HostArray x =
        HostArray.of(new float[][] {{1, 2}, {3, -1}, {0.5f, 0.5f}, {-2, 1}, {1, 1}, {0, -1}});
    HostArray y = HostArray.ofFloats(Shape.of(6, 1), new float[] {1, 0, 1, 0, 1, 1});
    HostArray w = HostArray.ofFloats(Shape.of(6), new float[] {0.5f, 2, 1, 0, 1.5f, 1});
    try (Model m = new Model(List.of(in), List.of(d.apply(in)))) {
      d.kernel().assign(new float[] {0.5f, -0.25f});
      d.bias().assign(new float[] {0.1f});
      m.compile(
          new SGD(0.1),
          io.jkeras.losses.OutputLosses.single(new io.jkeras.losses.BinaryCrossentropy()),
          null,
          io.jkeras.metrics.OutputMetrics.of(List.of("mae")),
          io.jkeras.metrics.OutputMetrics.of(
              List.of(
                  "mae", "binary_accuracy", io.jkeras.metrics.AUC.builder().name("auc").build())));
      // evaluate(x, y, sample_weight=w, batch_size=4)
      java.util.Map<String, Double> e =
          m.evaluate(List.of(x), List.of(y), EvaluateOptions.batchSize(4).sampleWeight(w));
      assertEquals(1.0391143560409546, e.get("loss"), 1e-6);
      assertEquals(0.47506463527679443, e.get("mae"), 1e-6);
      assertEquals(0.5738677978515625, e.get("weighted_mae"), 1e-6);
      assertEquals(0.6666666865348816, e.get("binary_accuracy"), 1e-6);
      assertEquals(0.0, e.get("auc"), 1e-6);
      // fit(epochs=1, batch_size=2, shuffle=False, class_weight={0: 0.25, 1: 1.0},
      //     validation_data=(x[:4], y[:4], w[:4]))
      HostArray x4 = HostArray.of(new float[][] {{1, 2}, {3, -1}, {0.5f, 0.5f}, {-2, 1}});
      HostArray y4 = HostArray.ofFloats(Shape.of(4, 1), new float[] {1, 0, 1, 0});
      HostArray w4 = HostArray.ofFloats(Shape.of(4), new float[] {0.5f, 2, 1, 0});
      History h =
          m.fit(
              List.of(x),
              List.of(y),
              FitOptions.epochs(1)
                  .batchSize(2)
                  .shuffle(false)
                  .verbose(0)
                  .classWeight(java.util.Map.of(0, 0.25, 1, 1.0))
                  .validationData(x4, y4, w4));
      assertEquals(0.4711203873157501, h.last("loss"), 1e-6);
      assertEquals(0.4734255075454712, h.last("mae"), 1e-6);
      assertEquals(0.44437375664711, h.last("weighted_mae"), 1e-6);
      assertEquals(0.9444444179534912, h.last("binary_accuracy"), 1e-6);
      assertEquals(0.5, h.last("auc"), 1e-6);
      assertEquals(1.2397701740264893, h.last("val_loss"), 1e-6);
      assertEquals(0.490909218788147, h.last("val_mae"), 1e-6);
      assertEquals(0.6781297326087952, h.last("val_weighted_mae"), 1e-6);
      assertEquals(0.4285714328289032, h.last("val_binary_accuracy"), 1e-6);
      assertEquals(0.0, h.last("val_auc"), 1e-6);
    }
  }
}
