package io.jkeras.training;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.datasets.Imdb;
import io.jkeras.datasets.ImdbData;
import io.jkeras.experiments.SeedModels;
import io.jkeras.layers.KerasNames;
import io.jkeras.models.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Tensor;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Per-op profile of the IMDB models' training and validation steps (issue 10): fits a seeded model
 * on a few batches untraced (wall time per sample), then on the same batches with TensorFlow's full
 * trace, and prints each op type's summed time per sample, training and validation apart. Run it
 * once per environment (for example with {@code TF_ENABLE_ONEDNN_OPTS} 0 and 1).
 *
 * <pre>{@code
 * java -cp target/test-classes:target/classes:$(cat target/speed-matrix.classpath) \
 *     io.jkeras.training.StepProfile ../shared/datasets/aclImdb_v1_labeled.tar.gz fm 32,256,1024 8
 * }</pre>
 */
public final class StepProfile {

  private StepProfile() {}

  /**
   * Runs the profile.
   *
   * @param a the IMDB archive, the model (baseline or fm), batch sizes, batches per measurement
   * @throws Exception when TensorFlow or the data fails
   */
  public static void main(String[] a) throws Exception {
    ImdbData d = Imdb.load(Path.of(a[0]), 20000, 100);
    String name = a[1];
    int[] batches = Arrays.stream(a[2].split(",")).mapToInt(Integer::parseInt).toArray();
    int steps = Integer.parseInt(a[3]);
    for (int batch : batches) {
      KerasNames.reset();
      GlobalSeed.set(1);
      try (Model m =
          name.equals("fm") ? SeedModels.fm(20000, 100) : SeedModels.baseline(20000, 100)) {
        m.compile("adam", "binary_crossentropy", "accuracy");
        int rows = batch * steps;
        List<HostArray> x = slice(HostArray.of(d.xTrain()), rows);
        List<HostArray> y = slice(HostArray.of(d.yTrain()), rows);
        List<HostArray> vx = slice(HostArray.of(d.xTest()), rows);
        List<HostArray> vy = slice(HostArray.of(d.yTest()), rows);
        FitOptions once = FitOptions.epochs(1).batchSize(batch).verbose(0).validationData(vx, vy);
        m.fit(x, y, once);
        double wall = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
          wall = Math.min(wall, m.fit(x, y, once).epochSeconds().get(0));
        }
        Map<String, Long> train = new HashMap<>();
        Map<String, Long> eval = new HashMap<>();
        TrainingGraph.stepTrace = (training, meta) -> add(training ? train : eval, meta);
        try {
          m.fit(x, y, once);
        } finally {
          TrainingGraph.stepTrace = null;
        }
        System.out.printf(
            Locale.ROOT,
            "%s batch %d: %.1f us/sample for a training plus a validation pass (untraced, best"
                + " of 3)%n",
            name,
            batch,
            wall * 1e6 / rows);
        m.predict(vx, batch);
        double predict = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
          long t0 = System.nanoTime();
          m.predict(vx, batch);
          predict = Math.min(predict, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(
            Locale.ROOT, "  predict    %.0f rows/s (best of 3)%n", vx.get(0).count() / predict);
        print("train", train, rows);
        print("validation", eval, rows);
      }
    }
  }

  private static void add(Map<String, Long> into, RunMetadata meta) {
    for (DeviceStepStats dev : meta.getStepStats().getDevStatsList()) {
      for (NodeExecStats node : dev.getNodeStatsList()) {
        String label = node.getTimelineLabel();
        int eq = label.indexOf(" = ");
        int paren = label.indexOf('(', eq + 3);
        String type =
            eq < 0 || paren < 0 ? node.getNodeName() : label.substring(eq + 3, paren).trim();
        into.merge(type, node.getAllEndRelMicros(), Long::sum);
      }
    }
  }

  private static void print(String what, Map<String, Long> micros, int rows) {
    long total = micros.values().stream().mapToLong(Long::longValue).sum();
    List<Map.Entry<String, Long>> top = new ArrayList<>(micros.entrySet());
    top.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT, "  %-10s %7.1f us/sample summed op time:", what, 1.0 * total / rows));
    for (int i = 0; i < Math.min(12, top.size()); i++) {
      sb.append(
          String.format(
              Locale.ROOT,
              " %s %.0f%%",
              top.get(i).getKey(),
              100.0 * top.get(i).getValue() / Math.max(1, total)));
    }
    System.out.println(sb);
  }

  private static List<HostArray> slice(HostArray a, int rows) {
    try (Tensor t = a.rows(0, Math.min(rows, a.count()), a.dtype())) {
      return List.of(HostArray.of((org.tensorflow.ndarray.NdArray<?>) t));
    }
  }
}
