package io.jkeras.cli;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.backend.SessionOptions;
import io.jkeras.callbacks.CSVLogger;
import io.jkeras.callbacks.Callback;
import io.jkeras.callbacks.EarlyStopping;
import io.jkeras.callbacks.ProgressLogger;
import io.jkeras.ctr.ClickMetrics;
import io.jkeras.ctr.CtrModels;
import io.jkeras.data.ClickData;
import io.jkeras.data.ClickStream;
import io.jkeras.data.CsvReader;
import io.jkeras.data.Features;
import io.jkeras.data.LibfmReader;
import io.jkeras.distribute.MinSizePartitioner;
import io.jkeras.distribute.MultiWorkerMirroredStrategy;
import io.jkeras.distribute.ParameterServerStrategy;
import io.jkeras.distribute.Strategy;
import io.jkeras.distribute.TfConfig;
import io.jkeras.io.AtomicFile;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.layers.KerasNames;
import io.jkeras.layers.Weight;
import io.jkeras.losses.BinaryCrossentropy;
import io.jkeras.metrics.AUC;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adam;
import io.jkeras.training.Batch;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import io.jkeras.training.HistoryChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * {@code jkeras ctr}: trains CTR models on click data (Frappe by default) with Adam and binary
 * cross-entropy, early stopping on the held-out part's AUC (best weights restored), and reports
 * each model's test AUC and log loss; writes a history CSV per model, a chart of the validation AUC
 * curves and {@code results.json}.
 */
final class CtrCommand {

  static final String HELP =
      String.join(
          "\n",
          "usage: jkeras ctr [options]",
          "",
          "Trains CTR models and reports test AUC and log loss.",
          "",
          "data (one of):",
          "  --data DIR         a Frappe folder: trains on frappe.validation.libfm (part held out",
          "                     for early stopping), tests on frappe.test.libfm",
          "  --train FILE --test FILE",
          "                     libfm files (.libfm, .libsvm, .txt), or CSV/TSV (.csv, .tsv) with",
          "                     --label COL --categorical C1,C2,... [--numeric N1,...]",
          "                     [--hash-bins N: hash categorical values instead of vocabularies]",
          "",
          "options:",
          "  --models LIST      comma-separated, of " + String.join(",", CtrModels.NAMES),
          "                     (default fm,deepfm,dcnv2,xdeepfm)",
          "  --emb N            embedding size (default 16)",
          "  --batch-size N     (default 1024)",
          "  --epochs N         at most this many epochs (default 30)",
          "  --patience N       epochs without a better validation AUC before stopping (default 2)",
          "  --learning-rate X  Adam's learning rate (default 0.001)",
          "  --holdout X        share of the training rows held out for early stopping (0.1)",
          "  --seed N           seed for weights and the split (default 1)",
          "  --out DIR          output folder (default out/ctr)",
          "  --verbose N        0 silent, 1 progress bar, 2 one line per epoch (default 2)",
          "  --intra-op-threads N",
          "                     threads one TensorFlow op may use, for the whole run (TensorFlow",
          "                     sizes its pools once per process); 0: TensorFlow's choice (all",
          "                     cores). Default 1, measured faster for models of small ops, or 0",
          "                     when --models includes xdeepfm (docs/speed.md)",
          "  --strategy S       train as one task of a TensorFlow cluster described by TF_CONFIG:",
          "                     multi_worker_mirrored or parameter_server; one model (--models);",
          "                     a ps task serves until every worker has finished; the chief",
          "                     (chief 0, else worker 0) writes the outputs",
          "  --min-shard-bytes B with --strategy parameter_server: split each embedding table",
          "                     into row shards of at least B bytes, at most one per ps task",
          "                     (Keras's MinSizePartitioner), so a table may exceed one machine",
          "  --stream           stream the training file from disk in shuffled batches instead",
          "                     of reading it into memory (for files larger than memory); needs",
          "                     --valid FILE for early stopping",
          "  --valid FILE       validation rows (with --stream)",
          "  --shuffle-buffer N rows held for shuffling with --stream (default 100000)",
          "  --export-npy DIR   write the split (ids, numeric, labels of train/valid/test) and",
          "                     features.json for Python, and stop",
          "  --help             this text");

  int run(String[] args) throws IOException {
    Arguments a =
        new Arguments(
            "ctr",
            args,
            Set.of(
                "data",
                "train",
                "test",
                "label",
                "categorical",
                "numeric",
                "hash-bins",
                "models",
                "emb",
                "batch-size",
                "epochs",
                "patience",
                "learning-rate",
                "holdout",
                "seed",
                "out",
                "verbose",
                "intra-op-threads",
                "strategy",
                "min-shard-bytes",
                "valid",
                "shuffle-buffer",
                "export-npy"),
            Set.of("help", "stream"));
    if (a.has("help")) {
      System.out.println(HELP);
      return 0;
    }
    // Numbers are checked here, naming the option, before any data is read.
    int emb = atLeast(a, "emb", 16, 1);
    int batchSize = atLeast(a, "batch-size", 1024, 1);
    int epochs = atLeast(a, "epochs", 30, 1);
    int patience = atLeast(a, "patience", 2, 0);
    int verbose = a.getInt("verbose", 2);
    if (verbose < 0 || verbose > 2) {
      throw new Arguments.UsageException("ctr: --verbose: expected 0, 1 or 2, got " + verbose);
    }
    if (a.has("hash-bins")) {
      atLeast(a, "hash-bins", 0, 1);
    }
    if (a.has("shuffle-buffer")) {
      atLeast(a, "shuffle-buffer", 0, 1);
    }
    for (String streamOnly : List.of("valid", "shuffle-buffer")) {
      if (a.has(streamOnly) && !a.has("stream")) {
        // Without --stream the held-out share of --train validates: --valid would be ignored.
        throw new Arguments.UsageException(
            "ctr: --"
                + streamOnly
                + " applies only with --stream (without it, --holdout of the"
                + " training rows validates)");
      }
    }
    double lr = number(a, "learning-rate", 1e-3);
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new Arguments.UsageException(
          "ctr: --learning-rate: expected a positive number, got " + a.get("learning-rate", ""));
    }
    double holdout = number(a, "holdout", 0.1);
    if (!(holdout > 0 && holdout < 1)) {
      throw new Arguments.UsageException(
          "ctr: --holdout: expected a fraction between 0 and 1 (exclusive), got "
              + a.get("holdout", ""));
    }
    long seed = a.getInt("seed", 1);
    Path out = Path.of(a.get("out", "out/ctr"));
    List<String> models = List.of(a.get("models", "fm,deepfm,dcnv2,xdeepfm").split(","));
    int intraOpThreads = a.getInt("intra-op-threads", models.contains("xdeepfm") ? 0 : 1);
    if (intraOpThreads < 0) {
      throw new Arguments.UsageException(
          "--intra-op-threads: expected 0 or more, got " + intraOpThreads);
    }
    // One setting for every model of the run: the first session sizes TensorFlow's pools.
    SessionOptions threads =
        SessionOptions.defaults().toBuilder().intraOpThreads(intraOpThreads).build();
    for (String m : models) {
      if (!CtrModels.NAMES.contains(m)) {
        throw new Arguments.UsageException(
            "--models: expected names from " + CtrModels.NAMES + ", got \"" + m + "\"");
      }
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new Arguments.UsageException("ctr: --out: expected a folder, got the file " + out);
    }
    long minShardBytes = minShardBytes(a);
    Strategy strategy = null;
    if (a.has("strategy")) {
      String kind = a.get("strategy", null);
      if (!kind.equals("multi_worker_mirrored") && !kind.equals("parameter_server")) {
        throw new Arguments.UsageException(
            "--strategy: expected multi_worker_mirrored or parameter_server, got \"" + kind + "\"");
      }
      if (!a.has("models") || models.size() != 1) {
        throw new Arguments.UsageException(
            "ctr: --strategy trains one model per cluster job; name it with --models NAME");
      }
      if (a.has("min-shard-bytes") && !kind.equals("parameter_server")) {
        throw new Arguments.UsageException(
            "--min-shard-bytes: only --strategy parameter_server splits tables, got --strategy "
                + kind);
      }
      TfConfig config = TfConfig.fromEnvironment();
      if (config.taskType().equals("ps")) {
        if (!kind.equals("parameter_server")) {
          throw new Arguments.UsageException(
              "ctr: TF_CONFIG names a ps task, which only --strategy parameter_server has");
        }
        System.out.println(
            "ps task "
                + config.taskIndex()
                + " serving on "
                + config.address()
                + " until the"
                + " workers finish");
        ParameterServerStrategy.serveUntilWorkersFinish(config);
        System.out.println("every worker has finished");
        return 0;
      }
      strategy =
          kind.equals("parameter_server")
              ? parameterServer(config, minShardBytes)
              : new MultiWorkerMirroredStrategy(config);
      System.out.println(
          "cluster task "
              + config.taskName()
              + " ("
              + kind
              + ", chief: "
              + strategy.isChief()
              + ")");
    }
    Path trainFile;
    Path testFile;
    if (a.has("data")) {
      Path dir = Path.of(a.get("data", null));
      trainFile = dir.resolve("frappe.validation.libfm");
      testFile = dir.resolve("frappe.test.libfm");
    } else if (a.has("train") && a.has("test")) {
      trainFile = Path.of(a.get("train", null));
      testFile = Path.of(a.get("test", null));
    } else {
      throw new Arguments.UsageException("ctr: give --data DIR, or --train FILE and --test FILE");
    }

    long t0 = System.nanoTime();
    boolean streaming = a.has("stream");
    if (streaming && (strategy != null || a.has("export-npy"))) {
      throw new Arguments.UsageException(
          "ctr: --stream trains one process from the file; it does not combine with --strategy"
              + " or --export-npy");
    }
    if (streaming && !a.has("valid")) {
      throw new Arguments.UsageException(
          "ctr: --stream needs --valid FILE (rows for early stopping, read into memory)");
    }
    ClickData all;
    ClickData test;
    ClickData streamedValid = null;
    ClickStream stream = null;
    Features features;
    String name = trainFile.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean csv = name.endsWith(".csv") || name.endsWith(".tsv");
    for (String option : List.of("label", "categorical", "numeric", "hash-bins")) {
      if (!csv && a.has(option)) {
        throw new Arguments.UsageException(
            "ctr: --"
                + option
                + " is for CSV/TSV data (a .csv or .tsv file); "
                + trainFile
                + " is read as libfm, whose rows name their own fields");
      }
    }
    if (csv) {
      CsvReader.Fitted fitted = csvReader(a, name.endsWith(".tsv")).fit(trainFile);
      if (streaming) {
        stream = streamOptions(a, ClickStream.csv(trainFile, fitted), batchSize, seed);
        streamedValid = fitted.read(Path.of(a.get("valid", null)));
        all = null;
      } else {
        all = fitted.read(trainFile);
      }
      test = fitted.read(testFile);
      features = fitted.features().withEmbeddingDim(emb);
    } else if (streaming) {
      LibfmReader reader = LibfmReader.builder().build();
      stream = streamOptions(a, ClickStream.libfm(trainFile, reader), batchSize, seed);
      streamedValid = reader.read(Path.of(a.get("valid", null)));
      test = reader.read(testFile);
      all = null;
      features =
          Features.oneHot(
              streamedValid.fields(),
              Math.max(stream.idBound(), Math.max(streamedValid.idBound(), test.idBound())),
              emb);
    } else {
      all = LibfmReader.builder().read(trainFile);
      test = LibfmReader.builder().fields(all.fields()).read(testFile);
      // libfm ids are global: the id space is the largest id either file names, plus one.
      features = Features.oneHot(all.fields(), Math.max(all.idBound(), test.idBound()), emb);
    }
    ClickData train;
    ClickData valid;
    if (streaming) {
      train = null;
      valid = streamedValid;
      System.out.printf(
          Locale.ROOT,
          "CTR data: %d training rows streamed from %s in batches of %d (shuffle buffer %d),"
              + " %d validation rows, %d test rows, %d fields, %d ids, %d numeric columns"
              + " (checked in %.1f s)%n",
          stream.rows(),
          trainFile,
          batchSize,
          a.getInt("shuffle-buffer", 100_000),
          valid.rows(),
          test.rows(),
          features.fieldCount(),
          features.idSpace(),
          features.numeric().size(),
          (System.nanoTime() - t0) / 1e9);
    } else {
      ClickData[] parts = all.split(holdout, seed);
      train = parts[0];
      valid = parts[1];
      System.out.printf(
          Locale.ROOT,
          "CTR data: %d training rows (%d fit, %d held out), %d test rows, %d fields, %d ids,"
              + " %d numeric columns, %.1f%% positive (read in %.1f s)%n",
          all.rows(),
          train.rows(),
          valid.rows(),
          test.rows(),
          features.fieldCount(),
          features.idSpace(),
          features.numeric().size(),
          100 * all.positiveRate(),
          (System.nanoTime() - t0) / 1e9);
    }

    if (a.has("export-npy")) {
      exportNpy(Path.of(a.get("export-npy", null)), features, train, valid, test);
      return 0;
    }
    boolean writes = strategy == null || strategy.isChief();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new Arguments.UsageException("--out: cannot create " + out + ": " + e.getMessage());
    }
    Map<String, Result> results = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> curves = new LinkedHashMap<>();
    for (String m : models) {
      KerasNames.reset();
      GlobalSeed.set(seed);
      Model built;
      try (var scope = strategy == null ? null : strategy.scope()) {
        built = CtrModels.builder(m, features).build();
        built.sessionOptions(threads);
        built.compile(new Adam(lr, 0.9, 0.999, 1e-7), new BinaryCrossentropy(), new AUC());
      }
      try (Model model = built) {
        // Asynchronous workers stop on their own and share the variables: only the chief restores
        // its best weights, once every other worker has finished this model (below).
        boolean restore = !(strategy instanceof ParameterServerStrategy) || strategy.isChief();
        EarlyStopping stop =
            EarlyStopping.builder()
                .monitor("val_auc")
                .patience(patience)
                .mode("max")
                .restoreBestWeights(restore)
                .build();
        List<HostArray> xs = streaming ? null : CtrModels.inputs(model, train);
        HostArray ys = streaming ? null : train.labels();
        int fitBatch = batchSize;
        if (strategy instanceof MultiWorkerMirroredStrategy mirrored) {
          // --batch-size is the global batch: each replica takes its part of every batch.
          xs = xs.stream().map(x -> mirrored.shard(x, batchSize)).toList();
          ys = mirrored.shard(ys, batchSize);
          fitBatch = mirrored.perReplicaBatchSize(batchSize);
        } else if (strategy instanceof ParameterServerStrategy ps) {
          xs = xs.stream().map(ps::shard).toList();
          ys = ps.shard(ys);
        }
        List<Callback> callbacks = new ArrayList<>();
        if (writes) {
          callbacks.add(new CSVLogger(out.resolve(m + "_history.csv")));
        }
        if (strategy instanceof ParameterServerStrategy ps) {
          callbacks.add(
              new Callback() {
                @Override
                public void onTrainEnd(Map<String, Double> logs) {
                  ps.reportFinished(m);
                  if (ps.isChief()) {
                    ps.awaitOtherWorkers(m);
                  }
                }
              });
        }
        callbacks.add(stop);
        if (verbose > 0) {
          // FitOptions.verbose alone sends progress to SLF4J, which the command line keeps at WARN.
          callbacks.add(new ProgressLogger(verbose, System.out));
        }
        FitOptions options =
            FitOptions.epochs(epochs)
                .batchSize(fitBatch)
                .validationData(CtrModels.inputs(model, valid), List.of(valid.labels()))
                .callbacks(callbacks.toArray(Callback[]::new))
                .verbose(verbose);
        System.out.printf(Locale.ROOT, "%n== %s: %,d params%n", m, model.countParams());
        History h =
            streaming
                ? model.fit(StreamedBatches.of(stream, model), options)
                : model.fit(xs, List.of(ys), options);
        for (Weight w : model.weights()) {
          if (w.rowPartition() != null) {
            System.out.printf(
                Locale.ROOT,
                "%s %s in %d row shards on the ps tasks%n",
                w.path(),
                w.shape(),
                w.rowPartition().shards());
          }
        }
        List<FloatNdArray> p = model.predict(CtrModels.inputs(model, test), 4096);
        float[] scores = new float[test.rows()];
        for (int i = 0; i < scores.length; i++) {
          scores[i] = p.get(0).getFloat(i, 0);
        }
        float[] labels = test.labelArray();
        double secs = 0;
        for (double s : h.epochSeconds()) {
          secs += s;
        }
        results.put(
            m,
            new Result(
                model.countParams(),
                h.epochs().size(),
                secs / h.epochs().size(),
                ClickMetrics.auc(labels, scores),
                ClickMetrics.logLoss(labels, scores)));
        Map<String, List<Double>> c = new LinkedHashMap<>();
        for (String key : List.of("auc", "val_auc", "loss", "val_loss")) {
          c.put(key, h.get(key));
        }
        curves.put(m, c);
      }
    }
    String table = table(results);
    System.out.println();
    System.out.print(table);
    if (strategy instanceof ParameterServerStrategy ps) {
      ps.reportFinished();
    }
    if (!writes) {
      System.out.println("not the chief: the chief writes the results");
      return 0;
    }
    HistoryChart.write(
        out.resolve("ctr_val_auc.png"),
        "CTR: AUC per epoch (" + trainFile.getFileName() + ")",
        curves);
    writeResults(out.resolve("results.json"), results, trainFile, testFile, emb, batchSize);
    System.out.println(
        "Wrote "
            + out.resolve("results.json")
            + ", "
            + out.resolve("ctr_val_auc.png")
            + " and the *_history.csv files");
    return 0;
  }

  /** --min-shard-bytes: a positive byte count, or 0 when not given (tables stay whole). */
  private static long minShardBytes(Arguments a) {
    if (!a.has("min-shard-bytes")) {
      return 0;
    }
    if (!a.has("strategy")) {
      throw new Arguments.UsageException(
          "--min-shard-bytes: only --strategy parameter_server splits tables; no --strategy given");
    }
    String text = a.get("min-shard-bytes", null);
    long bytes;
    try {
      bytes = Long.parseLong(text);
    } catch (NumberFormatException e) {
      bytes = 0;
    }
    if (bytes <= 0) {
      throw new Arguments.UsageException(
          "--min-shard-bytes: expected a positive number of bytes, got \"" + text + "\"");
    }
    return bytes;
  }

  /** A parameter-server strategy; tables split into shards of minShardBytes when above 0. */
  private static ParameterServerStrategy parameterServer(TfConfig config, long minShardBytes) {
    ParameterServerStrategy.Builder b = ParameterServerStrategy.builder(config);
    if (minShardBytes > 0) {
      b.variablePartitioner(new MinSizePartitioner(minShardBytes, config.cluster().numTasks("ps")));
    }
    return b.build();
  }

  private static ClickStream streamOptions(
      Arguments a, ClickStream.Builder b, int batchSize, long seed) {
    return b.batchSize(batchSize)
        .shuffleBuffer(a.getInt("shuffle-buffer", 100_000))
        .seed(seed)
        .build();
  }

  /** A model's batches from a click stream: each pass of fit is a pass over the file. */
  private static final class StreamedBatches implements Iterator<Batch>, AutoCloseable {
    private final ClickStream.Batches pass;
    private final Model model;

    private StreamedBatches(ClickStream.Batches pass, Model model) {
      this.pass = pass;
      this.model = model;
    }

    static Iterable<Batch> of(ClickStream stream, Model model) {
      return () -> new StreamedBatches(stream.iterator(), model);
    }

    @Override
    public boolean hasNext() {
      return pass.hasNext();
    }

    @Override
    public Batch next() {
      ClickData b = pass.next();
      return Batch.of(CtrModels.inputs(model, b), List.of(b.labels()));
    }

    @Override
    public void close() {
      pass.close();
    }
  }

  /** One model's figures. */
  record Result(long params, int epochs, double secondsPerEpoch, double testAuc, double logLoss) {}

  private static CsvReader csvReader(Arguments a, boolean tsv) {
    if (!a.has("label") || !a.has("categorical")) {
      throw new Arguments.UsageException(
          "ctr: CSV/TSV data needs --label COL and --categorical C1,C2,...");
    }
    CsvReader.Builder b = CsvReader.builder().separator(tsv ? '\t' : ',').label(a.get("label", ""));
    int bins = a.getInt("hash-bins", 0);
    for (String c : a.get("categorical", "").split(",")) {
      if (bins > 0) {
        b.hashed(c, bins);
      } else {
        b.categorical(c);
      }
    }
    if (a.has("numeric")) {
      for (String n : a.get("numeric", "").split(",")) {
        b.numeric(n);
      }
    }
    return b.build();
  }

  private static int atLeast(Arguments a, String name, int fallback, int min) {
    int v = a.getInt(name, fallback);
    if (v < min) {
      throw new Arguments.UsageException(
          "ctr: --" + name + ": expected a whole number of at least " + min + ", got " + v);
    }
    return v;
  }

  private static double number(Arguments a, String name, double fallback) {
    String v = a.get(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new Arguments.UsageException("--" + name + ": expected a number, got \"" + v + "\"");
    }
  }

  static String table(Map<String, Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-10s %12s %7s %8s %9s %12s%n",
            "model",
            "params",
            "epochs",
            "s/epoch",
            "test AUC",
            "test logloss"));
    results.forEach(
        (m, r) ->
            sb.append(
                String.format(
                    Locale.ROOT,
                    "%-10s %,12d %7d %8.2f %9.4f %12.4f%n",
                    m,
                    r.params(),
                    r.epochs(),
                    r.secondsPerEpoch(),
                    r.testAuc(),
                    r.logLoss())));
    return sb.toString();
  }

  private static void writeResults(
      Path file, Map<String, Result> results, Path train, Path test, int emb, int batchSize) {
    StringBuilder json = new StringBuilder("{\"framework\": \"jkeras\", \"train\": ");
    json.append(quote(train.toString()))
        .append(", \"test\": ")
        .append(quote(test.toString()))
        .append(", \"emb\": ")
        .append(emb)
        .append(", \"batch_size\": ")
        .append(batchSize)
        .append(", \"models\": {");
    boolean first = true;
    for (Map.Entry<String, Result> e : results.entrySet()) {
      Result r = e.getValue();
      json.append(first ? "" : ", ")
          .append(quote(e.getKey()))
          .append(
              String.format(
                  Locale.ROOT,
                  ": {\"params\": %d, \"epochs\": %d, \"seconds_per_epoch\": %.4f,"
                      + " \"test_auc\": %.6f, \"test_logloss\": %.6f}",
                  r.params(),
                  r.epochs(),
                  r.secondsPerEpoch(),
                  r.testAuc(),
                  r.logLoss()));
      first = false;
    }
    json.append("}}\n");
    try {
      AtomicFile.write(file, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** The exact rows each model trains, validates and tests on, for the Python benchmark. */
  private static void exportNpy(
      Path dir, Features features, ClickData train, ClickData valid, ClickData test)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, ClickData> parts = new LinkedHashMap<>();
    parts.put("train", train);
    parts.put("valid", valid);
    parts.put("test", test);
    for (Map.Entry<String, ClickData> e : parts.entrySet()) {
      ClickData d = e.getValue();
      int[] ids = new int[d.rows() * d.fields()];
      float[] num = new float[d.rows() * d.numericColumns()];
      for (int r = 0; r < d.rows(); r++) {
        for (int f = 0; f < d.fields(); f++) {
          ids[r * d.fields() + f] = d.id(r, f);
        }
        for (int n = 0; n < d.numericColumns(); n++) {
          num[r * d.numericColumns() + n] =
              (float) d.numeric().valueAt((long) r * d.numericColumns() + n);
        }
      }
      String p = e.getKey();
      NpyFile.write(
          dir.resolve("ids_" + p + ".npy"),
          NpyArray.ofInts(new long[] {d.rows(), d.fields()}, ids));
      NpyFile.write(
          dir.resolve("numeric_" + p + ".npy"),
          NpyArray.ofFloats(new long[] {d.rows(), d.numericColumns()}, num));
      NpyFile.write(
          dir.resolve("y_" + p + ".npy"),
          NpyArray.ofFloats(new long[] {d.rows(), 1}, d.labelArray()));
    }
    String json =
        String.format(
            Locale.ROOT,
            "{\"fields\": %d, \"id_space\": %d, \"numeric\": %d, \"emb\": %d}%n",
            features.fieldCount(),
            features.idSpace(),
            features.numeric().size(),
            features.embeddingDim());
    Files.writeString(dir.resolve("features.json"), json);
    System.out.println("Wrote the train/valid/test arrays and features.json to " + dir);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
