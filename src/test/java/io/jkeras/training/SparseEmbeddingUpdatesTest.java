package io.jkeras.training;

import static io.jkeras.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.optimizers.Adagrad;
import io.jkeras.optimizers.Adam;
import io.jkeras.optimizers.LazyAdam;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.SGD;
import io.jkeras.testing.Numerics;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.GraphOperation;

/**
 * Embedding tables updated from their looked-up rows (scatter updates) train to the same numbers as
 * with the dense table-sized gradient, with ids repeated within a batch and rows left out of some
 * batches; options that would change the math fall back to dense; LazyAdam follows its own (lazy)
 * math, checked against a double-precision reference.
 */
class SparseEmbeddingUpdatesTest {

  static final int ROWS = 20;
  static final int DIM = 4;
  static final int FIELDS = 3;
  static final int SAMPLES = 24;

  /** Ids with repeats: half of them from the first 5 rows, so a batch of 8 repeats ids. */
  private static float[][] ids(Random rnd, int samples, int fields, int rows) {
    float[][] x = new float[samples][fields];
    for (int s = 0; s < samples; s++) {
      for (int f = 0; f < fields; f++) {
        x[s][f] = rnd.nextBoolean() ? rnd.nextInt(5) : rnd.nextInt(rows);
      }
    }
    return x;
  }

  /** The table and the dense kernel after 12 steps, and whether the graph holds scatter ops. */
  private static Object[] train(Optimizer optimizer) {
    Random rnd = new Random(3);
    float[][] x = ids(rnd, SAMPLES, FIELDS, ROWS);
    float[][] y = new float[SAMPLES][1];
    for (float[] r : y) {
      r[0] = (float) rnd.nextGaussian();
    }
    KerasTensor in = Input.of(FIELDS);
    Embedding emb = new Embedding(ROWS, DIM);
    Dense out = new Dense(1);
    KerasTensor pred = out.apply(new Flatten().apply(emb.apply(in)));
    emb.embeddings().assign(Numerics.uniform(new Random(5), ROWS * DIM, -0.5, 0.5));
    out.kernel().assign(Numerics.uniform(new Random(6), FIELDS * DIM, -0.5, 0.5));
    try (Model m = new Model(in, pred)) {
      m.compile(optimizer, "mse");
      m.fit(
          HostArray.of(x),
          HostArray.of(y),
          FitOptions.epochs(4).batchSize(8).shuffle(false).verbose(0));
      return new Object[] {
        emb.embeddings().read(), out.kernel().read(), hasOp(m, "ScatterSub"), optimizer.state()
      };
    }
  }

  private static boolean hasOp(Model m, String type) {
    Iterator<GraphOperation> ops = ModelRuntime.of(m).graphSession().graph().operations();
    while (ops.hasNext()) {
      if (ops.next().type().equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static void sparseEqualsDense(String what, Supplier<Optimizer> optimizer) {
    Object[] dense = train(optimizer.get().sparseUpdates(false));
    Object[] sparse = train(optimizer.get());
    assertFalse((Boolean) dense[2], what + ": dense run has scatter updates");
    assertTrue((Boolean) sparse[2], what + ": sparse run has no scatter update");
    for (int k = 0; k < 2; k++) {
      assertClose(
          what + (k == 0 ? " table" : " kernel"),
          Numerics.toDouble((float[]) dense[k]),
          (float[]) sparse[k],
          0,
          1e-6);
    }
    java.util.List<?> ds = (java.util.List<?>) dense[3];
    java.util.List<?> ss = (java.util.List<?>) sparse[3];
    assertEquals(ds.size(), ss.size(), what + ": optimizer variables");
    for (int i = 2; i < ds.size(); i++) {
      assertClose(
          what + " optimizer variable " + i,
          Numerics.toDouble((float[]) ds.get(i)),
          (float[]) ss.get(i),
          1e-6,
          1e-6);
    }
  }

  @Test
  void sgdWithoutMomentumUpdatesRowsAsDense() {
    sparseEqualsDense("SGD", () -> new SGD(0.1));
  }

  @Test
  void adagradUpdatesRowsAsDense() {
    sparseEqualsDense("Adagrad", () -> new Adagrad(0.1));
  }

  @Test
  void clippingLossScalingAndEmaKeepSparseUpdatesEqual() {
    sparseEqualsDense("SGD clipnorm", () -> new SGD(0.1).clipnorm(0.05));
    sparseEqualsDense("Adagrad global_clipnorm", () -> new Adagrad(0.1).globalClipnorm(0.05));
    sparseEqualsDense("SGD clipvalue", () -> new SGD(0.1).clipvalue(0.01));
    sparseEqualsDense("Adagrad loss scale", () -> new Adagrad(0.1).lossScaleFactor(64));
    sparseEqualsDense("SGD EMA", () -> new SGD(0.1).ema(0.9, 2));
  }

  /** One table looked up by two inputs: both lookups' rows are summed into one update. */
  private static Object[] trainShared(Optimizer optimizer) {
    Random rnd = new Random(4);
    float[][] a = ids(rnd, SAMPLES, 2, ROWS);
    float[][] b = ids(rnd, SAMPLES, 1, ROWS);
    float[][] y = new float[SAMPLES][1];
    for (float[] r : y) {
      r[0] = (float) rnd.nextGaussian();
    }
    KerasTensor inA = Input.of(2);
    KerasTensor inB = Input.of(1);
    Embedding emb = new Embedding(ROWS, DIM);
    Dense out = new Dense(1);
    KerasTensor joined =
        new io.jkeras.layers.Concatenate()
            .apply(new Flatten().apply(emb.apply(inA)), new Flatten().apply(emb.apply(inB)));
    KerasTensor pred = out.apply(joined);
    emb.embeddings().assign(Numerics.uniform(new Random(5), ROWS * DIM, -0.5, 0.5));
    out.kernel().assign(Numerics.uniform(new Random(6), 3 * DIM, -0.5, 0.5));
    try (Model m = new Model(java.util.List.of(inA, inB), java.util.List.of(pred))) {
      m.compile(optimizer, "mse");
      m.fit(
          java.util.List.of(HostArray.of(a), HostArray.of(b)),
          java.util.List.of(HostArray.of(y)),
          FitOptions.epochs(3).batchSize(8).shuffle(false).verbose(0));
      return new Object[] {emb.embeddings().read(), hasOp(m, "ScatterSub")};
    }
  }

  @Test
  void aTableLookedUpTwiceSumsBothLookupsRows() {
    Object[] dense = trainShared(new Adagrad(0.1).sparseUpdates(false));
    Object[] sparse = trainShared(new Adagrad(0.1));
    assertTrue((Boolean) sparse[1]);
    assertFalse((Boolean) dense[1]);
    assertClose(
        "shared table", Numerics.toDouble((float[]) dense[0]), (float[]) sparse[0], 0, 1e-6);
  }

  @Test
  void optionsThatTouchEveryRowFallBackToDense() {
    for (Optimizer o :
        new Optimizer[] {
          new SGD(0.1, 0.9, false),
          new Adagrad(0.1).weightDecay(0.01),
          new SGD(0.1).gradientAccumulationSteps(2),
          new Adam(0.01),
          new io.jkeras.optimizers.Ftrl()
        }) {
      assertFalse(o.updatesSparsely(), o.className());
      assertFalse((Boolean) train(o)[2], o.className() + " used scatter updates");
    }
    assertTrue(new SGD(0.1).updatesSparsely());
    assertTrue(new LazyAdam(0.01).updatesSparsely());
    assertFalse(new LazyAdam(0.01).weightDecay(0.1).updatesSparsely());
  }

  @Test
  void lazyAdamUpdatesOnlyLookedUpRowsAsItsDocumentedMath(@TempDir Path dir) {
    int rows = 10;
    int dim = 3;
    int fields = 2;
    int n = 12;
    int batch = 4;
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-7;
    Random rnd = new Random(11);
    float[][] x = ids(rnd, n, fields, rows);
    float[][] y = new float[n][fields * dim];
    for (float[] r : y) {
      for (int j = 0; j < r.length; j++) {
        r[j] = (float) rnd.nextGaussian();
      }
    }
    float[] w0 = Numerics.uniform(new Random(13), rows * dim, -0.5, 0.5);
    double[] w = Numerics.toDouble(w0);
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    int t = 0;
    int skippedMoving = 0; // steps x rows where dense Adam would still move a row, lazy does not
    for (int epoch = 0; epoch < 3; epoch++) {
      for (int from = 0; from < n; from += batch) {
        t++;
        // mse over (batch, fields * dim): dL/dE[id] += 2 (E[id] - y) / (batch * fields * dim).
        double[] g = new double[w.length];
        boolean[] touched = new boolean[rows];
        for (int s = from; s < from + batch; s++) {
          for (int f = 0; f < fields; f++) {
            int id = (int) x[s][f];
            touched[id] = true;
            for (int k = 0; k < dim; k++) {
              g[id * dim + k] += 2 * (w[id * dim + k] - y[s][f * dim + k]) / (batch * fields * dim);
            }
          }
        }
        double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        for (int r = 0; r < rows; r++) {
          if (!touched[r]) {
            skippedMoving += m[r * dim] != 0 ? 1 : 0;
            continue;
          }
          for (int k = r * dim; k < (r + 1) * dim; k++) {
            m[k] += (g[k] - m[k]) * (1 - b1);
            v[k] += (g[k] * g[k] - v[k]) * (1 - b2);
            w[k] -= alpha * m[k] / (Math.sqrt(v[k]) + eps);
          }
        }
      }
    }
    assertTrue(skippedMoving > 5, "the data must leave rows with momentum out of batches");
    KerasTensor in = Input.of(fields);
    Embedding emb = new Embedding(rows, dim);
    KerasTensor pred = new Flatten().apply(emb.apply(in));
    emb.embeddings().assign(w0);
    LazyAdam opt = new LazyAdam(lr);
    try (Model model = new Model(in, pred)) {
      model.compile(opt, "mse");
      model.fit(
          HostArray.of(x),
          HostArray.of(y),
          FitOptions.epochs(3).batchSize(batch).shuffle(false).verbose(0));
      assertTrue(hasOp(model, "ScatterSub"));
      assertClose("LazyAdam table", w, emb.embeddings().read(), 1e-5, 1e-6);
      assertClose("LazyAdam momentum", m, (float[]) opt.state().get(2), 1e-4, 1e-6);
      assertClose("LazyAdam velocity", v, (float[]) opt.state().get(3), 1e-4, 1e-9);
      model.save(dir.resolve("lazy.keras"));
    }
    // The file holds a Keras Adam with the lazily trained moments; it loads back as dense Adam.
    try (Model loaded = Model.load(dir.resolve("lazy.keras"))) {
      assertEquals(Adam.class, loaded.optimizer().getClass());
      assertEquals(new Adam(lr).getConfig(), loaded.optimizer().getConfig());
      loaded.fit(
          HostArray.of(x),
          HostArray.of(y),
          FitOptions.epochs(1).batchSize(n).shuffle(false).verbose(0));
      assertEquals(10L, loaded.optimizer().iterations());
      assertFalse(hasOp(loaded, "ScatterSub"));
    }
    // Written as Keras's Adam (Python reads it); the laziness is a runtime choice.
    assertEquals("Adam", opt.className());
    assertEquals(new Adam(lr).getConfig(), opt.getConfig());
  }
}
