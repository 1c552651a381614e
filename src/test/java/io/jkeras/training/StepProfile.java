package io.jkeras.training;

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
 * once per environment (for example with {@code TF_ENABLE_ONEDNN_OPTS} 0 and 1); {@code
 * -Dprofile.byNode=true} lists single nodes instead of op types.
 *
 * <pre>{@code
 * java -cp target/test-classes:target/classes:$(cat target/speed-matrix.classpath) \
 *     io.jkeras.training.StepProfile ../shared/datasets/aclImdb_v1_labeled.tar.gz fm 32,256,1024 8
 * }</pre>
 */
public final class StepProfile {

  /** With {@code -Dprofile.byNode=true}: times per node (type and name), the top 40. */
  private static final boolean BY_NODE = Boolean.getBoolean("profile.byNode");

  private StepProfile() {}

  /**
   * Runs the profile.
   *
   * @param a the data (IMDB archive or Frappe folder), the model (baseline, fm, deepfm, dcnv2,
   *     xdeepfm), batch sizes, batches per measurement, and optionally intra,inter op threads
   * @throws Exception when TensorFlow or the data fails
   */
  public static void main(String[] a) throws Exception {
    String name = a[1];
    boolean imdb = name.equals("fm") || name.equals("baseline");
    ImdbData d = imdb ? Imdb.load(Path.of(a[0]), 20000, 100) : null;
    ClickData clicks =
        imdb ? null : LibfmReader.builder().read(Path.of(a[0], "frappe.validation.libfm"));
    int[] batches = Arrays.stream(a[2].split(",")).mapToInt(Integer::parseInt).toArray();
    int steps = Integer.parseInt(a[3]);
    if (a.length > 4) { // intra,inter op threads
      String[] t = a[4].split(",");
      SessionOptions.setDefaults(
          SessionOptions.builder()
              .intraOpThreads(Integer.parseInt(t[0]))
              .interOpThreads(Integer.parseInt(t[1]))
              .build());
    }
    for (int batch : batches) {
      KerasNames.reset();
      GlobalSeed.set(1);
      int rows = batch * steps;
      try (Model m = model(name, clicks)) {
        List<HostArray> x, y, vx, vy;
        if (imdb) {
          m.compile("adam", "binary_crossentropy", "accuracy");
          x = slice(HostArray.of(d.xTrain()), rows);
          y = slice(HostArray.of(d.yTrain()), rows);
          vx = slice(List.of(HostArray.of(d.xTest())), 0, rows);
          vy = slice(List.of(HostArray.of(d.yTest())), 0, rows);
        } else {
          m.compile(new Adam(1e-3, 0.9, 0.999, 1e-7), new BinaryCrossentropy(), new AUC());
          // Training rows first, validation rows after them, as many of each as the file holds.
          List<HostArray> all = CtrModels.inputs(m, clicks);
          int n = Math.min(rows, clicks.rows() / 2);
          x = slice(all, 0, n);
          y = slice(List.of(clicks.labels()), 0, n);
          vx = slice(all, n, n);
          vy = slice(List.of(clicks.labels()), n, n);
          rows = n;
        }
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
        into.merge(
            BY_NODE ? type + " " + node.getNodeName() : type, node.getAllEndRelMicros(), Long::sum);
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
    for (int i = 0; i < Math.min(BY_NODE ? 40 : 12, top.size()); i++) {
      sb.append(
          String.format(
              Locale.ROOT,
              " %s %.0f%%",
              top.get(i).getKey(),
              100.0 * top.get(i).getValue() / Math.max(1, total)));
    }
    System.out.println(sb);
  }

  private static Model model(String name, ClickData clicks) {
    switch (name) {
      case "fm":
        return SeedModels.fm(20000, 100);
      case "baseline":
        return SeedModels.baseline(20000, 100);
      default:
        return CtrModels.builder(name, Features.oneHot(clicks.fields(), clicks.idBound(), 16))
            .build();
    }
  }

  private static List<HostArray> slice(HostArray a, int rows) {
    return slice(List.of(a), 0, rows);
  }

  private static List<HostArray> slice(List<HostArray> as, int from, int rows) {
    List<HostArray> out = new ArrayList<>();
    for (HostArray a : as) {
      try (Tensor t = a.rows(from, from + Math.min(rows, a.count() - from), a.dtype())) {
        out.add(HostArray.of((org.tensorflow.ndarray.NdArray<?>) t));
      }
    }
    return out;
  }
}
