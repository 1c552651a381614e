package io.jkeras.models;

import io.jkeras.backend.DTypes;
import io.jkeras.backend.Distribution;
import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.HostArray;
import io.jkeras.backend.SessionOptions;
import io.jkeras.layers.InputLayer;
import io.jkeras.layers.KerasNames;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.losses.Loss;
import io.jkeras.losses.Losses;
import io.jkeras.metrics.Metric;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.Optimizers;
import io.jkeras.saving.KerasWeightsFile;
import io.jkeras.saving.StoredArray;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import io.jkeras.training.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A functional model: the layer calls that lead from {@link io.jkeras.layers.Input}s to outputs, as
 * Keras's {@code keras.Model(inputs, outputs)}. Any DAG works: several inputs and outputs, and
 * layers shared by several calls (one set of weights).
 *
 * <p>A model owns native memory (a TensorFlow graph and session, created the first time it runs)
 * and must be closed; closing copies the weights back to the layers, which can be reused.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(250);
 * KerasTensor y = new Dense(1, "sigmoid").apply(new FMLayer(200, 100).apply(x));
 * try (Model model = new Model(x, y)) {
 *   model.summary();
 *   float[][] p = model.predict(new float[][] {new float[250]});
 * }
 * }</pre>
 */
public class Model implements AutoCloseable {

  /** Keras's default {@code predict} batch size. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final String name;
  private List<KerasTensor> inputs = List.of();
  private List<KerasTensor> outputs = List.of();
  private LayerGraph layerGraph;
  private String device;
  private SessionOptions sessionOptions;
  // The distribution strategy whose scope was open when the model was constructed.
  private final Distribution distribution = Distribution.current();

  private GraphSession graph;
  private List<Placeholder<?>> inputPlaceholders;
  private ForwardGraph inference;
  private Trainer trainer;
  private List<StoredArray> pendingOptimizerState = List.of();
  private volatile boolean stopTraining;

  /**
   * A model from one input to one output.
   *
   * @throws IllegalArgumentException if {@code output} does not follow from {@code input} (graph
   *     disconnected), {@code input} is not from {@code Input.of}, or two layers share a name
   */
  public Model(KerasTensor input, KerasTensor output) {
    this(List.of(input), List.of(output), null);
  }

  /**
   * A model from {@code inputs} to {@code outputs}, with an automatic name ({@code "functional"},
   * {@code "functional_1"}...).
   *
   * @throws IllegalArgumentException if a list is empty, an output does not follow from the inputs
   *     (graph disconnected), an input is not from {@code Input.of}, or two layers share a name
   */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    this(inputs, outputs, null);
  }

  /**
   * A model from {@code inputs} to {@code outputs}.
   *
   * @param name the model name, or null for an automatic one
   * @throws IllegalArgumentException if a list is empty, an output does not follow from the inputs
   *     (graph disconnected), an input is not from {@code Input.of}, or two layers share a name
   */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs, String name) {
    this.name = name != null ? name : KerasNames.unique("functional");
    setStructure(inputs, outputs);
  }

  /** For subclasses that set their structure later (Sequential). */
  protected Model(String name, String defaultPrefix) {
    this.name = name != null ? name : KerasNames.unique(defaultPrefix);
  }

  /** Defines (or, before the model first runs, redefines) the model's inputs and outputs. */
  protected final void setStructure(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    if (graph != null) {
      throw new IllegalStateException("Model \"" + name + "\" already runs; its layers are fixed");
    }
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException(
          "Model \""
              + name
              + "\": expected at least one input and one output, got "
              + inputs.size()
              + " inputs and "
              + outputs.size()
              + " outputs");
    }
    this.layerGraph = new LayerGraph(inputs, outputs);
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /**
   * True once the model's inputs and outputs are known (always, except for an unbuilt Sequential).
   */
  protected final boolean hasStructure() {
    return layerGraph != null;
  }

  /** The model's name. */
  public String name() {
    return name;
  }

  /** The class name Keras writes for this model: {@code "Functional"}. */
  public String className() {
    return "Functional";
  }

  /**
   * The model's inputs, in the order data is given to {@code fit} and {@code predict}.
   *
   * @throws IllegalStateException if the model has no structure yet
   */
  public List<KerasTensor> inputs() {
    requireStructure();
    return inputs;
  }

  /**
   * The model's outputs, in the order of the label arrays and predictions.
   *
   * @throws IllegalStateException if the model has no structure yet
   */
  public List<KerasTensor> outputs() {
    requireStructure();
    return outputs;
  }

  /** The layers in Keras's order (input layers first, by depth). */
  public List<Layer> layers() {
    requireStructure();
    return List.copyOf(layerGraph.layers());
  }

  /** The layer called {@code layerName}. */
  public Layer getLayer(String layerName) {
    for (Layer l : layers()) {
      if (l.name().equals(layerName)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "Model \""
            + name
            + "\" has no layer \""
            + layerName
            + "\"; its layers are "
            + layers().stream().map(Layer::name).toList());
  }

  LayerGraph layerGraph() {
    requireStructure();
    return layerGraph;
  }

  /** Hook for models that learn their structure from the first data they see (Sequential). */
  protected void requireStructure() {
    if (layerGraph == null) {
      throw new IllegalStateException(
          "Model \"" + name + "\" is not built yet: give it an input shape first");
    }
  }

  // ---- weights -------------------------------------------------------------------------------

  /** Every weight of every layer, each once, layer by layer (Keras's {@code model.weights}). */
  public List<Weight> weights() {
    List<Weight> out = new ArrayList<>();
    Map<Weight, Boolean> seen = new IdentityHashMap<>();
    for (Layer l : layers()) {
      for (Weight w : l.weights()) {
        if (seen.put(w, true) == null) {
          out.add(w);
        }
      }
    }
    return out;
  }

  /**
   * The weights updated by training (Keras's {@code trainable_weights}), in {@link #weights()}
   * order.
   */
  public List<Weight> trainableWeights() {
    return weights().stream().filter(Weight::isTrainable).toList();
  }

  /**
   * The weights training leaves alone (frozen layers' weights, moving statistics), in {@link
   * #weights()} order.
   */
  public List<Weight> nonTrainableWeights() {
    return weights().stream().filter(w -> !w.isTrainable()).toList();
  }

  /**
   * Copies of every weight's current value, in {@link #weights()} order (Keras's {@code
   * get_weights()}).
   */
  public List<FloatNdArray> getWeights() {
    List<FloatNdArray> out = new ArrayList<>();
    for (Weight w : weights()) {
      out.add(w.numpy());
    }
    return out;
  }

  /** Replaces every weight value, in {@link #weights()} order; shapes must match exactly. */
  public void setWeights(List<? extends FloatNdArray> values) {
    Weight.assignAll("Model \"" + name + "\"", weights(), values);
  }

  /** The total number of weight values, trainable and not. */
  public long countParams() {
    long n = 0;
    for (Weight w : weights()) {
      n += w.size();
    }
    return n;
  }

  // ---- summary -------------------------------------------------------------------------------

  /** Prints Keras's summary table to standard output. */
  public void summary() {
    System.out.print(summaryString());
  }

  /** The summary table as Keras prints it for the current terminal width ($COLUMNS, else 80). */
  public String summaryString() {
    return new ModelSummary(this).render(ModelSummary.defaultLineLength(this));
  }

  /** The summary table for a given total line length. */
  public String summaryString(int lineLength) {
    return new ModelSummary(this).render(lineLength);
  }

  /** Optimizer variables, counted in the summary once training has created them. */
  protected long optimizerParamCount() {
    return trainer == null ? 0 : trainer.optimizer().countParams();
  }

  // ---- graph ---------------------------------------------------------------------------------

  /**
   * Places the model's ops on a device such as {@code "/GPU:0"} (soft placement: the CPU when the
   * device is absent). Must be called before the model first runs.
   */
  public Model onDevice(String device) {
    if (graph != null) {
      throw new IllegalStateException(
          "Model \"" + name + "\": choose the device before the model first runs");
    }
    this.device = device;
    return this;
  }

  /**
   * Runs this model's graph with {@code options} (threads, device placement, timeout) instead of
   * {@link SessionOptions#defaults()}. Must be called before the model first runs.
   *
   * <pre>{@code
   * model.sessionOptions(SessionOptions.builder().intraOpThreads(2).build());
   * }</pre>
   */
  public Model sessionOptions(SessionOptions options) {
    if (graph != null) {
      throw new IllegalStateException(
          "Model \"" + name + "\": set the session options before the model first runs");
    }
    this.sessionOptions = options;
    return this;
  }

  private SessionOptions sessionOptions(String device) {
    SessionOptions o = sessionOptions != null ? sessionOptions : SessionOptions.defaults();
    return device != null ? o.toBuilder().device(device).build() : o;
  }

  /**
   * The graph session the model runs in, created on first use: the one its layers already live in
   * (layers shared with another open model), or a new one. Every weight is bound to it.
   */
  public synchronized GraphSession graphSession() {
    requireStructure();
    if (graph != null) {
      return graph;
    }
    GraphSession shared = null;
    for (Layer l : layers()) {
      GraphSession g = l.graphSession();
      if (g != null) {
        if (shared != null && shared != g) {
          throw new IllegalStateException(
              "Model \""
                  + name
                  + "\" mixes layers that live in two different open models;"
                  + " close one of them first");
        }
        shared = g;
      }
    }
    graph =
        shared != null
            ? shared.retain()
            : GraphSession.create(sessionOptions(device), distribution);
    for (Layer l : layers()) {
      l.bindWeights(graph);
    }
    Ops tf = graph.tf().withSubScope(graph.uniqueScope(name));
    List<Placeholder<?>> phs = new ArrayList<>();
    for (KerasTensor in : inputs) {
      InputLayer il = (InputLayer) in.layer();
      phs.add(
          tf.withName(il.name())
              .placeholder(DTypes.tfType(in.dtype()), Placeholder.shape(in.shape())));
    }
    inputPlaceholders = List.copyOf(phs);
    return graph;
  }

  /** The placeholders fed with the model inputs, in input order. */
  public List<Placeholder<?>> inputPlaceholders() {
    graphSession();
    return inputPlaceholders;
  }

  /** Emits the forward ops once more into the model's graph (Dropout active when training). */
  public ForwardGraph forward(boolean training) {
    GraphSession g = graphSession();
    return ForwardGraph.emit(
        layerGraph, inputs, inputPlaceholders, outputs, new ForwardPass(g, training));
  }

  /** The inference outputs, emitted on first use. */
  public List<Operand<TFloat32>> inferenceOutputs() {
    return inferenceGraph().outputs();
  }

  /** The inference forward graph (outputs and layer losses), emitted on first use. */
  public synchronized ForwardGraph inferenceGraph() {
    if (inference == null) {
      inference = forward(false);
    }
    return inference;
  }

  // ---- training ------------------------------------------------------------------------------

  /**
   * Configures training, as Keras's {@code compile}: an optimizer, a loss and metrics by Keras name
   * ({@code "adam"}, {@code "binary_crossentropy"}, {@code "accuracy"}).
   */
  public void compile(String optimizer, String loss, String... metrics) {
    compile(Optimizers.get(optimizer), Losses.get(loss), metrics);
  }

  /** Configures training with an optimizer instance and a loss and metrics by Keras name. */
  public void compile(Optimizer optimizer, String loss, String... metrics) {
    compile(optimizer, Losses.get(loss), metrics);
  }

  /** Configures training with optimizer and loss instances and metrics by Keras name. */
  public void compile(Optimizer optimizer, Loss loss, String... metrics) {
    trainer = new Trainer(this, optimizer, loss, List.of(metrics), List.of());
    pendingOptimizerState = List.of();
  }

  /** Compiles with metric objects (AUC, Precision...) instead of names. */
  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    trainer = new Trainer(this, optimizer, loss, List.of(), List.of(metrics));
    pendingOptimizerState = List.of();
  }

  /** True once {@code compile} was called. */
  public boolean isCompiled() {
    return trainer != null;
  }

  /** The compiled optimizer. */
  public Optimizer optimizer() {
    requireCompiled();
    return trainer.optimizer();
  }

  /**
   * The compiled loss.
   *
   * @throws IllegalStateException if the model is not compiled
   */
  public Loss loss() {
    requireCompiled();
    return trainer.loss();
  }

  /** The metrics given to {@code compile}, by name (metric objects by their names). */
  public List<String> metricNames() {
    requireCompiled();
    return trainer.metricNames();
  }

  private void requireCompiled() {
    if (trainer == null) {
      throw new IllegalStateException(
          "Model \"" + name + "\" must be compiled first: model.compile(optimizer, loss, metrics)");
    }
  }

  /** Trains on a single input and labels, as Keras's {@code fit}. */
  public History fit(HostArray x, HostArray y, FitOptions options) {
    return fit(List.of(x), List.of(y), options);
  }

  /**
   * Trains a single-input model on id rows (for example an Embedding input) and one label per row.
   */
  public History fit(int[][] x, float[] y, FitOptions options) {
    return fit(HostArray.of(x), HostArray.of(y), options);
  }

  /** Trains a single-input model on feature rows and one label per row. */
  public History fit(float[][] x, float[] y, FitOptions options) {
    return fit(HostArray.of(x), HostArray.of(y), options);
  }

  /** Trains on one array per input and one label array per output. */
  public History fit(List<HostArray> xs, List<HostArray> ys, FitOptions options) {
    requireCompiled();
    requireStructureFor(xs);
    checkInputs(xs);
    if (options.validationInputs() != null) {
      checkInputs(options.validationInputs());
    }
    return trainer.fit(xs, ys, options);
  }

  /** Loss and metrics on data, as Keras's {@code evaluate} (logs by name). */
  public Map<String, Double> evaluate(HostArray x, HostArray y) {
    return evaluate(List.of(x), List.of(y), DEFAULT_BATCH_SIZE);
  }

  /**
   * Loss and metrics on data, with one array per input and one label array per output, in batches
   * of {@code batchSize}.
   *
   * @return the values by name: {@code loss} and each compiled metric
   */
  public Map<String, Double> evaluate(List<HostArray> xs, List<HostArray> ys, int batchSize) {
    requireCompiled();
    requireStructureFor(xs);
    checkInputs(xs);
    return trainer.evaluate(xs, ys, batchSize);
  }

  // ---- weights files -------------------------------------------------------------------------

  /**
   * Writes every weight, and the optimizer state once training has created it, to a Keras 3 {@code
   * .weights.h5} file that Python's {@code model.load_weights} reads. Written to a temp file and
   * moved into place.
   */
  public void saveWeights(Path path) {
    KerasWeightsFile.save(path, this, optimizerState());
  }

  /**
   * Reads a Keras 3 {@code .weights.h5} file (written by jkeras or Python Keras) into this model's
   * weights, checking every shape first; the optimizer state in it, if any, is restored when the
   * model is compiled (now, or when training starts).
   */
  public void loadWeights(Path path) {
    List<StoredArray> state = KerasWeightsFile.load(path, this);
    if (trainer != null && !state.isEmpty()) {
      restoreOptimizerState(state);
    }
  }

  /**
   * The optimizer's variables in Keras's order ({@code iteration}, {@code learning_rate}, then the
   * slots), as weight files store them: the live values once training has created them, else a
   * state restored and not yet applied, else an empty list. Model files save this.
   */
  public List<StoredArray> optimizerState() {
    if (trainer == null) {
      return List.of();
    }
    if (!trainer.optimizer().isBuilt()) {
      return pendingOptimizerState;
    }
    List<StoredArray> state = new ArrayList<>();
    List<Object> values = trainer.optimizer().state();
    List<Shape> shapes = trainer.optimizer().stateShapes();
    for (int i = 0; i < values.size(); i++) {
      Object v = values.get(i);
      state.add(
          v instanceof long[]
              ? StoredArray.ofLongs(shapes.get(i).asArray(), (long[]) v)
              : StoredArray.ofFloats(shapes.get(i).asArray(), (float[]) v));
    }
    return state;
  }

  /**
   * Restores optimizer variables read from a weights or model file (same order as {@link
   * #optimizerState()}): now if training already created the optimizer, else when it starts. The
   * model must be compiled.
   */
  public void restoreOptimizerState(List<StoredArray> state) {
    requireCompiled();
    List<Object> values = new ArrayList<>();
    for (StoredArray a : state) {
      values.add(a.isFloat() ? a.floats() : a.longs());
    }
    trainer.restoreOptimizerState(values);
    if (!trainer.optimizer().isBuilt()) {
      pendingOptimizerState = List.copyOf(state);
    }
  }

  /**
   * Saves the model as a Keras 3 {@code .keras} file (config, weights and, once trained, the
   * optimizer state) that Python's {@code keras.saving.load_model} reads; written atomically.
   */
  public void save(Path path) {
    io.jkeras.saving.KerasModelFile.save(this, path);
  }

  /**
   * Loads a {@code .keras} file or a legacy Keras 2 / tf.keras {@code .h5} file, written by Python
   * Keras or by jkeras, compiled as it was saved so that {@code fit} continues.
   */
  public static Model load(Path path) {
    return io.jkeras.saving.KerasModelFile.load(path);
  }

  /**
   * {@link #load(Path)}; with {@code compile} false the model comes back uncompiled, its training
   * settings not read, so that any file whose layers jkeras has loads for inference.
   *
   * <pre>{@code
   * try (Model m = Model.load(Path.of("python.keras"), false)) {
   *   m.predict(x);
   * }
   * }</pre>
   */
  public static Model load(Path path, boolean compile) {
    return io.jkeras.saving.KerasModelFile.load(path, true, compile);
  }

  /**
   * Exports the model for inference as a TensorFlow SavedModel, as Keras's {@code
   * model.export(dir)}: signature {@code serving_default} (and {@code serve}) with the input layer
   * names as input keys and outputs {@code output_0}, {@code output_1}...; only the weights are
   * saved. Python loads it with {@code tf.saved_model.load} or {@code keras.layers.TFSMLayer}.
   */
  public void export(Path dir) {
    io.jkeras.savedmodel.SavedModel.export(this, dir);
  }

  /** Asks {@code fit} to stop after the current batch (Keras's {@code model.stop_training}). */
  public void stopTraining() {
    stopTraining = true;
  }

  /** True once training was asked to stop (by a callback or {@link #stopTraining()}). */
  public boolean isStopTraining() {
    return stopTraining;
  }

  /** Clears a stop request; {@code fit} does this when it starts. */
  public void resetStopTraining() {
    stopTraining = false;
  }

  // ---- predict -------------------------------------------------------------------------------

  /** Predicts for a single-input, single-output model with rank-2 output. */
  public float[][] predict(float[][] x) {
    return toMatrix(predict(HostArray.of(x)));
  }

  /** Predicts for a single-input, single-output model with rank-2 output. */
  public float[][] predict(int[][] x) {
    return toMatrix(predict(HostArray.of(x)));
  }

  /** Predicts for a single-input, single-output model. */
  public FloatNdArray predict(NdArray<?> x) {
    return predict(HostArray.of(x));
  }

  /**
   * Predicts for a single-input, single-output model, in batches of {@link #DEFAULT_BATCH_SIZE}.
   *
   * @throws IllegalStateException if the model has several outputs
   */
  public FloatNdArray predict(HostArray x) {
    List<FloatNdArray> out = predict(List.of(x), DEFAULT_BATCH_SIZE);
    if (out.size() != 1) {
      throw new IllegalStateException(
          "Model \"" + name + "\" has " + out.size() + " outputs; use predict(List, int)");
    }
    return out.get(0);
  }

  /**
   * Runs the model on {@code xs} (one array per input, same number of samples) in batches of {@code
   * batchSize} and returns one array per output.
   */
  public List<FloatNdArray> predict(List<HostArray> xs, int batchSize) {
    requireStructureFor(xs);
    checkInputs(xs);
    if (batchSize <= 0) {
      throw new IllegalArgumentException("predict: batchSize must be positive, got " + batchSize);
    }
    List<Operand<TFloat32>> outs = inferenceOutputs();
    int n = xs.get(0).count();
    List<float[]> buffers = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    Session session = graph.session();
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      List<Tensor> fed = new ArrayList<>();
      try {
        Session.Runner runner = session.runner();
        for (int i = 0; i < xs.size(); i++) {
          Tensor t = xs.get(i).rows(start, end, inputs.get(i).dtype());
          fed.add(t);
          runner.feed(inputPlaceholders.get(i), t);
        }
        for (Operand<TFloat32> o : outs) {
          runner.fetch(o);
        }
        try (Result r = runner.run()) {
          for (int k = 0; k < outs.size(); k++) {
            TFloat32 y = (TFloat32) r.get(k);
            if (buffers.size() <= k) {
              Shape sample = Shape.of(KerasShape.sampleDims(y.shape()));
              shapes.add(Shape.of(n).append(sample));
              buffers.add(new float[Math.toIntExact(n * sample.size())]);
            }
            int rowSize = (int) (y.size() / Math.max(1, end - start));
            y.copyTo(
                DataBuffers.of(buffers.get(k), false, false)
                    .offset((long) start * rowSize)
                    .narrow((long) (end - start) * rowSize));
          }
        }
      } finally {
        for (Tensor t : fed) {
          t.close();
        }
      }
    }
    List<FloatNdArray> result = new ArrayList<>();
    for (int k = 0; k < outs.size(); k++) {
      if (buffers.size() <= k) {
        // No samples: an empty array with the static output shape.
        Shape s = outs.get(k).shape();
        long[] dims = s.asArray();
        dims[0] = 0;
        for (int d = 1; d < dims.length; d++) {
          dims[d] = Math.max(dims[d], 0);
        }
        result.add(NdArrays.ofFloats(Shape.of(dims)));
      } else {
        result.add(NdArrays.wrap(shapes.get(k), DataBuffers.of(buffers.get(k), false, false)));
      }
    }
    return result;
  }

  /** Sequential builds itself from the first data it sees; a functional model is already built. */
  protected void requireStructureFor(List<HostArray> xs) {
    requireStructure();
  }

  /** Checks the number, sample shapes and sample counts of model inputs. */
  protected final void checkInputs(List<HostArray> xs) {
    if (xs.size() != inputs.size()) {
      throw new IllegalArgumentException(
          "Model \""
              + name
              + "\" expects "
              + inputs.size()
              + " inputs "
              + inputs.stream().map(t -> t.layer().name()).toList()
              + ", got "
              + xs.size());
    }
    for (int i = 0; i < xs.size(); i++) {
      Shape expected = inputs.get(i).shape();
      Shape actual = xs.get(i).shape();
      boolean ok = expected.numDimensions() == actual.numDimensions();
      for (int d = 1; ok && d < expected.numDimensions(); d++) {
        ok = expected.size(d) < 0 || expected.size(d) == actual.size(d);
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "Input \""
                + inputs.get(i).layer().name()
                + "\" of model \""
                + name
                + "\": expected shape "
                + KerasShape.format(expected)
                + ", got data of shape "
                + KerasShape.format(actual));
      }
      if (xs.get(i).count() != xs.get(0).count()) {
        throw new IllegalArgumentException(
            "Model \""
                + name
                + "\": all inputs need the same number of samples; input 0 has "
                + xs.get(0).count()
                + ", input "
                + i
                + " has "
                + xs.get(i).count());
      }
    }
  }

  private static float[][] toMatrix(FloatNdArray y) {
    if (y.shape().numDimensions() != 2) {
      throw new IllegalStateException(
          "predict(float[][]) needs a rank-2 output, got "
              + KerasShape.format(y.shape())
              + "; use predict(NdArray)");
    }
    return StdArrays.array2dCopyOf(y);
  }

  /** Frees the graph and session (when no other open model shares them). */
  @Override
  public synchronized void close() {
    if (graph != null) {
      graph.close();
      graph = null;
      inference = null;
      inputPlaceholders = null;
      // The optimizer state lived in the graph: training again needs a new compile.
      trainer = null;
      pendingOptimizerState = List.of();
    }
  }
}
