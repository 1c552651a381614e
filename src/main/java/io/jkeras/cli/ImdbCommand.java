package io.jkeras.cli;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.CSVLogger;
import io.jkeras.callbacks.Callback;
import io.jkeras.callbacks.ProgressLogger;
import io.jkeras.datasets.Imdb;
import io.jkeras.datasets.ImdbData;
import io.jkeras.experiments.SeedModels;
import io.jkeras.io.AtomicFile;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.layers.KerasNames;
import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import io.jkeras.training.HistoryChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code jkeras imdb}: the reference experiment. Trains the baseline (Dense(250)) and the FM
 * (FMLayer(200, 100)) sentiment models on IMDB with Adam, binary cross-entropy and batch 32,
 * validating on the test set; prints both summaries, the progress and a final table; writes the
 * histories (CSV), a chart (PNG) and the results (JSON) to the output folder.
 */
final class ImdbCommand {

  static final String HELP =
      String.join(
          "\n",
          "usage: jkeras imdb [options]",
          "",
          "Trains the seed's IMDB sentiment models (baseline Dense(250) and FMLayer(200, 100)).",
          "",
          "options:",
          "  --data PATH        aclImdb_v1.tar.gz (or the labeled-only archive); without it the",
          "                     official archive is downloaded once to ~/.jkeras/datasets",
          "                     ($JKERAS_IMDB is used when set)",
          "  --epochs N         epochs per model (default 2)",
          "  --batch-size N     batch size (default 32)",
          "  --models LIST      comma-separated: baseline,fm (default both)",
          "  --num-words N      vocabulary size (default 20000)",
          "  --max-len N        tokens per review (default 100)",
          "  --seed N           global seed for weights, dropout and shuffling (default 1)",
          "  --out DIR          output folder (default out/imdb)",
          "  --verbose N        0 silent, 1 progress bar, 2 one line per epoch (default: bar on a",
          "                     terminal, lines otherwise)",
          "  --rss              print the process RSS after every epoch (memory check)",
          "  --export-npy DIR   write the token arrays as .npy files for Python and stop",
          "  --save-models DIR  after training, save each model as DIR/<model>.keras and export it",
          "                     as a SavedModel to DIR/<model>/1 (a jkeras serve base path)",
          "  --help             this text");

  int run(String[] args) throws IOException {
    Arguments a =
        new Arguments(
            "imdb",
            args,
            Set.of(
                "data",
                "epochs",
                "batch-size",
                "models",
                "num-words",
                "max-len",
                "seed",
                "out",
                "verbose",
                "export-npy",
                "save-models"),
            Set.of("rss", "help"));
    if (a.has("help")) {
      System.out.println(HELP);
      return 0;
    }
    int epochs = positive(a, "epochs", 2);
    int batchSize = positive(a, "batch-size", 32);
    int numWords = a.getInt("num-words", 20000);
    if (numWords < 3) {
      throw new Arguments.UsageException(
          "imdb: --num-words: expected at least 3 (ids 0 to 2 are reserved), got " + numWords);
    }
    int maxLen = positive(a, "max-len", 100);
    long seed = a.getInt("seed", 1);
    Path out = Path.of(a.get("out", "out/imdb"));
    List<String> models = List.of(a.get("models", "baseline,fm").split(","));
    for (String m : models) {
      if (!m.equals("baseline") && !m.equals("fm")) {
        throw new Arguments.UsageException(
            "--models: expected baseline and/or fm, got \"" + m + "\"");
      }
    }

    // Wrong numbers and an occupied --save-models version folder are refused before the data
    // loads and the models train, naming the option.
    int verbose = a.has("verbose") ? a.getInt("verbose", 2) : ProgressLogger.autoVerbosity();
    if (verbose < 0 || verbose > 2) {
      throw new Arguments.UsageException("imdb: --verbose: expected 0, 1 or 2, got " + verbose);
    }
    if (a.has("save-models")) {
      for (String name : models) {
        Path version = Path.of(a.get("save-models", null)).resolve(name).resolve("1");
        if (Files.exists(version)) {
          throw new Arguments.UsageException(
              "imdb: --save-models: " + version + " exists already; choose another folder");
        }
      }
    }

    // --export-npy writes only its own folder: --out is not used then.
    if (!a.has("export-npy") && Files.exists(out) && !Files.isDirectory(out)) {
      throw new Arguments.UsageException("imdb: --out: expected a folder, got the file " + out);
    }
    long t0 = System.nanoTime();
    ImdbData data =
        a.has("data")
            ? Imdb.load(Path.of(a.get("data", null)), numWords, maxLen)
            : Imdb.load(numWords, maxLen);
    System.out.printf(
        Locale.ROOT,
        "IMDB: %d train and %d test reviews, %d words, length %d" + " (loaded in %.1f s)%n",
        data.xTrain().length,
        data.xTest().length,
        numWords,
        maxLen,
        (System.nanoTime() - t0) / 1e9);

    if (a.has("export-npy")) {
      exportNpy(data, Path.of(a.get("export-npy", null)));
      return 0;
    }

    HostArray xTrain = HostArray.of(data.xTrain());
    HostArray yTrain = HostArray.of(data.yTrain());
    HostArray xTest = HostArray.of(data.xTest());
    HostArray yTest = HostArray.of(data.yTest());
    Map<String, Map<String, List<Double>>> histories = new LinkedHashMap<>();
    Map<String, History> results = new LinkedHashMap<>();
    Map<String, Long> params = new LinkedHashMap<>();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new Arguments.UsageException("--out: cannot create " + out + ": " + e.getMessage());
    }
    for (String name : models) {
      KerasNames.reset();
      GlobalSeed.set(seed);
      try (Model model =
          name.equals("fm")
              ? SeedModels.fm(numWords, maxLen)
              : SeedModels.baseline(numWords, maxLen)) {
        model.summary();
        model.compile("adam", "binary_crossentropy", "accuracy");
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new CSVLogger(out.resolve(name + "_history.csv")));
        if (a.has("rss")) {
          callbacks.add(new ResidentMemoryLogger());
        }
        FitOptions options =
            FitOptions.epochs(epochs).batchSize(batchSize).validationData(xTest, yTest);
        if (verbose > 0) {
          // The command line prints progress; the library alone would log it through SLF4J.
          callbacks.add(new ProgressLogger(verbose, System.out));
        }
        options.verbose(verbose).callbacks(callbacks.toArray(new Callback[0]));
        History h = model.fit(xTrain, yTrain, options);
        if (a.has("save-models")) {
          Path dir = Path.of(a.get("save-models", null));
          Files.createDirectories(dir);
          model.save(dir.resolve(name + ".keras"));
          Path version = dir.resolve(name).resolve("1");
          if (Files.exists(version)) {
            throw new Arguments.UsageException("--save-models: " + version + " exists already");
          }
          model.export(version);
          System.out.println(
              "Saved " + dir.resolve(name + ".keras") + " and SavedModel " + version);
        }
        results.put(name, h);
        params.put(name, model.countParams());
        histories.put(name, h.history());
      }
    }
    String table = resultTable(results, params);
    System.out.println();
    System.out.print(table);
    HistoryChart.write(out.resolve("imdb_history.png"), "IMDB: baseline vs FM", histories);
    writeResults(out.resolve("results.json"), results, params, epochs, batchSize);
    System.out.println(
        "Wrote "
            + out.resolve("imdb_history.png")
            + ", "
            + out.resolve("results.json")
            + " and the *_history.csv files");
    return 0;
  }

  private static int positive(Arguments a, String name, int fallback) {
    int v = a.getInt(name, fallback);
    if (v < 1) {
      throw new Arguments.UsageException(
          "imdb: --" + name + ": expected a positive whole number, got " + v);
    }
    return v;
  }

  static String resultTable(Map<String, History> results, Map<String, Long> params) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-10s %12s %14s %10s  %s%n",
            "model",
            "params",
            "val_accuracy",
            "val_loss",
            "seconds per epoch"));
    for (Map.Entry<String, History> e : results.entrySet()) {
      History h = e.getValue();
      List<String> secs = new ArrayList<>();
      for (double s : h.epochSeconds()) {
        secs.add(String.format(Locale.ROOT, "%.1f", s));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%-10s %,12d %14.4f %10.4f  %s%n",
              e.getKey(),
              params.get(e.getKey()),
              h.last("val_accuracy"),
              h.last("val_loss"),
              String.join(", ", secs)));
    }
    return sb.toString();
  }

  private static void writeResults(
      Path file,
      Map<String, History> results,
      Map<String, Long> params,
      int epochs,
      int batchSize) {
    StringBuilder json =
        new StringBuilder(
            "{\"framework\": \"jkeras\", \"epochs\": "
                + epochs
                + ", \"batch_size\": "
                + batchSize
                + ", \"models\": {");
    boolean first = true;
    for (Map.Entry<String, History> e : results.entrySet()) {
      History h = e.getValue();
      json.append(first ? "" : ", ")
          .append('"')
          .append(e.getKey())
          .append("\": {")
          .append("\"params\": ")
          .append(params.get(e.getKey()))
          .append(", \"epoch_seconds\": ")
          .append(h.epochSeconds())
          .append(", \"val_accuracy\": ")
          .append(h.get("val_accuracy"))
          .append(", \"val_loss\": ")
          .append(h.get("val_loss"))
          .append(", \"accuracy\": ")
          .append(h.get("accuracy"))
          .append(", \"loss\": ")
          .append(h.get("loss"))
          .append('}');
      first = false;
    }
    json.append("}}\n");
    try {
      AtomicFile.write(
          file, tmp -> Files.writeString(tmp, json.toString(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static void exportNpy(ImdbData data, Path dir) {
    try {
      writeNpy(data, dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("--export-npy: cannot write to " + dir, e);
    }
  }

  private static void writeNpy(ImdbData data, Path dir) throws IOException {
    NpyFile.write(dir.resolve("x_train.npy"), NpyArray.ofInts(data.xTrain()));
    NpyFile.write(
        dir.resolve("y_train.npy"),
        NpyArray.ofFloats(new long[] {data.yTrain().length}, data.yTrain()));
    NpyFile.write(dir.resolve("x_test.npy"), NpyArray.ofInts(data.xTest()));
    NpyFile.write(
        dir.resolve("y_test.npy"),
        NpyArray.ofFloats(new long[] {data.yTest().length}, data.yTest()));
    System.out.println("Wrote x_train, y_train, x_test, y_test .npy files to " + dir);
  }
}
