package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.models.ForwardGraph;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The seed project's IMDB baseline: Input(100) int32 -> Embedding(20000, 50) -> Dropout(0.2) ->
 * Conv1D(250, 3, relu) -> GlobalMaxPooling1D -> Dense(250, relu) -> Dropout(0.2) -> Dense(1,
 * sigmoid).
 */
class SeedModelTest {

  static final int MAXLEN = 100;
  static final int VOCAB = 20000;
  static final int EMBED = 50;
  static final int FILTERS = 250;
  static final int KERNEL = 3;
  static final int HIDDEN = 250;

  /** The model with Keras's automatic names spelled out, so the summary can be compared. */
  static final class Baseline {
    final KerasTensor input = Input.named("input_layer", "int32", MAXLEN);
    final Embedding embedding = Embedding.builder(VOCAB, EMBED).name("embedding").build();
    final Dropout dropout = Dropout.builder(0.2).name("dropout").build();
    final Conv1D conv =
        Conv1D.builder(FILTERS, KERNEL)
            .padding("valid")
            .activation("relu")
            .strides(1)
            .name("conv1d")
            .build();
    final GlobalMaxPooling1D pool = new GlobalMaxPooling1D("global_max_pooling1d");
    final Dense hidden = Dense.builder(HIDDEN).activation("relu").name("dense").build();
    final Dropout dropout1 = Dropout.builder(0.2).name("dropout_1").build();
    final Dense out = Dense.builder(1).activation("sigmoid").name("dense_1").build();

    final KerasTensor embedded = embedding.apply(input);
    final KerasTensor dropped = dropout.apply(embedded);
    final KerasTensor convolved = conv.apply(dropped);
    final KerasTensor pooled = pool.apply(convolved);
    final KerasTensor output = out.apply(dropout1.apply(hidden.apply(pooled)));

    Model model() {
      return new Model(List.of(input), List.of(output), "functional");
    }
  }

  @Test
  void shapesParamCountsAndSummaryMatchKeras() {
    Baseline b = new Baseline();
    assertArrayEquals(new long[] {-1, 100, 50}, b.embedded.shape().asArray());
    assertArrayEquals(new long[] {-1, 98, 250}, b.convolved.shape().asArray());
    assertArrayEquals(new long[] {-1, 250}, b.pooled.shape().asArray());
    assertArrayEquals(new long[] {-1, 1}, b.output.shape().asArray());
    assertEquals(1_000_000, b.embedding.countParams());
    assertEquals(37_750, b.conv.countParams());
    try (Model model = b.model()) {
      assertEquals(1_100_751, model.countParams());
      // Printed by Keras 3.15.1 (model.summary() with COLUMNS=80) for the same model and names.
      String keras =
          String.join(
              "\n",
              "Model: \"functional\"",
              "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
              "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
              "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
              "│ input_layer (InputLayer)        │ (None, 100)            │             0 │",
              "├─────────────────────────────────┼────────────────────────┼───────────────┤",
              "│ embedding (Embedding)           │ (None, 100, 50)        │     1,000,000 │",
              "├─────────────────────────────────┼────────────────────────┼───────────────┤",
              "│ dropout (Dropout)               │ (None, 100, 50)        │             0 │",
              "├─────────────────────────────────┼────────────────────────┼───────────────┤",
              "│ conv1d (Conv1D)                 │ (None, 98, 250)        │        37,750 │",
              "├─────────────────────────────────┼────────────────────────┼───────────────┤",
              "│ global_max_pooling1d            │ (None, 250)            │             0 │",
              "│ (GlobalMaxPooling1D)            │                        │               │",
              "├─────────────────────────────────┼────────────────────────┼───────────────┤",
              "│ dense (Dense)                   │ (None, 250)            │        62,750 │",
              "├─────────────────────────────────┼────────────────────────┼───────────────┤",
              "│ dropout_1 (Dropout)             │ (None, 250)            │             0 │",
              "├─────────────────────────────────┼────────────────────────┼───────────────┤",
              "│ dense_1 (Dense)                 │ (None, 1)              │           251 │",
              "└─────────────────────────────────┴────────────────────────┴───────────────┘",
              " Total params: 1,100,751 (4.20 MB)",
              " Trainable params: 1,100,751 (4.20 MB)",
              " Non-trainable params: 0 (0.00 B)",
              "");
      assertEquals(keras, model.summaryString(76));
      assertEquals(
          List.of(
              "embedding/embeddings",
              "conv1d/kernel",
              "conv1d/bias",
              "dense/kernel",
              "dense/bias",
              "dense_1/kernel",
              "dense_1/bias"),
          model.weights().stream().map(Weight::path).toList());
    }
  }

  /** The whole model at inference in double, from the layers' current weights. */
  static double reference(Baseline b, int[] ids) {
    float[] table = b.embedding.embeddings().read();
    float[] kernel = b.conv.kernel().read();
    float[] convBias = b.conv.bias().read();
    float[] w1 = b.hidden.kernel().read();
    float[] b1 = b.hidden.bias().read();
    float[] w2 = b.out.kernel().read();
    float[] b2 = b.out.bias().read();
    int steps = MAXLEN - KERNEL + 1;
    double[] pooled = new double[FILTERS];
    java.util.Arrays.fill(pooled, Double.NEGATIVE_INFINITY);
    for (int t = 0; t < steps; t++) {
      for (int f = 0; f < FILTERS; f++) {
        double acc = convBias[f];
        for (int j = 0; j < KERNEL; j++) {
          int row = ids[t + j] * EMBED;
          for (int c = 0; c < EMBED; c++) {
            acc += table[row + c] * (double) kernel[(j * EMBED + c) * FILTERS + f];
          }
        }
        pooled[f] = Math.max(pooled[f], Math.max(0, acc));
      }
    }
    double logit = b2[0];
    for (int u = 0; u < HIDDEN; u++) {
      double h = b1[u];
      for (int f = 0; f < FILTERS; f++) {
        h += pooled[f] * w1[f * HIDDEN + u];
      }
      logit += Math.max(0, h) * w2[u];
    }
    return 1 / (1 + Math.exp(-logit));
  }

  @Test
  void predictsWhatTheDoubleReferenceComputes() {
    GlobalSeed.set(2024);
    Baseline b = new Baseline();
    // Larger weights than Keras's defaults, so that the output is far from 0.5 and the check
    // sees every layer.
    Random rnd = new Random(17);
    for (Weight w : List.of(b.embedding.embeddings(), b.conv.bias(), b.hidden.bias())) {
      float[] v = new float[(int) w.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.5);
      }
      w.assign(v);
    }
    int[][] rows = new int[4][MAXLEN];
    for (int[] row : rows) {
      for (int i = 0; i < MAXLEN; i++) {
        row[i] = rnd.nextInt(VOCAB);
      }
    }
    rows[3] = new int[MAXLEN]; // all padding
    try (Model model = b.model()) {
      float[][] y = model.predict(rows);
      assertEquals(4, y.length);
      double lo = 1;
      double hi = 0;
      for (int r = 0; r < rows.length; r++) {
        double expected = reference(b, rows[r]);
        assertEquals(expected, y[r][0], 2e-5, "row " + r);
        lo = Math.min(lo, expected);
        hi = Math.max(hi, expected);
      }
      assertTrue(hi - lo > 0.01, "outputs differ between rows: " + lo + " .. " + hi);

      // An id beyond the vocabulary is refused before the run, naming the input, the id, its
      // position, the layer and the range; the model still works after.
      int[][] bad = {rows[0].clone()};
      bad[0][50] = VOCAB;
      var e = assertThrows(IllegalArgumentException.class, () -> model.predict(bad));
      assertTrue(
          e.getMessage().contains("has id 20000 at [0, 50], outside the range [0, 20000)")
              && e.getMessage().contains("layer \"embedding\" (Embedding)"),
          e.getMessage());
      assertEquals(y[0][0], model.predict(new int[][] {rows[0]})[0][0], 1e-6);
    }
  }

  @Test
  void trainingPassHasGradientsForEveryWeight() {
    // Dropout's random mask sits between the embedding and the convolution: the gradient must
    // pass through it (and the embedding's assert) without a missing-gradient error or a crash.
    Baseline b = new Baseline();
    try (Model model = b.model()) {
      ModelRuntime runtime = ModelRuntime.of(model);
      ForwardGraph train = runtime.forward(true);
      Ops tf = runtime.graphSession().tf();
      Operand<TFloat32> y = train.outputs().get(0);
      Operand<TFloat32> loss = tf.reduceSum(y, tf.constant(new int[] {0, 1}));
      List<Weight> weights = model.weights();
      Output<?>[] wrt = new Output<?>[weights.size()];
      for (int i = 0; i < wrt.length; i++) {
        wrt[i] = weights.get(i).value().asOutput();
      }
      Output<?>[] grads = runtime.graphSession().graph().addGradients(loss.asOutput(), wrt);
      int[] ids = new int[2 * MAXLEN];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 1 + (i % 7); // only ids 1..7 occur
      }
      List<float[]> values = new ArrayList<>();
      try (TInt32 x = TInt32.tensorOf(Shape.of(2, MAXLEN), DataBuffers.of(ids, true, false))) {
        var runner =
            runtime.graphSession().session().runner().feed(runtime.inputPlaceholders().get(0), x);
        for (Output<?> g : grads) {
          runner.fetch(g);
        }
        try (Result r = runner.run()) {
          for (int i = 0; i < grads.length; i++) {
            TFloat32 t = (TFloat32) r.get(i);
            assertEquals(weights.get(i).shape(), t.shape(), weights.get(i).path());
            float[] v = new float[(int) t.size()];
            t.copyTo(DataBuffers.of(v, false, false));
            values.add(v);
          }
        }
      }
      float[] dTable = values.get(0);
      double used = 0;
      double unused = 0;
      for (int id = 0; id < 20; id++) {
        for (int c = 0; c < EMBED; c++) {
          double a = Math.abs(dTable[id * EMBED + c]);
          if (id >= 1 && id <= 7) {
            used += a;
          } else {
            unused += a;
          }
        }
      }
      assertTrue(used > 0, "rows of the ids in the batch get gradient");
      assertEquals(0, unused, "rows of absent ids get none");
      for (int i = 1; i < values.size(); i++) {
        double s = 0;
        for (float v : values.get(i)) {
          s += Math.abs(v);
        }
        assertTrue(s > 0, weights.get(i).path() + " has a zero gradient");
      }
    }
  }

  @Test
  void gradientsThroughGraphGradientsEqualTensorFlowsDenseOnes() {
    // GraphGradients takes the convolution's gradients from the steps holding the pooled maxima
    // (io.jkeras.backend.MaxPooledConv1DGradients); TensorFlow's own gradient of the same graph,
    // dense, is the reference. Inference mode (no dropout mask), reviews that repeat trigrams so
    // that some maxima tie.
    Baseline b = new Baseline();
    try (Model model = b.model()) {
      ModelRuntime runtime = ModelRuntime.of(model);
      Ops tf = runtime.graphSession().tf();
      Operand<TFloat32> y = runtime.forward(false).outputs().get(0);
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, y), tf.constant(new int[] {0, 1}));
      List<Weight> weights = model.weights();
      Output<?>[] wrt = new Output<?>[weights.size()];
      for (int i = 0; i < wrt.length; i++) {
        wrt[i] = weights.get(i).value().asOutput();
      }
      // GraphGradients first: its rewrites match the forward ops only while nothing else reads
      // them.
      Output<?>[] ours = io.jkeras.backend.GraphGradients.add(runtime.graphSession(), loss, wrt);
      Output<?>[] dense = runtime.graphSession().graph().addGradients(loss.asOutput(), wrt);
      int batch = 4;
      int[] ids = new int[batch * MAXLEN];
      Random rnd = new Random(3);
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 1 + rnd.nextInt(40);
      }
      for (int r = 0; r < batch; r++) {
        for (int t = 0; t < 3; t++) { // the same trigram at steps 10, 40 and 70
          ids[r * MAXLEN + 40 + t] = ids[r * MAXLEN + 10 + t];
          ids[r * MAXLEN + 70 + t] = ids[r * MAXLEN + 10 + t];
        }
      }
      try (TInt32 x = TInt32.tensorOf(Shape.of(batch, MAXLEN), DataBuffers.of(ids, true, false))) {
        var runner =
            runtime
                .graphSession()
                .session()
                .runner()
                .feed(runtime.inputPlaceholders().get(0), x)
                .setOptions(
                    org.tensorflow.proto.RunOptions.newBuilder()
                        .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE)
                        .build());
        for (int i = 0; i < wrt.length; i++) {
          runner.fetch(dense[i]).fetch(ours[i]);
        }
        try (Result r = runner.runAndFetchMetadata()) {
          boolean cpuBuild =
              System.getProperty("os.arch").equals("amd64")
                  && System.getProperty("os.name").equals("Linux");
          long sparseRuns =
              r.getMetadata().orElseThrow().getStepStats().getDevStatsList().stream()
                  .flatMap(dev -> dev.getNodeStatsList().stream())
                  .filter(node -> node.getTimelineLabel().contains("SparseTensorDenseMatMul("))
                  .count();
          assertEquals(cpuBuild ? 2 : 0, sparseRuns, "sparse products of the convolution run");
          for (int i = 0; i < wrt.length; i++) {
            float[] want = values((TFloat32) r.get(2 * i));
            float[] got = values((TFloat32) r.get(2 * i + 1));
            double scale = 0;
            double worst = 0;
            for (int j = 0; j < want.length; j++) {
              scale = Math.max(scale, Math.abs(want[j]));
              worst = Math.max(worst, Math.abs(want[j] - got[j]));
            }
            assertTrue(scale > 0, weights.get(i).path() + " has a zero gradient");
            assertTrue(
                worst <= 1e-5 * scale,
                weights.get(i).path() + ": largest difference " + worst + " of " + scale);
          }
        }
      }
    }
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
