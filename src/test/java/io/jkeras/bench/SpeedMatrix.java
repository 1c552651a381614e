package io.jkeras.bench;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.backend.SessionOptions;
import io.jkeras.ctr.CtrModels;
import io.jkeras.data.ClickData;
import io.jkeras.data.Features;
import io.jkeras.data.LibfmReader;
import io.jkeras.datasets.Imdb;
import io.jkeras.datasets.ImdbData;
import io.jkeras.experiments.SeedModels;
import io.jkeras.layers.KerasNames;
import io.jkeras.losses.BinaryCrossentropy;
import io.jkeras.metrics.AUC;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adam;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The jkeras side of {@code benchmarks/speed-matrix}: trains and predicts with the IMDB baseline
 * and FM models and the DeepFM and DCN-v2 CTR models on Frappe at the matrix's batch sizes, the
 * median of 3 epochs per training cell after an untimed warm-up on a few batches (graph building
 * excluded, as for Keras' tracing on the Python side), the median of 3 runs per predict cell, and
 * measures the machine's fp32 matmul rate. Prints one JSON line on stdout; progress goes to stderr.
 *
 * <pre>{@code
 * java -cp ... io.jkeras.bench.SpeedMatrix --imdb ../shared/datasets/aclImdb_v1_labeled.tar.gz \
 *     --frappe ../shared/datasets/frappe --batch1-rows 2000 --export-fm /tmp/fm
 * }</pre>
 */
public final class SpeedMatrix {

  private static final int NUM_WORDS = 20000;
  private static final int MAX_LEN = 100;

  private SpeedMatrix() {}

  /**
   * Runs the matrix.
   *
   * @param args {@code --imdb FILE --frappe DIR [--batch1-rows N] [--export-fm DIR] [--only all or
   *     a comma list of matmul, imdb, ctr]}
   * @throws Exception when a file cannot be read or a model fails
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int batch1Rows = Integer.parseInt(o.getOrDefault("batch1-rows", "2000"));
    String only = o.getOrDefault("only", "all");
    java.util.Set<String> parts =
        only.equals("all")
            ? java.util.Set.of("matmul", "imdb", "ctr")
            : java.util.Set.of(only.split(","));
    StringBuilder json = new StringBuilder("{");
    if (parts.contains("matmul")) {
      json.append("\"matmul_gflops\": ").append(fmt(matmulGflops(2048, 20))).append(", ");
    }
    json.append("\"cells\": {");
    List<String> cells = new ArrayList<>();
    if (parts.contains("imdb")) {
      imdb(Path.of(o.get("imdb")), batch1Rows, o.get("export-fm"), cells);
    }
    if (parts.contains("ctr")) {
      ctr(Path.of(o.get("frappe")), batch1Rows, cells);
    }
    json.append(String.join(", ", cells)).append("}}");
    System.out.println(json);
  }

  private static void imdb(Path data, int batch1Rows, String exportFm, List<String> cells)
      throws Exception {
    ImdbData d = Imdb.load(data, NUM_WORDS, MAX_LEN);
    HostArray xTrain = HostArray.of(d.xTrain());
    HostArray yTrain = HostArray.of(d.yTrain());
    HostArray xTest = HostArray.of(d.xTest());
    HostArray yTest = HostArray.of(d.yTest());
    int[][] few = java.util.Arrays.copyOf(d.xTest(), Math.min(batch1Rows, d.xTest().length));
    for (String name : List.of("baseline", "fm")) {
      Supplier<Model> make =
          () -> {
            KerasNames.reset();
            GlobalSeed.set(1);
            Model m =
                name.equals("fm")
                    ? SeedModels.fm(NUM_WORDS, MAX_LEN)
                    : SeedModels.baseline(NUM_WORDS, MAX_LEN);
            m.compile("adam", "binary_crossentropy", "accuracy");
            return m;
          };
      for (int batch : new int[] {32, 256, 1024}) {
        try (Model m = make.get()) {
          double s =
              epochSeconds(
                  m,
                  List.of(xTrain),
                  List.of(yTrain),
                  List.of(xTest),
                  List.of(yTest),
                  batch,
                  d.xTrain().length,
                  3);
          cells.add(cell("imdb_" + name + "_train_" + batch, s));
          progress("imdb %s train batch %d: %.2f s/epoch", name, batch, s);
          if (batch == 1024) {
            for (int pb : new int[] {1, 32, 1024}) {
              List<HostArray> x = List.of(pb == 1 ? HostArray.of(few) : xTest);
              double r = predictRowsPerSecond(m, x, pb);
              cells.add(cell("imdb_" + name + "_predict_" + pb, r));
              progress("imdb %s predict batch %d: %.0f rows/s", name, pb, r);
            }
            if (name.equals("fm") && exportFm != null) {
              Path v = Path.of(exportFm).resolve("1");
              Files.createDirectories(v.getParent());
              m.export(v);
            }
          }
        }
      }
    }
  }

  private static void ctr(Path dir, int batch1Rows, List<String> cells) throws Exception {
    ClickData all = LibfmReader.builder().read(dir.resolve("frappe.validation.libfm"));
    ClickData test =
        LibfmReader.builder().fields(all.fields()).read(dir.resolve("frappe.test.libfm"));
    Features features = Features.oneHot(all.fields(), Math.max(all.idBound(), test.idBound()), 16);
    ClickData[] parts = all.split(0.1, 1);
    ClickData train = parts[0];
    ClickData valid = parts[1];
    ClickData few = head(test, batch1Rows);
    for (String name : List.of("deepfm", "dcnv2")) {
      for (int batch : new int[] {256, 1024, 4096}) {
        KerasNames.reset();
        GlobalSeed.set(1);
        try (Model m = CtrModels.builder(name, features).build()) {
          // As `jkeras ctr` runs them: one thread per op (docs/speed.md); benchmarks/speed-matrix
          // runs these cells in a JVM of their own, as the first sessions size the pools.
          m.sessionOptions(SessionOptions.defaults().toBuilder().intraOpThreads(1).build());
          m.compile(new Adam(1e-3, 0.9, 0.999, 1e-7), new BinaryCrossentropy(), new AUC());
          double s =
              epochSeconds(
                  m,
                  CtrModels.inputs(m, train),
                  List.of(train.labels()),
                  CtrModels.inputs(m, valid),
                  List.of(valid.labels()),
                  batch,
                  train.rows(),
                  3);
          cells.add(cell("ctr_" + name + "_train_" + batch, s));
          progress("ctr %s train batch %d: %.2f s/epoch", name, batch, s);
          if (batch == 4096) {
            for (int pb : new int[] {1, 32, 1024, 4096}) {
              List<HostArray> x = CtrModels.inputs(m, pb == 1 ? few : test);
              double r = predictRowsPerSecond(m, x, pb);
              cells.add(cell("ctr_" + name + "_predict_" + pb, r));
              progress("ctr %s predict batch %d: %.0f rows/s", name, pb, r);
            }
          }
        }
      }
    }
  }

  /** The first rows of a click table. */
  private static ClickData head(ClickData d, int rows) {
    int n = Math.min(rows, d.rows());
    int[] ids = new int[n * d.fields()];
    float[] numeric = new float[n * d.numericColumns()];
    float[] labels = new float[n];
    HostArray num = d.numeric();
    for (int r = 0; r < n; r++) {
      for (int f = 0; f < d.fields(); f++) {
        ids[r * d.fields() + f] = d.id(r, f);
      }
      for (int c = 0; c < d.numericColumns(); c++) {
        numeric[r * d.numericColumns() + c] =
            (float) num.valueAt((long) r * d.numericColumns() + c);
      }
      labels[r] = d.label(r);
    }
    return new ClickData(d.fields(), d.numericColumns(), ids, numeric, labels);
  }

  /**
   * Median seconds of {@code epochs} epochs (training and validation), after an untimed one-epoch
   * warm-up on a slice of the training and validation rows that includes a partial last batch (so
   * that every graph and shape the timed epoch uses exists already).
   */
  private static double epochSeconds(
      Model m,
      List<HostArray> x,
      List<HostArray> y,
      List<HostArray> vx,
      List<HostArray> vy,
      int batch,
      int rows,
      int epochs) {
    int warm = Math.min(rows, 2 * batch + rows % batch);
    int vrows = vx.get(0).count();
    int vwarm = Math.min(vrows, batch + vrows % batch);
    m.fit(
        slice(x, warm),
        slice(y, warm),
        FitOptions.epochs(1)
            .batchSize(batch)
            .verbose(0)
            .validationData(slice(vx, vwarm), slice(vy, vwarm)));
    History h =
        m.fit(x, y, FitOptions.epochs(epochs).batchSize(batch).verbose(0).validationData(vx, vy));
    List<Double> s = new ArrayList<>(h.epochSeconds());
    java.util.Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static List<HostArray> slice(List<HostArray> xs, int rows) {
    List<HostArray> out = new ArrayList<>();
    for (HostArray a : xs) {
      try (Tensor t = a.rows(0, rows, a.dtype())) {
        out.add(HostArray.of((org.tensorflow.ndarray.NdArray<?>) t));
      }
    }
    return out;
  }

  /** Rows per second of predict at one batch size, after a warm-up call on a few batches. */
  private static double predictRowsPerSecond(Model m, List<HostArray> x, int batch) {
    int rows = x.get(0).count();
    m.predict(slice(x, Math.min(rows, 3 * batch)), batch);
    double[] rates = new double[3];
    for (int i = 0; i < rates.length; i++) {
      long t0 = System.nanoTime();
      m.predict(x, batch);
      rates[i] = rows / ((System.nanoTime() - t0) / 1e9);
    }
    java.util.Arrays.sort(rates);
    return rates[1];
  }

  /** fp32 GFLOP/s of an n x n by n x n MatMul in TensorFlow, best of a few timed runs. */
  private static double matmulGflops(int n, int reps) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> a = tf.placeholder(TFloat32.class);
      var c = tf.sum(tf.linalg.matMul(a, a), tf.constant(new int[] {0, 1}));
      float[] v = new float[n * n];
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextFloat();
      }
      double best = 0;
      try (TFloat32 t =
          TFloat32.tensorOf(
              org.tensorflow.ndarray.Shape.of(n, n),
              org.tensorflow.ndarray.buffer.DataBuffers.of(v, true, false))) {
        for (int i = 0; i < reps; i++) {
          long t0 = System.nanoTime();
          try (var res = s.runner().feed(a, t).fetch(c).run()) {
            res.get(0).close();
          }
          double secs = (System.nanoTime() - t0) / 1e9;
          best = Math.max(best, 2.0 * n * n * n / secs / 1e9);
        }
      }
      progress("matmul %d x %d: %.1f GFLOP/s (best of %d)", n, n, best, reps);
      return best;
    }
  }

  private static String cell(String key, double value) {
    return "\"" + key + "\": " + fmt(value);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, "speed-matrix: " + format + "%n", args);
    System.err.flush();
  }
}
