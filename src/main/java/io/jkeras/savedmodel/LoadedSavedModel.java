package io.jkeras.savedmodel;

import io.jkeras.backend.SessionOptions;
import io.jkeras.layers.KerasShape;
import io.jkeras.models.InputRanges;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.BooleanNdArray;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * A SavedModel loaded into a TensorFlow session, ready to run its signatures: written by {@link
 * SavedModelExporter}, by Python's {@code model.export(dir)} or by {@code
 * tf.saved_model.save(model, dir)}. Open it with {@link SavedModel#load(Path)} and close it to free
 * the native graph and session.
 *
 * <p>{@link #signatures()} describes every signature (keys, method, inputs and outputs with dtypes
 * and shapes). {@link #run(String, Map)} checks the inputs against a signature (every key present,
 * no unknown key, dtype and shape as declared) and returns heap arrays: {@link FloatNdArray} for
 * float32, {@link DoubleNdArray}, {@link IntNdArray}, {@link LongNdArray} and {@link
 * BooleanNdArray} for float64, int32, int64 and bool, {@link ByteNdArray} for uint8 (the bytes read
 * as unsigned: {@code b & 0xff}), {@code NdArray<byte[]>} for string. Every tensor is closed before
 * returning.
 *
 * <p>Thread safety: any number of threads may call {@code run} at the same time (TensorFlow
 * sessions run concurrently); {@link #close()} waits for running calls, and later calls fail.
 *
 * <pre>{@code
 * try (LoadedSavedModel m = SavedModel.load(Path.of("export/1"))) {
 *   System.out.println(m.signatures());
 *   FloatNdArray x = StdArrays.ndCopyOf(new float[][] {{1, 2, 3, 4}});
 *   Map<String, NdArray<?>> out = m.run("serving_default", Map.of("features", x));
 *   FloatNdArray y = (FloatNdArray) out.get("output_0");
 *   float[][] p = m.predict(new float[][] {{1, 2, 3, 4}}); // single input and output
 * }
 * }</pre>
 */
public final class LoadedSavedModel implements AutoCloseable {

  /** The signature that {@link #run(Map)} and {@code predict} use when there are several. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  /** Keys of the SignatureDef map that are loader markers, not callable functions. */
  private static final String INIT_OP_KEY = "__saved_model_init_op";

  private final Path directory;
  private final List<String> tags;
  private final String writerVersion;
  private final SavedModelBundle bundle;
  private final Map<String, SignatureSpec> signatures;
  private final Map<String, InputRanges> ranges = new java.util.concurrent.ConcurrentHashMap<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private LoadedSavedModel(
      Path directory,
      List<String> tags,
      String writerVersion,
      SavedModelBundle bundle,
      Map<String, SignatureSpec> signatures) {
    this.directory = directory;
    this.tags = tags;
    this.writerVersion = writerVersion;
    this.bundle = bundle;
    this.signatures = signatures;
  }

  // ---- loading -------------------------------------------------------------------------------

  /**
   * The session settings of a SavedModel loaded now: {@link SessionOptions#defaults()}'s threads
   * (for example {@code jkeras serve --tensorflow_intra_op_parallelism}), operation timeout and
   * placement logging, with soft placement always on, so that placements recorded for a GPU run on
   * the CPU when there is none.
   */
  static ConfigProto configProto() {
    return SessionOptions.defaults().toConfigProto().toBuilder()
        .setAllowSoftPlacement(true)
        .build();
  }

  static LoadedSavedModel load(Path dir, String... tags) {
    if (tags.length == 0) {
      throw new IllegalArgumentException("SavedModel.load: give at least one tag, e.g. \"serve\"");
    }
    if (!Files.exists(dir)) {
      throw new SavedModelException(dir, "no such directory");
    }
    if (!Files.isDirectory(dir)) {
      String hint =
          dir.getFileName() != null && dir.getFileName().toString().endsWith(".keras")
              ? " (a .keras file is a Keras model archive: load it as a Keras model instead)"
              : "";
      throw new SavedModelException(dir, "not a SavedModel: it is a file, not a directory" + hint);
    }
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      String hint =
          Files.isRegularFile(dir.resolve("saved_model.pbtxt"))
              ? " (text SavedModels, saved_model.pbtxt, are not supported)"
              : "";
      throw new SavedModelException(dir, "not a SavedModel: there is no saved_model.pb" + hint);
    }
    MetaGraphDef meta = findMetaGraph(dir, pb, List.of(tags));
    String writer = meta.getMetaInfoDef().getTensorflowVersion();

    SavedModelBundle bundle;
    try {
      bundle =
          SavedModelBundle.loader(dir.toString())
              .withTags(tags)
              .withConfigProto(configProto())
              .load();
    } catch (RuntimeException e) {
      throw loadFailure(dir, writer, e);
    }
    try {
      restoreKeras3VariableAliases(bundle);
      Map<String, SignatureSpec> sigs = new LinkedHashMap<>();
      List<String> keys = new ArrayList<>(bundle.metaGraphDef().getSignatureDefMap().keySet());
      keys.sort(SignatureSpec::naturalCompare);
      for (String k : keys) {
        if (!k.equals(INIT_OP_KEY)) {
          sigs.put(k, SignatureSpec.of(k, bundle.metaGraphDef().getSignatureDefMap().get(k)));
        }
      }
      return new LoadedSavedModel(
          dir, List.of(tags), writer, bundle, Collections.unmodifiableMap(sigs));
    } catch (RuntimeException e) {
      bundle.close();
      if (e instanceof SavedModelException) {
        throw e;
      }
      throw new SavedModelException(dir, "cannot prepare the loaded model: " + e.getMessage(), e);
    }
  }

  private static MetaGraphDef findMetaGraph(Path dir, Path pb, List<String> tags) {
    org.tensorflow.proto.SavedModel proto;
    try (InputStream in = Files.newInputStream(pb)) {
      proto = org.tensorflow.proto.SavedModel.parseFrom(in);
    } catch (IOException e) {
      throw new SavedModelException(
          dir,
          "not a SavedModel: saved_model.pb cannot be read as a"
              + " SavedModel protocol buffer ("
              + e.getMessage()
              + ")",
          e);
    }
    List<List<String>> available = new ArrayList<>();
    for (MetaGraphDef m : proto.getMetaGraphsList()) {
      List<String> t = m.getMetaInfoDef().getTagsList();
      if (t.size() == tags.size() && t.containsAll(tags)) {
        return m;
      }
      available.add(t);
    }
    if (available.isEmpty()) {
      throw new SavedModelException(dir, "not a SavedModel: saved_model.pb holds no MetaGraph");
    }
    throw new SavedModelException(
        dir, "no MetaGraph with tags " + tags + "; its tag sets are " + available);
  }

  /**
   * Explains a failed load. A graph written by a newer TensorFlow can name ops or attributes this
   * runtime does not know; the message then says so and points to the {@code .keras} route, which
   * rebuilds the model from its config instead of replaying the graph.
   */
  private static SavedModelException loadFailure(Path dir, String writer, RuntimeException e) {
    String msg = String.valueOf(e.getMessage());
    if (isTooNew(msg)) {
      return new SavedModelException(
          dir, tooNewAdvice(writer) + " TensorFlow said: " + firstLine(msg), e);
    }
    return new SavedModelException(dir, "TensorFlow cannot load it: " + firstLine(msg), e);
  }

  private static String tooNewAdvice(String writer) {
    return "the graph uses ops or attributes that this TensorFlow runtime ("
        + TensorFlow.version()
        + ", TensorFlow Java) does not know; it was written by TensorFlow "
        + (writer.isEmpty() ? "(version not recorded)" : writer)
        + ". Save the model from Python"
        + " as a .keras file (model.save(\"model.keras\")) and load that in jkeras instead, or"
        + " export it with TensorFlow "
        + TensorFlow.version()
        + " or older.";
  }

  static boolean isTooNew(String message) {
    return message.contains("Op type not registered")
        || message.contains("not in Op<")
        || message.contains("NodeDef mentions attr")
        || message.contains("min consumer version")
        || message.contains("above current version");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Works around a Keras 3 export defect (keras-team/keras#19274): {@code tf.saved_model.save} on a
   * Keras 3 model writes two resource variables per weight, the one its functions read and a copy
   * that the checkpoint restores, initialized from the first ({@code Variable/Assign <-
   * ReadVariableOp(dense/bias)}). TensorFlow's C++ loader (TF Serving, TensorFlow Java) restores
   * only the copy, so every call fails with "Could not find variable dense/bias". Here each such
   * read-by-functions variable that is still uninitialized after the restore gets the restored
   * copy's value. Variables that were restored are never touched.
   */
  private static void restoreKeras3VariableAliases(SavedModelBundle bundle) {
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : bundle.metaGraphDef().getGraphDef().getNodeList()) {
      nodes.put(n.getName(), n);
    }
    // {restored copy, variable the functions read, the read op that initialized the copy}
    List<String[]> pairs = new ArrayList<>();
    for (NodeDef n : nodes.values()) {
      if (!n.getOp().equals("AssignVariableOp") || n.getInputCount() < 2) {
        continue;
      }
      NodeDef copy = nodes.get(n.getInput(0));
      NodeDef read = nodes.get(n.getInput(1));
      if (copy == null
          || read == null
          || !copy.getOp().equals("VarHandleOp")
          || !read.getOp().equals("ReadVariableOp")
          || read.getInputCount() < 1) {
        continue;
      }
      NodeDef source = nodes.get(read.getInput(0));
      if (source != null
          && source.getOp().equals("VarHandleOp")
          && !source.getName().equals(copy.getName())) {
        pairs.add(new String[] {copy.getName(), source.getName(), read.getName()});
      }
    }
    if (pairs.isEmpty()) {
      return;
    }
    Graph graph = bundle.graph();
    Session session = bundle.session();
    Ops tf = Ops.create(graph).withSubScope("jkeras_restore_aliases");
    Session.Runner check = session.runner();
    for (String[] p : pairs) {
      check.fetch(tf.varIsInitializedOp(graph.operation(p[0]).output(0)));
      check.fetch(tf.varIsInitializedOp(graph.operation(p[1]).output(0)));
    }
    Session.Runner fix = session.runner();
    int fixes = 0;
    try (Result r = check.run()) {
      for (int i = 0; i < pairs.size(); i++) {
        boolean copyReady = ((TBool) r.get(2 * i)).getBoolean();
        boolean sourceReady = ((TBool) r.get(2 * i + 1)).getBoolean();
        if (copyReady && !sourceReady) {
          String[] p = pairs.get(i);
          Operand<?> value =
              tf.readVariableOp(
                  graph.operation(p[0]).output(0), graph.operation(p[2]).output(0).type());
          fix.addTarget(tf.assignVariableOp(graph.operation(p[1]).output(0), value));
          fixes++;
        }
      }
    }
    if (fixes > 0) {
      fix.run().close();
    }
  }

  // ---- metadata ------------------------------------------------------------------------------

  /** The directory the model was loaded from. */
  public Path directory() {
    return directory;
  }

  /** The tags of the loaded MetaGraph, for example {@code [serve]}. */
  public List<String> tags() {
    return tags;
  }

  /** The TensorFlow version that wrote the SavedModel, or "" when it did not record one. */
  public String writerVersion() {
    return writerVersion;
  }

  /** Every callable signature by key, in natural key order. */
  public Map<String, SignatureSpec> signatures() {
    return signatures;
  }

  /** The signature called {@code key}. */
  public SignatureSpec signature(String key) {
    SignatureSpec s = signatures.get(key);
    if (s == null) {
      throw new SavedModelException(
          directory, "no signature \"" + key + "\"; its signatures are " + signatures.keySet());
    }
    return s;
  }

  /** The MetaGraph as loaded (graph, signatures, saver), for tools that need every detail. */
  public MetaGraphDef metaGraphDef() {
    return bundle.metaGraphDef();
  }

  /** The signature {@code run(Map)} and {@code predict} use: serving_default, or the only one. */
  public SignatureSpec defaultSignature() {
    SignatureSpec s = signatures.get(DEFAULT_SIGNATURE);
    if (s != null) {
      return s;
    }
    if (signatures.size() == 1) {
      return signatures.values().iterator().next();
    }
    throw new SavedModelException(
        directory,
        "no signature \""
            + DEFAULT_SIGNATURE
            + "\" and no single signature to use instead; its signatures are "
            + signatures.keySet());
  }

  // ---- running -------------------------------------------------------------------------------

  /** Runs the default signature; see {@link #run(String, Map)}. */
  public Map<String, NdArray<?>> run(Map<String, ? extends NdArray<?>> inputs) {
    return run(defaultSignature().key(), inputs);
  }

  /**
   * Runs signature {@code key} on {@code inputs} (one array per input key, of the signature's dtype
   * and shape) and returns one array per output key, in {@link SignatureSpec#outputs()} order.
   *
   * @throws SavedModelException for an unknown signature, a missing or unknown input key, a wrong
   *     dtype or shape, or a failed run; the message names the signature and key
   */
  public Map<String, NdArray<?>> run(String key, Map<String, ? extends NdArray<?>> inputs) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("SavedModel " + directory + " is closed");
      }
      SignatureSpec sig = signature(key);
      checkKeys(sig, inputs);
      checkRanges(sig, inputs);
      List<Tensor> fed = new ArrayList<>();
      try {
        Session.Runner runner = bundle.session().runner();
        for (TensorSpec spec : sig.inputs().values()) {
          Tensor t = toTensor(sig, spec, inputs.get(spec.key()));
          fed.add(t);
          runner.feed(spec.tensorName(), t);
        }
        for (TensorSpec spec : sig.outputs().values()) {
          runner.fetch(spec.tensorName());
        }
        Result r;
        try {
          r = runner.run();
        } catch (TFInvalidArgumentException e) {
          throw inputRejected(sig, e);
        }
        try (r) {
          Map<String, NdArray<?>> out = new LinkedHashMap<>();
          int i = 0;
          for (TensorSpec spec : sig.outputs().values()) {
            out.put(spec.key(), toHeap(sig, spec, r.get(i++)));
          }
          return out;
        }
      } catch (TensorFlowException e) {
        throw runFailure(sig, e);
      } catch (IllegalArgumentException e) {
        // The SignatureDef names a tensor that the graph does not have.
        throw new SavedModelException(
            directory,
            "signature \"" + sig.key() + "\" does not match its graph: " + e.getMessage(),
            e);
      } finally {
        for (Tensor t : fed) {
          t.close();
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The id ranges of signature {@code key}'s inputs: the tables its graph gathers from with an
   * input's values (what jkeras's exporter writes for an Embedding), so that an id out of range is
   * refused before a run, naming the input, id, position, layer and range.
   *
   * <pre>{@code
   * model.inputRanges("serving_default").tables("tokens"); // [IdTable[layer=embedding, ...]]
   * }</pre>
   */
  public InputRanges inputRanges(String key) {
    SignatureSpec sig = signature(key);
    return ranges.computeIfAbsent(
        sig.key(),
        k -> {
          Map<String, String> dtypes = new LinkedHashMap<>();
          for (TensorSpec t : sig.inputs().values()) {
            dtypes.put(t.key(), t.dtype());
          }
          return new InputRanges(
              dtypes, GatherTables.find(bundle.metaGraphDef().getGraphDef(), sig));
        });
  }

  private void checkRanges(SignatureSpec sig, Map<String, ? extends NdArray<?>> inputs) {
    InputRanges r = inputRanges(sig.key());
    for (TensorSpec spec : sig.inputs().values()) {
      if (r.tables(spec.key()).isEmpty()) {
        continue;
      }
      NdArray<?> x = inputs.get(spec.key());
      long[] shape = x.shape().asArray();
      int n = Math.toIntExact(x.size());
      try {
        if (x instanceof IntNdArray v) {
          int[] a = new int[n];
          v.copyTo(DataBuffers.of(a, false, false));
          r.checkIds(spec.key(), shape, a);
        } else if (x instanceof LongNdArray v) {
          long[] a = new long[n];
          v.copyTo(DataBuffers.of(a, false, false));
          r.checkIds(spec.key(), shape, a);
        } else if (x instanceof FloatNdArray v) {
          float[] a = new float[n];
          v.copyTo(DataBuffers.of(a, false, false));
          r.checkFloats(spec.key(), shape, a);
        } else if (x instanceof DoubleNdArray v) {
          double[] a = new double[n];
          v.copyTo(DataBuffers.of(a, false, false));
          r.checkFloats(spec.key(), shape, a);
        }
      } catch (IllegalArgumentException e) {
        throw new SavedModelInputException(
            directory, "signature \"" + sig.key() + "\": " + e.getMessage(), e);
      }
    }
  }

  /**
   * A run that TensorFlow refused for its input values (INVALID_ARGUMENT from a kernel): an index
   * out of range is told as the id, its position, the layer and the valid range.
   */
  private SavedModelInputException inputRejected(SignatureSpec sig, TFInvalidArgumentException e) {
    String inputs =
        sig.inputs().size() == 1
            ? "input \"" + sig.inputs().keySet().iterator().next() + "\""
            : "an input of " + sig.inputs().keySet();
    return new SavedModelInputException(
        directory,
        "signature \"" + sig.key() + "\": " + SavedModelInputException.describe(e, inputs),
        e);
  }

  private SavedModelException runFailure(SignatureSpec sig, TensorFlowException e) {
    String msg = String.valueOf(e.getMessage());
    if (isTooNew(msg)) {
      return new SavedModelException(
          directory,
          "signature \""
              + sig.key()
              + "\": "
              + tooNewAdvice(writerVersion)
              + " TensorFlow said: "
              + firstLine(msg),
          e);
    }
    String hint = "";
    if (msg.contains("Could not find variable") || msg.contains("uninitialized")) {
      hint =
          " (the SavedModel's variables were not restored. Keras 3 models saved with"
              + " tf.saved_model.save can have this defect; export them with model.export(dir) or"
              + " save a .keras file instead)";
    }
    return new SavedModelException(
        directory, "signature \"" + sig.key() + "\" failed to run: " + firstLine(msg) + hint, e);
  }

  /**
   * Runs the default signature of a single-input, single-output model on {@code x} and returns its
   * output ({@link FloatNdArray} for float32).
   */
  public NdArray<?> predict(NdArray<?> x) {
    SignatureSpec sig = defaultSignature();
    if (sig.inputs().size() != 1 || sig.outputs().size() != 1) {
      throw new SavedModelException(
          directory,
          "predict needs a signature with one input and one"
              + " output; signature \""
              + sig.key()
              + "\" has inputs "
              + sig.inputs().keySet()
              + " and outputs "
              + sig.outputs().keySet()
              + ": use run(key, inputs)");
    }
    String in = sig.inputs().keySet().iterator().next();
    return run(sig.key(), Map.of(in, x)).values().iterator().next();
  }

  /** {@link #predict(NdArray)} for a float32 input and a float32 output of rank 2. */
  public float[][] predict(float[][] x) {
    return toMatrix(predict(StdArrays.ndCopyOf(x)));
  }

  /** {@link #predict(NdArray)} for an int32 input (token ids) and a float32 output of rank 2. */
  public float[][] predict(int[][] x) {
    return toMatrix(predict(StdArrays.ndCopyOf(x)));
  }

  private float[][] toMatrix(NdArray<?> y) {
    if (!(y instanceof FloatNdArray) || y.shape().numDimensions() != 2) {
      throw new SavedModelException(
          directory,
          "predict(float[][]) needs a float32 output of rank"
              + " 2, got "
              + typeName(y)
              + " of shape "
              + KerasShape.format(y.shape())
              + "; use predict(NdArray)");
    }
    return StdArrays.array2dCopyOf((FloatNdArray) y);
  }

  // ---- checks and conversions ----------------------------------------------------------------

  private void checkKeys(SignatureSpec sig, Map<String, ? extends NdArray<?>> inputs) {
    for (String k : inputs.keySet()) {
      if (!sig.inputs().containsKey(k)) {
        throw new SavedModelException(
            directory,
            "signature \""
                + sig.key()
                + "\" has no input \""
                + k
                + "\"; its inputs are "
                + sig.inputs().keySet());
      }
    }
    for (String k : sig.inputs().keySet()) {
      if (inputs.get(k) == null) {
        throw new SavedModelException(
            directory,
            "signature \""
                + sig.key()
                + "\" input \""
                + k
                + "\" is missing; its inputs are "
                + sig.inputs().keySet());
      }
    }
  }

  private Tensor toTensor(SignatureSpec sig, TensorSpec spec, NdArray<?> a) {
    String actual = typeName(a);
    if (!actual.equals(spec.dtype())) {
      throw new SavedModelException(
          directory,
          "signature \""
              + sig.key()
              + "\" input \""
              + spec.key()
              + "\": expected dtype "
              + spec.dtype()
              + ", got "
              + actual);
    }
    if (!spec.accepts(a.shape())) {
      throw new SavedModelException(
          directory,
          "signature \""
              + sig.key()
              + "\" input \""
              + spec.key()
              + "\": expected shape "
              + spec.formattedShape()
              + ", got "
              + KerasShape.format(a.shape()));
    }
    Shape s = a.shape();
    switch (spec.dataType()) {
      case DT_FLOAT:
        return TFloat32.tensorOf(s, t -> ((FloatNdArray) a).copyTo(t));
      case DT_DOUBLE:
        return TFloat64.tensorOf(s, t -> ((DoubleNdArray) a).copyTo(t));
      case DT_INT32:
        return TInt32.tensorOf(s, t -> ((IntNdArray) a).copyTo(t));
      case DT_INT64:
        return TInt64.tensorOf(s, t -> ((LongNdArray) a).copyTo(t));
      case DT_BOOL:
        return TBool.tensorOf(s, t -> ((BooleanNdArray) a).copyTo(t));
      case DT_UINT8:
        return TUint8.tensorOf(s, t -> ((ByteNdArray) a).copyTo(t));
      case DT_STRING:
        {
          @SuppressWarnings("unchecked")
          NdArray<byte[]> bytes = (NdArray<byte[]>) a;
          return TString.tensorOfBytes(bytes);
        }
      default:
        throw new SavedModelException(
            directory,
            "signature \""
                + sig.key()
                + "\" input \""
                + spec.key()
                + "\" has dtype "
                + spec.dtype()
                + ", which jkeras cannot feed yet"
                + " (supported: float32, float64, int32, int64, bool, uint8, string)");
    }
  }

  /**
   * The dtype name of a heap array, for the comparison with a signature's dtype: an array of {@code
   * byte[]} elements is "string".
   *
   * <pre>
   * {@code LoadedSavedModel.typeName(NdArrays.ofObjects(byte[].class, Shape.of(2))); // string}
   * </pre>
   */
  public static String typeName(NdArray<?> a) {
    if (a instanceof FloatNdArray) {
      return "float32";
    }
    if (a instanceof DoubleNdArray) {
      return "float64";
    }
    if (a instanceof IntNdArray) {
      return "int32";
    }
    if (a instanceof LongNdArray) {
      return "int64";
    }
    if (a instanceof BooleanNdArray) {
      return "bool";
    }
    if (a instanceof ByteNdArray) {
      return "uint8";
    }
    if (a.size() > 0 && a.getObject(new long[a.shape().numDimensions()]) instanceof byte[]) {
      return "string";
    }
    return a.getClass().getSimpleName();
  }

  private NdArray<?> toHeap(SignatureSpec sig, TensorSpec spec, Tensor t) {
    Shape s = t.shape();
    DataType type = t.dataType();
    switch (type) {
      case DT_FLOAT:
        {
          FloatNdArray out = NdArrays.ofFloats(s);
          ((TFloat32) t).copyTo(out);
          return out;
        }
      case DT_DOUBLE:
        {
          DoubleNdArray out = NdArrays.ofDoubles(s);
          ((TFloat64) t).copyTo(out);
          return out;
        }
      case DT_INT32:
        {
          IntNdArray out = NdArrays.ofInts(s);
          ((TInt32) t).copyTo(out);
          return out;
        }
      case DT_INT64:
        {
          LongNdArray out = NdArrays.ofLongs(s);
          ((TInt64) t).copyTo(out);
          return out;
        }
      case DT_BOOL:
        {
          BooleanNdArray out = NdArrays.ofBooleans(s);
          ((TBool) t).copyTo(out);
          return out;
        }
      case DT_UINT8:
        {
          ByteNdArray out = NdArrays.ofBytes(s);
          ((TUint8) t).copyTo(out);
          return out;
        }
      case DT_STRING:
        {
          NdArray<byte[]> out = NdArrays.ofObjects(byte[].class, s);
          ((TString) t).asBytes().copyTo(out);
          return out;
        }
      default:
        throw new SavedModelException(
            directory,
            "signature \""
                + sig.key()
                + "\" output \""
                + spec.key()
                + "\" has dtype "
                + TensorSpec.kerasName(type)
                + ", which jkeras cannot"
                + " read yet (supported: float32, float64, int32, int64, bool, uint8, string)");
    }
  }

  /** Frees the graph and session; waits for calls that are running. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "SavedModel " + directory + " " + tags + " " + signatures.keySet();
  }

  /** The SignatureDef protocol buffers by key (markers such as the init op left out). */
  public Map<String, SignatureDef> signatureDefs() {
    Map<String, SignatureDef> out = new LinkedHashMap<>();
    signatures.forEach((k, s) -> out.put(k, s.signatureDef()));
    return Collections.unmodifiableMap(out);
  }
}
