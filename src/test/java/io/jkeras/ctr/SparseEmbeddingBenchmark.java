package io.jkeras.ctr;

import io.jkeras.backend.HostArray;
import io.jkeras.data.ClickData;
import io.jkeras.data.Features;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adagrad;
import io.jkeras.optimizers.Adam;
import io.jkeras.optimizers.LazyAdam;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.training.FitOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The jkeras side of benchmarks/sparse-embeddings: DeepFM training steps per second with the same
 * batches and a small or a large embedding table (hashed ids), for dense and row-sparse Adagrad,
 * Keras's (dense) Adam and LazyAdam. Prints one line per run: {@code jkeras <rows> <mode>
 * <steps/s>}.
 *
 * <p>Data: 26 hashed categorical fields (ids of a bounded Zipf law, rank hashed into {@code
 * rows/26} bins per field) and 13 numeric columns; written to {@code DIR/ids.npy}, {@code
 * numeric.npy}, {@code labels.npy} so that Python Keras trains on the same batches.
 *
 * <p>Usage: {@code SparseEmbeddingBenchmark DIR BATCH STEPS EMB ROWS...}
 */
public final class SparseEmbeddingBenchmark {

  static final int FIELDS = 26;
  static final int NUMERIC = 13;

  private SparseEmbeddingBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int batch = Integer.parseInt(args[1]);
    int steps = Integer.parseInt(args[2]);
    int emb = Integer.parseInt(args[3]);
    int warmup = 3;
    int rows = batch * (steps + warmup);
    Random rnd = new Random(7);
    // Zipf ranks (s = 1.1) over 10^6 ranks per field, by the inverse CDF of the continuous law.
    double s = 1.1;
    double n = 1e6;
    long[] ranks = new long[rows * FIELDS];
    float[] numeric = new float[rows * NUMERIC];
    float[] labels = new float[rows];
    double top = Math.pow(n, 1 - s);
    for (int i = 0; i < ranks.length; i++) {
      double u = rnd.nextDouble();
      ranks[i] = (long) Math.pow(1 + u * (top - 1), 1 / (1 - s));
    }
    for (int i = 0; i < numeric.length; i++) {
      numeric[i] = (float) Math.log1p(rnd.nextInt(100));
    }
    for (int i = 0; i < rows; i++) {
      labels[i] = rnd.nextDouble() < 0.25 ? 1f : 0f;
    }
    for (int a = 4; a < args.length; a++) {
      int tableRows = Integer.parseInt(args[a]);
      int bins = tableRows / FIELDS;
      int[] ids = new int[ranks.length];
      for (int i = 0; i < ids.length; i++) {
        int field = i % FIELDS;
        long h = (ranks[i] * 0x9E3779B97F4A7C15L) ^ (field * 0xC2B2AE3D27D4EB4FL);
        ids[i] = field * bins + (int) Long.remainderUnsigned(h ^ (h >>> 31), bins);
      }
      Path sub = dir.resolve(String.valueOf(tableRows));
      java.nio.file.Files.createDirectories(sub);
      NpyFile.write(sub.resolve("ids.npy"), NpyArray.ofInts(new long[] {rows, FIELDS}, ids));
      NpyFile.write(
          sub.resolve("numeric.npy"), NpyArray.ofFloats(new long[] {rows, NUMERIC}, numeric));
      NpyFile.write(sub.resolve("labels.npy"), NpyArray.ofFloats(new long[] {rows}, labels));
      Features.Builder fb = Features.builder(emb);
      for (int f = 0; f < FIELDS; f++) {
        fb.hashed("C" + (f + 1), bins);
      }
      for (int c = 0; c < NUMERIC; c++) {
        fb.numeric("I" + (c + 1));
      }
      Features features = fb.build();
      ClickData data = new ClickData(FIELDS, NUMERIC, ids, numeric, labels);
      for (String mode : List.of("adagrad-dense", "adagrad-sparse", "adam", "lazy-adam")) {
        Optimizer opt =
            switch (mode) {
              case "adagrad-dense" -> new Adagrad(0.01).sparseUpdates(false);
              case "adagrad-sparse" -> new Adagrad(0.01);
              case "adam" -> new Adam(0.001);
              default -> new LazyAdam(0.001);
            };
        double perSecond = stepsPerSecond(features, data, opt, batch, warmup, steps);
        System.out.printf("jkeras %d %s %.2f%n", features.idSpace(), mode, perSecond);
      }
    }
  }

  private static double stepsPerSecond(
      Features features, ClickData data, Optimizer opt, int batch, int warmup, int steps) {
    int[] head = new int[batch * warmup];
    int[] tail = new int[batch * steps];
    for (int i = 0; i < head.length; i++) {
      head[i] = i;
    }
    for (int i = 0; i < tail.length; i++) {
      tail[i] = head.length + i;
    }
    try (Model m = CtrModels.builder("deepfm", features).hidden(256, 128).build()) {
      m.compile(opt, "binary_crossentropy");
      FitOptions once = FitOptions.epochs(1).batchSize(batch).shuffle(false).verbose(0);
      ClickData warm = data.select(head);
      m.fit(CtrModels.inputs(m, warm), List.of(warm.labels()), once);
      ClickData timed = data.select(tail);
      List<HostArray> x = CtrModels.inputs(m, timed);
      long t0 = System.nanoTime();
      m.fit(x, List.of(timed.labels()), once);
      return steps / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
