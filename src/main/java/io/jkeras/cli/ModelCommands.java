package io.jkeras.cli;

import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.ProgressLogger;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.savedmodel.LoadedSavedModel;
import io.jkeras.savedmodel.SavedModel;
import io.jkeras.savedmodel.SignatureSpec;
import io.jkeras.savedmodel.TensorSpec;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.saving.TrainingConfigException;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;

/**
 * {@code jkeras inspect}, {@code convert}, {@code predict} and {@code fit}: the model-file
 * commands. A model is a {@code .keras} file, a legacy {@code .h5} file, or a SavedModel directory.
 */
final class ModelCommands {

  static final String INSPECT_HELP =
      String.join(
          "\n",
          "usage: jkeras inspect MODEL",
          "",
          "Prints what MODEL (.keras, legacy .h5, or SavedModel directory) holds: the summary,",
          "inputs and outputs of a Keras model; the signatures of a SavedModel.");

  static final String CONVERT_HELP =
      String.join(
          "\n",
          "usage: jkeras convert IN OUT",
          "",
          "IN is a .keras or legacy .h5 file. OUT ending in .keras writes a Keras 3 file; any"
              + " other",
          "OUT is a directory that receives a SavedModel (as Keras's model.export).");

  static final String PREDICT_HELP =
      String.join(
          "\n",
          "usage: jkeras predict MODEL IN OUT [--batch-size N]",
          "",
          "Runs MODEL on NumPy input. With one input and one output, IN and OUT are .npy files.",
          "With several, IN is a folder holding <input name>.npy for each input and OUT a folder",
          "that receives <output name>.npy for each output (a Keras model's output layer names, or",
          "the SavedModel signature's output keys). A folder works for a single input/output too.");

  static final String FIT_HELP =
      String.join(
          "\n",
          "usage: jkeras fit MODEL X Y OUT [--epochs N] [--batch-size N] [--no-shuffle]"
              + " [--validation-split F] [--verbose 0|1|2]",
          "",
          "Continues training the compiled .keras (or legacy .h5) file MODEL with its own"
              + " optimizer,",
          "loss, metrics and optimizer state, and writes the trained model to OUT (.keras)."
              + " X and Y",
          "are .npy files (one input, one output) or folders holding <input name>.npy and",
          "<output name>.npy. Defaults: 1 epoch, batch size 32, shuffled, no validation;",
          "--verbose prints no progress (0), a progress bar (1) or one line per epoch (2),",
          "by default the bar on a terminal and lines otherwise.");

  private ModelCommands() {}

  static boolean isSavedModel(Path p) {
    return Files.isDirectory(p)
        && (Files.exists(p.resolve("saved_model.pb"))
            || Files.exists(p.resolve("saved_model.pbtxt")));
  }

  static int inspect(String[] args) {
    Arguments a = new Arguments("inspect", args, Set.of(), Set.of("help"));
    if (a.has("help")) {
      System.out.println(INSPECT_HELP);
      return 0;
    }
    Path path = single(a, "inspect", INSPECT_HELP);
    if (isSavedModel(path)) {
      try (LoadedSavedModel m = SavedModel.load(path)) {
        System.out.println("SavedModel " + path + " (tags " + m.tags() + ")");
        for (SignatureSpec s : m.signatures().values()) {
          System.out.println("signature \"" + s.key() + "\" (" + s.methodName() + ")");
          for (TensorSpec t : s.inputs().values()) {
            System.out.println("  input  " + t.key() + ": " + t.dtype() + " " + t.formattedShape());
          }
          for (TensorSpec t : s.outputs().values()) {
            System.out.println("  output " + t.key() + ": " + t.dtype() + " " + t.formattedShape());
          }
        }
      }
      return 0;
    }
    String training = null;
    Model loaded;
    try {
      loaded = KerasModelFile.load(existing(path));
    } catch (TrainingConfigException e) {
      training = e.getCause().getMessage();
      loaded = KerasModelFile.load(path, true, false);
    }
    try (Model m = loaded) {
      m.summary();
      for (KerasTensor t : m.inputs()) {
        System.out.println(
            "input  " + t.layer().name() + ": " + t.dtype() + " " + KerasShape.format(t.shape()));
      }
      for (KerasTensor t : m.outputs()) {
        System.out.println(
            "output " + t.layer().name() + ": " + t.dtype() + " " + KerasShape.format(t.shape()));
      }
      if (m.isCompiled()) {
        System.out.println(
            "compiled: optimizer "
                + m.optimizer().className()
                + " (learning_rate "
                + m.optimizer().learningRate()
                + "), loss "
                + m.loss().name());
      } else if (training != null) {
        System.out.println("training settings not supported by jkeras: " + training);
      }
    }
    return 0;
  }

  static int convert(String[] args) {
    Arguments a = new Arguments("convert", args, Set.of(), Set.of("help"));
    if (a.has("help")) {
      System.out.println(CONVERT_HELP);
      return 0;
    }
    if (a.positional().size() != 2) {
      throw new Arguments.UsageException(
          "convert: expected IN and OUT, got " + a.positional() + "\n\n" + CONVERT_HELP);
    }
    Path in = Path.of(a.positional().get(0));
    Path out = Path.of(a.positional().get(1));
    if (isSavedModel(in)) {
      throw new Arguments.UsageException(
          "convert: "
              + in
              + " is a SavedModel, which holds a"
              + " graph, not Keras layers; convert from the .keras or .h5 file instead");
    }
    if (out.toString().endsWith(".h5")) {
      throw new Arguments.UsageException(
          "convert: writing legacy .h5 is not supported; use"
              + " OUT.keras (Keras 3's format) or a SavedModel directory");
    }
    if (out.toString().endsWith(".keras")) {
      for (String note : KerasModelFile.convert(existing(in), out)) {
        System.err.println("convert: " + note);
      }
      System.out.println("Wrote Keras file " + out);
    } else {
      try (Model m = KerasModelFile.load(existing(in), true, false)) {
        m.export(out);
      }
      System.out.println("Wrote SavedModel " + out);
    }
    return 0;
  }

  static int predict(String[] args) throws IOException {
    Arguments a = new Arguments("predict", args, Set.of("batch-size"), Set.of("help"));
    if (a.has("help")) {
      System.out.println(PREDICT_HELP);
      return 0;
    }
    if (a.positional().size() != 3) {
      throw new Arguments.UsageException(
          "predict: expected MODEL IN OUT, got " + a.positional() + "\n\n" + PREDICT_HELP);
    }
    Path modelPath = Path.of(a.positional().get(0));
    Path in = Path.of(a.positional().get(1));
    Path out = Path.of(a.positional().get(2));
    int batchSize = a.getInt("batch-size", Model.DEFAULT_BATCH_SIZE);
    if (batchSize < 1) {
      throw new Arguments.UsageException(
          "predict: --batch-size must be at least 1, got " + batchSize);
    }
    Map<String, NpyArray> results = new LinkedHashMap<>();
    if (isSavedModel(modelPath)) {
      try (LoadedSavedModel m = SavedModel.load(modelPath)) {
        SignatureSpec sig = m.defaultSignature();
        List<String> names = new ArrayList<>(sig.inputs().keySet());
        Map<String, NdArray<?>> feeds = new LinkedHashMap<>();
        List<NpyArray> arrays = readInputs(in, names);
        for (int i = 0; i < names.size(); i++) {
          String dtype = sig.inputs().get(names.get(i)).dtype();
          feeds.put(
              names.get(i), (NdArray<?>) converted(in, names.get(i), dtype, arrays.get(i), true));
        }
        for (Map.Entry<String, NdArray<?>> e : m.run(sig.key(), feeds).entrySet()) {
          results.put(e.getKey(), NpyArrays.fromNd(e.getValue()));
        }
      }
    } else {
      try (Model m = KerasModelFile.load(existing(modelPath), true, false)) {
        List<String> names = m.inputs().stream().map(t -> t.layer().name()).toList();
        List<HostArray> xs = new ArrayList<>();
        List<NpyArray> arrays = readInputs(in, names);
        for (int i = 0; i < names.size(); i++) {
          xs.add(
              (HostArray)
                  converted(in, names.get(i), m.inputs().get(i).dtype(), arrays.get(i), false));
        }
        List<FloatNdArray> ys;
        try {
          ys = m.predict(xs, batchSize);
        } catch (IllegalArgumentException e) {
          // InputRanges's check (an id outside an Embedding's range, say), or TensorFlow's
          // INVALID_ARGUMENT for what only the run finds.
          String inputs =
              names.size() == 1 ? "input \"" + names.get(0) + "\"" : "an input of " + names;
          throw new Arguments.UsageException(
              "predict: "
                  + modelPath
                  + " on "
                  + in
                  + ": "
                  + (e instanceof org.tensorflow.exceptions.TFInvalidArgumentException tf
                      ? io.jkeras.savedmodel.SavedModelInputException.describe(tf, inputs)
                      : e.getMessage()));
        }
        for (int k = 0; k < ys.size(); k++) {
          results.put(m.outputs().get(k).layer().name(), NpyArrays.fromNd(ys.get(k)));
        }
      }
    }
    writeOutputs(out, results);
    return 0;
  }

  /**
   * Input {@code name} read from {@code in} as the model's dtype (a SavedModel's NdArray or a
   * jkeras HostArray), refusing values the dtype cannot hold exactly.
   */
  private static Object converted(
      Path in, String name, String dtype, NpyArray array, boolean savedModel) {
    try {
      return savedModel ? NpyArrays.toNd(array, dtype) : NpyArrays.toHost(array, dtype);
    } catch (ArithmeticException e) {
      throw new Arguments.UsageException(
          "predict: "
              + in
              + ": input \""
              + name
              + "\" is "
              + dtype
              + " but "
              + e.getMessage()
              + " (like Keras, an integer input takes only whole, finite numbers)");
    }
  }

  static int fit(String[] args) throws IOException {
    Arguments a =
        new Arguments(
            "fit",
            args,
            Set.of("epochs", "batch-size", "validation-split", "verbose"),
            Set.of("help", "no-shuffle"));
    if (a.has("help")) {
      System.out.println(FIT_HELP);
      return 0;
    }
    if (a.positional().size() != 4) {
      throw new Arguments.UsageException(
          "fit: expected MODEL X Y OUT, got " + a.positional() + "\n\n" + FIT_HELP);
    }
    Path modelPath = existing(Path.of(a.positional().get(0)));
    Path out = Path.of(a.positional().get(3));
    if (!out.getFileName().toString().endsWith(".keras")) {
      throw new Arguments.UsageException("fit: OUT must be a .keras file, got " + out);
    }
    FitOptions options =
        FitOptions.epochs(positive(a, "epochs", 1))
            .batchSize(positive(a, "batch-size", Model.DEFAULT_BATCH_SIZE))
            .shuffle(!a.has("no-shuffle"));
    int verbose = a.has("verbose") ? a.getInt("verbose", 1) : ProgressLogger.autoVerbosity();
    if (verbose < 0 || verbose > 2) {
      throw new Arguments.UsageException("fit: --verbose: expected 0, 1 or 2, got " + verbose);
    }
    options.verbose(verbose);
    if (verbose > 0) {
      // FitOptions.verbose alone sends progress to SLF4J, which the command line keeps at WARN.
      options.callbacks(new ProgressLogger(verbose, System.out));
    }
    String split = a.get("validation-split", null);
    if (split != null) {
      double f;
      try {
        f = Double.parseDouble(split);
      } catch (NumberFormatException e) {
        throw new Arguments.UsageException(
            "--validation-split: expected a fraction in [0, 1), got \"" + split + "\"");
      }
      if (!(f >= 0 && f < 1)) {
        throw new Arguments.UsageException(
            "--validation-split: expected a fraction in [0, 1), got " + split);
      }
      options.validationSplit(f);
    }
    try (Model m = KerasModelFile.load(modelPath)) {
      if (!m.isCompiled()) {
        throw new Arguments.UsageException(
            "fit: "
                + modelPath
                + " holds no training settings (it was never compiled); compile and train it"
                + " in Python or Java code instead");
      }
      List<String> inputs = m.inputs().stream().map(t -> t.layer().name()).toList();
      List<String> outputs = m.outputs().stream().map(t -> t.layer().name()).toList();
      Path xPath = Path.of(a.positional().get(1));
      List<NpyArray> xArrays = readArrays("fit", xPath, inputs, "input");
      List<HostArray> xs = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        xs.add(
            (HostArray)
                converted(xPath, inputs.get(i), m.inputs().get(i).dtype(), xArrays.get(i), false));
      }
      List<HostArray> ys = new ArrayList<>();
      for (NpyArray arr : readArrays("fit", Path.of(a.positional().get(2)), outputs, "output")) {
        ys.add(NpyArrays.toHost(arr, "float32"));
      }
      m.fit(xs, ys, options);
      KerasModelFile.save(m, out);
    }
    System.out.println("Wrote Keras file " + out);
    return 0;
  }

  private static int positive(Arguments a, String name, int fallback) {
    int v = a.getInt(name, fallback);
    if (v < 1) {
      throw new Arguments.UsageException("--" + name + ": expected a positive number, got " + v);
    }
    return v;
  }

  private static List<NpyArray> readInputs(Path in, List<String> names) throws IOException {
    return readArrays("predict", in, names, "input");
  }

  /** One array per name: from the file {@code in}, or from {@code in/<name>.npy}. */
  private static List<NpyArray> readArrays(String command, Path in, List<String> names, String kind)
      throws IOException {
    List<NpyArray> out = new ArrayList<>();
    if (Files.isDirectory(in)) {
      for (String n : names) {
        Path f = in.resolve(n + ".npy");
        if (!Files.exists(f)) {
          throw new Arguments.UsageException(
              command
                  + ": the model's "
                  + kind
                  + " \""
                  + n
                  + "\" needs "
                  + f
                  + ", which does not exist ("
                  + kind
                  + "s: "
                  + names
                  + ")");
        }
        out.add(NpyFile.read(f));
      }
      return out;
    }
    if (names.size() != 1) {
      throw new Arguments.UsageException(
          command
              + ": the model has "
              + names.size()
              + " "
              + kind
              + "s "
              + names
              + "; give a folder holding one <name>.npy per "
              + kind);
    }
    out.add(NpyFile.read(existing(in)));
    return out;
  }

  private static void writeOutputs(Path out, Map<String, NpyArray> results) throws IOException {
    boolean folder =
        results.size() > 1
            || Files.isDirectory(out)
            || !out.getFileName().toString().endsWith(".npy");
    if (!folder) {
      NpyFile.write(out, results.values().iterator().next());
      System.out.println("Wrote " + out);
      return;
    }
    Files.createDirectories(out);
    for (Map.Entry<String, NpyArray> e : results.entrySet()) {
      NpyFile.write(out.resolve(e.getKey() + ".npy"), e.getValue());
    }
    System.out.println("Wrote " + results.keySet() + " as .npy files to " + out);
  }

  private static Path single(Arguments a, String command, String help) {
    if (a.positional().size() != 1) {
      throw new Arguments.UsageException(
          command + ": expected one MODEL, got " + a.positional() + "\n\n" + help);
    }
    return Path.of(a.positional().get(0));
  }

  private static Path existing(Path p) {
    if (!Files.exists(p)) {
      throw new Arguments.UsageException("no such file: " + p);
    }
    return p;
  }
}
