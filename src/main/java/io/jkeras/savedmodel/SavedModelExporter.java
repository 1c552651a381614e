package io.jkeras.savedmodel;

import io.jkeras.io.AtomicFile;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Writes a model as a TensorFlow SavedModel, as Keras's {@code model.export(dir)} does: signatures
 * {@code serving_default} and {@code serve} (the same function), method {@code
 * tensorflow/serving/predict}, one input per model input keyed by its input layer's name, and
 * outputs {@code output_0}, {@code output_1}... in model output order.
 *
 * <p>What is written is an inference-only copy of the model: the forward ops that the outputs need
 * (copied out of the model's live graph, with Dropout in inference mode) and the variables they
 * read, holding the model's current weights. Training ops, optimizer slots and the optimizer's
 * iteration count stay behind, and the model's own graph is left as it was: TensorFlow Java's
 * exporter saves every variable of the graph it is given and adds save ops to it, so exporting the
 * live graph directly would carry the optimizer state along and mutate the model.
 *
 * <p>The SavedModel is a graph (TF1-style) SavedModel: {@code VariableV2} variables in a {@code
 * variables/} checkpoint that the MetaGraph's {@code SaverDef} restores. Python's {@code
 * tf.saved_model.load} and {@code keras.layers.TFSMLayer} run it (tested with TensorFlow 2.21), as
 * does TensorFlow's C++ loader, the one TF Serving uses and {@link SavedModel#load} goes through.
 * It is written into a temporary directory next to {@code dir} and renamed into place at the end,
 * so {@code dir} never holds half a SavedModel; the temporary directory of an export that was
 * killed is removed by the next export or save in the same folder.
 *
 * <pre>{@code
 * try (Model model = new Model(x, y)) {
 *   model.fit(xs, ys, FitOptions.defaults());
 *   SavedModelExporter.export(model, Path.of("export/1"));
 * }
 * }</pre>
 */
public final class SavedModelExporter {

  /** The method name Keras writes on its serving signatures (TF Serving's Predict API). */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  /** The signature keys written, in order: both run the same function. */
  public static final List<String> SIGNATURE_KEYS = List.of("serving_default", "serve");

  private static final String INIT_SCOPE = "jkeras_export_init";

  /** Runs on the finished temporary directory just before it is moved into place (tests). */
  interface BeforeMove {
    void accept(Path temp) throws IOException;
  }

  static volatile BeforeMove beforeMove = temp -> {};

  private SavedModelExporter() {}

  /**
   * Exports {@code model} to {@code dir}, which must not exist or be an empty directory.
   *
   * @param model the model
   * @param dir the directory to create
   * @throws SavedModelException when {@code dir} is taken or the SavedModel cannot be written; no
   *     partial directory is left behind
   */
  public static void export(Model model, Path dir) {
    export(model, dir, false);
  }

  /**
   * Exports {@code model} to {@code dir}; with {@code overwrite}, an existing export (any
   * directory) there is replaced. The new export is written beside it, then the old directory is
   * renamed away, the new one renamed into place and the old one deleted: readers see the old or
   * the new SavedModel whole, never a mix, though for an instant between the two renames no
   * directory is there.
   *
   * <pre>{@code
   * SavedModelExporter.export(model, Path.of("export/1"), true);
   * }</pre>
   *
   * @param model the model
   * @param dir the directory to create or replace
   * @param overwrite whether an existing non-empty directory may be replaced
   * @throws SavedModelException when {@code dir} is a file, is taken and {@code overwrite} is
   *     false, or the SavedModel cannot be written; no partial directory is left behind, and a
   *     replaced export is restored when the new one cannot be moved into place
   */
  public static void export(Model model, Path dir, boolean overwrite) {
    Path target = dir.toAbsolutePath().normalize();
    checkTarget(target, overwrite);
    Path parent = target.getParent();
    Path temp;
    try {
      Files.createDirectories(parent);
      // Named like AtomicFile's temporaries (with this process's id), so that the next export or
      // save in this folder removes what a killed export left, and never a running one's.
      AtomicFile.removeStaleTemporariesIn(parent);
      temp = createTempDirectory(parent, target, ".exporting");
    } catch (IOException e) {
      throw new SavedModelException(
          dir, "cannot create a temporary directory in " + parent + ": " + e.getMessage(), e);
    }
    boolean moved = false;
    try {
      writeInto(model, temp, dir);
      try {
        beforeMove.accept(temp);
        // On disk before the rename publishes it: a crash leaves the old export or the new one.
        AtomicFile.forceTree(temp);
      } catch (IOException e) {
        throw new SavedModelException(dir, "cannot finish the export: " + e.getMessage(), e);
      }
      if (overwrite && isNonEmptyDirectory(target)) {
        replace(temp, target, dir);
      } else {
        moveIntoPlace(temp, target, dir);
      }
      moved = true;
      try {
        AtomicFile.forceFolder(parent);
      } catch (IOException e) {
        throw new SavedModelException(
            dir, "the export is in place but its folder cannot be forced to disk: " + e, e);
      }
    } finally {
      if (!moved) {
        deleteRecursively(temp);
      }
    }
  }

  /**
   * A new directory with the process's default permissions (unlike {@link
   * Files#createTempDirectory}, which makes it private to the owner: a served model must stay
   * readable by the server's user).
   */
  private static Path createTempDirectory(Path parent, Path target, String suffix)
      throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path p = parent.resolve(AtomicFile.temporaryName(target, suffix));
      try {
        return Files.createDirectory(p);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  private static void checkTarget(Path target, boolean overwrite) {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new SavedModelException(
          target, "cannot export: the path exists and is not a directory");
    }
    if (!overwrite && isNonEmptyDirectory(target)) {
      throw new SavedModelException(
          target,
          "cannot export: the directory exists and is not empty; choose a new directory (for"
              + " example a new version number), delete it, or export with overwrite");
    }
  }

  private static boolean isNonEmptyDirectory(Path target) {
    if (!Files.isDirectory(target)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(target)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      throw new SavedModelException(
          target, "cannot read the target directory: " + e.getMessage(), e);
    }
  }

  /** Swaps the finished export {@code temp} in for the existing directory {@code target}. */
  private static void replace(Path temp, Path target, Path dir) {
    Path old;
    try {
      old = createTempDirectory(target.getParent(), target, ".replaced");
      // rename(2) replaces the empty placeholder with the old export.
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new SavedModelException(
          dir, "cannot move the existing export aside: " + e.getMessage(), e);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException restore) {
        e.addSuppressed(restore);
        throw new SavedModelException(
            dir,
            "cannot move the new export into place, nor the old one back (it is in "
                + old
                + "): "
                + e.getMessage(),
            e);
      }
      throw new SavedModelException(
          dir, "cannot move the new export into place; the old one is kept: " + e.getMessage(), e);
    }
    deleteRecursively(old);
  }

  private static void moveIntoPlace(Path temp, Path target, Path dir) {
    try {
      // An empty target directory is allowed: rename(2) replaces it atomically on POSIX systems.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      throw new SavedModelException(
          dir, "cannot export: the directory appeared or filled up while exporting", e);
    } catch (AtomicMoveNotSupportedException e) {
      throw new SavedModelException(dir, "cannot rename the finished export into place", e);
    } catch (IOException e) {
      throw new SavedModelException(
          dir, "cannot move the finished export into place: " + e.getMessage(), e);
    }
  }

  // ---- building the inference graph ---------------------------------------------------------

  private static void writeInto(Model model, Path temp, Path dir) {
    List<KerasTensor> inputs = model.inputs();
    ModelRuntime runtime = ModelRuntime.of(model);
    List<Placeholder<?>> placeholders = runtime.inputPlaceholders();
    List<Operand<TFloat32>> outputs = runtime.inferenceOutputs();
    Graph live = runtime.graphSession().graph();
    Session liveSession = runtime.graphSession().session();

    List<String> roots = new ArrayList<>();
    for (Operand<?> o : outputs) {
      roots.add(o.op().name());
    }
    for (Placeholder<?> p : placeholders) {
      roots.add(p.op().name());
    }
    GraphDef pruned;
    try {
      pruned = inferenceSubgraph(live.toGraphDef(), roots, placeholders, model.name());
    } catch (IllegalArgumentException e) {
      throw new SavedModelException(
          dir, "cannot export model \"" + model.name() + "\": " + e.getMessage(), e);
    }
    List<String> variables = new ArrayList<>();
    for (NodeDef n : pruned.getNodeList()) {
      if (n.getOp().equals("VariableV2")) {
        variables.add(n.getName());
      } else if (n.getOp().equals("VarHandleOp")) {
        throw new SavedModelException(
            dir,
            "model \""
                + model.name()
                + "\" reads resource variable \""
                + n.getName()
                + "\", which this exporter cannot copy");
      }
    }

    try (Graph g = new Graph()) {
      g.importGraphDef(pruned);
      try (Session s = new Session(g)) {
        copyVariables(liveSession, variables, g, s);
        Ops tf = Ops.create(g);
        List<Output<?>> outs = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
          Operand<TFloat32> o = outputs.get(i);
          Output<TFloat32> copied =
              g.<TFloat32>operation(o.op().name()).output(o.asOutput().index());
          String name = freeName(g, "output_" + i);
          outs.add(tf.withName(name).identity(copied).asOutput());
        }
        SavedModelBundle.Exporter exporter = SavedModelBundle.exporter(temp.toString());
        for (String key : SIGNATURE_KEYS) {
          Signature.Builder sig = Signature.builder().key(key).methodName(PREDICT_METHOD);
          for (int i = 0; i < inputs.size(); i++) {
            Placeholder<?> p = placeholders.get(i);
            sig.input(inputs.get(i).layer().name(), g.operation(p.op().name()).output(0));
          }
          for (int i = 0; i < outs.size(); i++) {
            sig.output("output_" + i, outs.get(i));
          }
          exporter.withFunction(SessionFunction.create(sig.build(), s));
        }
        exporter.export();
        recordWriterVersion(temp.resolve("saved_model.pb"));
      }
    } catch (IOException e) {
      throw new SavedModelException(dir, "cannot write the SavedModel: " + e.getMessage(), e);
    } catch (IllegalArgumentException | TensorFlowException e) {
      throw new SavedModelException(
          dir,
          "cannot build the inference graph of model \"" + model.name() + "\": " + e.getMessage(),
          e);
    }
  }

  /**
   * Notes the TensorFlow version in the MetaGraph, as Python does ({@code
   * meta_info_def.tensorflow_version}); TensorFlow Java's exporter leaves it empty.
   */
  private static void recordWriterVersion(Path pb) throws IOException {
    org.tensorflow.proto.SavedModel.Builder sm =
        org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    for (MetaGraphDef.Builder m : sm.getMetaGraphsBuilderList()) {
      m.getMetaInfoDefBuilder().setTensorflowVersion(TensorFlow.version());
    }
    Files.write(pb, sm.build().toByteArray());
  }

  /**
   * The nodes that {@code roots} depend on (data and control inputs), in their original order, with
   * device placements cleared (the export must run on any machine) and colocation hints to dropped
   * nodes removed.
   */
  static GraphDef inferenceSubgraph(
      GraphDef full, List<String> roots, List<Placeholder<?>> inputs, String modelName) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : full.getNodeList()) {
      byName.put(n.getName(), n);
    }
    Set<String> keep = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!keep.add(name)) {
        continue;
      }
      NodeDef n = byName.get(name);
      if (n == null) {
        throw new IllegalArgumentException("the graph has no node \"" + name + "\"");
      }
      for (String in : n.getInputList()) {
        todo.push(nodeName(in));
      }
    }
    Set<String> fed = new LinkedHashSet<>();
    for (Placeholder<?> p : inputs) {
      fed.add(p.op().name());
    }
    GraphDef.Builder out = GraphDef.newBuilder();
    if (full.hasVersions()) {
      out.setVersions(full.getVersions());
    }
    if (full.hasLibrary()) {
      out.setLibrary(full.getLibrary());
    }
    for (NodeDef n : full.getNodeList()) {
      if (!keep.contains(n.getName())) {
        continue;
      }
      if (n.getOp().equals("Placeholder") && !fed.contains(n.getName())) {
        throw new IllegalArgumentException(
            "the outputs of model \""
                + modelName
                + "\" depend on placeholder \""
                + n.getName()
                + "\", which is not a model input");
      }
      NodeDef.Builder b = n.toBuilder().clearDevice();
      AttrValue colocation = n.getAttrMap().get("_class");
      if (colocation != null && colocation.hasList()) {
        AttrValue.ListValue.Builder kept = AttrValue.ListValue.newBuilder();
        for (var loc : colocation.getList().getSList()) {
          String s = loc.toStringUtf8();
          if (!s.startsWith("loc:@") || keep.contains(s.substring(5))) {
            kept.addS(loc);
          }
        }
        if (kept.getSCount() == 0) {
          b.removeAttr("_class");
        } else {
          b.putAttr("_class", AttrValue.newBuilder().setList(kept).build());
        }
      }
      out.addNode(b);
    }
    return out.build();
  }

  /** "name", "name:1" and "^name" (a control input) all refer to node "name". */
  private static String nodeName(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** Copies the values of {@code names} from the live session into the same variables of g. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void copyVariables(Session live, List<String> names, Graph g, Session s) {
    if (names.isEmpty()) {
      return;
    }
    Session.Runner read = live.runner();
    for (String name : names) {
      read.fetch(name);
    }
    Ops tf = Ops.create(g).withSubScope(INIT_SCOPE);
    try (Result values = read.run()) {
      Session.Runner write = s.runner();
      for (int i = 0; i < names.size(); i++) {
        TType value = (TType) values.get(i);
        GraphOperation variable = g.operation(names.get(i));
        Placeholder<?> in = tf.placeholder(value.type());
        write.feed(in, value);
        write.addTarget(tf.assign((Operand) variable.output(0), (Operand) in));
      }
      write.run().close();
    }
  }

  private static String freeName(Graph g, String wanted) {
    String name = wanted;
    for (int i = 1; g.operation(name) != null; i++) {
      name = wanted + "_" + i;
    }
    return name;
  }

  /** Best-effort removal of a failed export's temporary directory (the first error wins). */
  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      LoggerFactory.getLogger(SavedModelExporter.class)
          .warn("Could not remove temporary export directory {}: {}", root, e.getMessage());
    }
  }
}
