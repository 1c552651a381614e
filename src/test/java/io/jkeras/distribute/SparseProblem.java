package io.jkeras.distribute;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.optimizers.Adagrad;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/** A CTR-like problem: FIELDS ids per row from a table of ROWS embeddings, a click label. */
final class SparseProblem {

  static final int TABLE_ROWS = 100_000;
  static final int DIM = 8;
  static final int FIELDS = 4;
  static final int SAMPLES = 2048;
  static final int BATCH = 64;

  private SparseProblem() {}

  static HostArray x() {
    return x(TABLE_ROWS);
  }

  /** Ids into a table of {@code rows} rows. */
  static HostArray x(int rows) {
    return HostArray.of(ids(rows));
  }

  /** The ids of {@link #x(int)}, a row of {@code FIELDS} per sample. */
  static int[][] ids(int rows) {
    int[][] ids = new int[SAMPLES][FIELDS];
    for (int i = 0; i < SAMPLES; i++) {
      for (int f = 0; f < FIELDS; f++) {
        // Each field draws from its own slice of the table, few ids repeat often.
        ids[i][f] = f * (rows / FIELDS) + (int) ((i * 7919L + f * 104729L) % 50);
      }
    }
    return ids;
  }

  static HostArray y() {
    float[] y = new float[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      long h = (i * 7919L) % 50 + ((i * 7919L + 104729L) % 50);
      y[i] = h % 3 == 0 ? 1f : 0f;
    }
    return HostArray.of(y);
  }

  static Model model() {
    return model(TABLE_ROWS);
  }

  /** Embedding(rows, 8) of 4 ids, flattened, then Dense(1, sigmoid); Adagrad(0.5). */
  static Model model(int rows) {
    KerasTensor in = Input.of("int32", FIELDS);
    KerasTensor e = new Embedding(rows, DIM).apply(in);
    KerasTensor out = new Dense(1, "sigmoid").apply(new Flatten().apply(e));
    Model m = new Model(in, out);
    m.compile(new Adagrad(0.5), "binary_crossentropy");
    return m;
  }

  /**
   * Gives {@code model}'s weights (table, kernel, bias) fixed values drawn from {@code seed}, so
   * that runs in different processes start equal.
   */
  static void setInitialWeights(Model model, long seed) {
    java.util.Random r = new java.util.Random(seed);
    for (io.jkeras.layers.Weight w : model.weights()) {
      float[] v = new float[Math.toIntExact(w.size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextDouble() * 0.1 - 0.05);
      }
      w.assign(v);
    }
  }

  /** The most bytes of {@code steps} traced training steps (the trace sometimes lacks a half). */
  static StepTraffic measureSteps(Model model, HostArray x, HostArray y, int steps) {
    StepTraffic most = null;
    for (int i = 0; i < steps; i++) {
      StepTraffic t = measureStep(model, x, y);
      if (most == null || t.bytes() > most.bytes()) {
        most = t;
      }
    }
    return most;
  }

  /** Runs one training step on the first batch with tracing and returns its cross-task traffic. */
  static StepTraffic measureStep(Model model, HostArray x, HostArray y) {
    Session s = ModelRuntime.of(model).graphSession().session();
    try (Tensor xb = x.rows(0, BATCH, "int32");
        Tensor yb = y.rows(0, BATCH, "float32")) {
      return StepTraffic.measure(
          s.runner()
              .feed(ModelRuntime.of(model).inputPlaceholders().get(0), xb)
              .feed("training/target_0", yb)
              .addTarget("adagrad/train_step"));
    }
  }
}
