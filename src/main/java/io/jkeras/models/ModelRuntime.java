package io.jkeras.models;

import io.jkeras.backend.DTypes;
import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.HostArray;
import io.jkeras.backend.SessionOptions;
import io.jkeras.layers.InputLayer;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.saving.StoredArray;
import io.jkeras.training.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The running side of a {@link Model}: the TensorFlow graph and session it lives in, the
 * placeholders fed with its inputs, its forward computation for training and for inference, and its
 * compiled trainer with the optimizer state that model files store.
 *
 * <p>This is the seam through which jkeras's own training, saving, SavedModel export and
 * distribution packages reach a model's graph; it is not part of the user API, and its methods may
 * change between releases. Application code calls {@link Model}'s methods ({@code fit}, {@code
 * predict}, {@code save}, {@code export}), which work through it.
 *
 * <pre>{@code
 * ModelRuntime runtime = ModelRuntime.of(model);
 * Session.Runner runner = runtime.graphSession().session().runner();
 * runner.feed(runtime.inputPlaceholders().get(0), x).fetch(runtime.inferenceOutputs().get(0));
 * }</pre>
 */
public final class ModelRuntime {

  private final Model model;
  private GraphSession graph;
  private List<Placeholder<?>> inputPlaceholders;
  private ForwardGraph inference;
  private Trainer trainer;
  // Optimizer variables read from a file before training created the optimizer.
  private List<StoredArray> pendingOptimizerState = List.of();
  private volatile boolean stopTraining;

  ModelRuntime(Model model) {
    this.model = model;
  }

  /**
   * The runtime of {@code model}, one per model.
   *
   * <pre>{@code
   * GraphSession g = ModelRuntime.of(model).graphSession();
   * }</pre>
   *
   * @param model any model
   * @return the model's runtime
   */
  public static ModelRuntime of(Model model) {
    return model.runtime();
  }

  /** Whether the model's graph exists (the model ran, trained or was exported since it opened). */
  synchronized boolean isRunning() {
    return graph != null;
  }

  // ---- graph ---------------------------------------------------------------------------------

  /**
   * The graph session the model runs in, created on first use: the one its layers already live in
   * (layers shared with another open model), or a new one. Every weight is bound to it.
   *
   * @return the model's graph session
   */
  public synchronized GraphSession graphSession() {
    model.requireStructure();
    if (graph != null) {
      return graph;
    }
    List<Layer> layers = model.layerGraph().layers();
    GraphSession shared = null;
    for (Layer l : layers) {
      GraphSession g = l.graphSession();
      if (g != null) {
        if (shared != null && shared != g) {
          throw new IllegalStateException(
              "Model \""
                  + model.name()
                  + "\" mixes layers that live in two different open models;"
                  + " close one of them first");
        }
        shared = g;
      }
    }
    graph =
        shared != null
            ? shared.retain()
            : GraphSession.create(sessionOptions(), model.distribution());
    for (Layer l : layers) {
      l.bindWeights(graph);
    }
    Ops tf = graph.tf().withSubScope(graph.uniqueScope(model.name()));
    List<Placeholder<?>> phs = new ArrayList<>();
    for (KerasTensor in : model.inputs()) {
      InputLayer il = (InputLayer) in.layer();
      phs.add(
          tf.withName(il.name())
              .placeholder(DTypes.tfType(in.dtype()), Placeholder.shape(in.shape())));
    }
    inputPlaceholders = List.copyOf(phs);
    return graph;
  }

  private SessionOptions sessionOptions() {
    SessionOptions o =
        model.sessionOptions() != null ? model.sessionOptions() : SessionOptions.defaults();
    return model.device() != null ? o.toBuilder().device(model.device()).build() : o;
  }

  /**
   * The placeholders fed with the model inputs, in input order.
   *
   * @return one placeholder per model input
   */
  public synchronized List<Placeholder<?>> inputPlaceholders() {
    graphSession();
    return inputPlaceholders;
  }

  /**
   * Emits the forward ops once more into the model's graph (Dropout active when training).
   *
   * @param training whether layers behave as in {@code fit}
   * @return the new forward graph
   */
  public synchronized ForwardGraph forward(boolean training) {
    GraphSession g = graphSession();
    return ForwardGraph.emit(
        model.layerGraph(),
        model.inputs(),
        inputPlaceholders,
        model.outputs(),
        new ForwardPass(g, training));
  }

  /**
   * The inference forward graph (outputs and layer losses), emitted on first use.
   *
   * @return the inference graph, the same each time until the model closes
   */
  public synchronized ForwardGraph inferenceGraph() {
    if (inference == null) {
      inference = forward(false);
    }
    return inference;
  }

  /**
   * The inference outputs, emitted on first use.
   *
   * @return one float32 operand per model output
   */
  public List<Operand<TFloat32>> inferenceOutputs() {
    return inferenceGraph().outputs();
  }

  /**
   * Runs the inference graph on {@code xs} (checked by the model) in batches of {@code batchSize}
   * and returns one array per output.
   */
  List<FloatNdArray> predict(List<HostArray> xs, int batchSize) {
    ForwardGraph forward = inferenceGraph();
    List<String> dtypes = new ArrayList<>();
    for (KerasTensor input : model.inputs()) {
      dtypes.add(input.dtype());
    }
    return new BatchPrediction(
            graphSession().session(),
            inputPlaceholders,
            dtypes,
            forward.outputs(),
            xs,
            batchSize,
            !forward.carriesState())
        .run();
  }

  // ---- data --------------------------------------------------------------------------------

  /**
   * Checks the number, sample shapes and sample counts of arrays fed to the model's inputs.
   *
   * @param xs one array per input
   * @throws IllegalArgumentException naming the input and the expected and actual shapes
   */
  public void checkInputs(List<HostArray> xs) {
    ModelInputs.check(model, xs);
  }

  /**
   * Values given by input name, in the order of the model's inputs (other keys are ignored).
   *
   * @param named values by input layer name
   * @param what what the values are, for the error message
   * @param <T> the value type
   * @return one value per input
   * @throws IllegalArgumentException when an input name is missing
   */
  public <T> List<T> inputsByName(Map<String, T> named, String what) {
    return ModelInputs.byName(model, named, model.inputNames(), what);
  }

  /**
   * Values given by output name, in the order of the model's outputs (other keys are ignored).
   *
   * @param named values by output name
   * @param what what the values are, for the error message
   * @param <T> the value type
   * @return one value per output
   * @throws IllegalArgumentException when an output name is missing
   */
  public <T> List<T> outputsByName(Map<String, T> named, String what) {
    return ModelInputs.byName(model, named, model.outputNames(), what);
  }

  // ---- training ------------------------------------------------------------------------------

  /** Installs the trainer {@code compile} made; a state restored before is dropped. */
  synchronized void compile(Trainer newTrainer) {
    trainer = newTrainer;
    pendingOptimizerState = List.of();
  }

  /** The compiled trainer, or null. */
  synchronized Trainer trainer() {
    return trainer;
  }

  /**
   * The optimizer's variables in Keras's order ({@code iteration}, {@code learning_rate}, then the
   * slots), as weight files store them: the live values once training has created them, else a
   * state restored and not yet applied, else an empty list (also for an uncompiled model).
   *
   * @return the optimizer state to save
   */
  public synchronized List<StoredArray> optimizerState() {
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
   * #optimizerState()}): now if training already created the optimizer, else when it starts.
   *
   * @param state the stored variables
   * @throws IllegalStateException when the model is not compiled
   */
  public synchronized void restoreOptimizerState(List<StoredArray> state) {
    model.requireCompiled();
    List<Object> values = new ArrayList<>();
    for (StoredArray a : state) {
      values.add(a.isFloat() ? a.floats() : a.longs());
    }
    trainer.restoreOptimizerState(values);
    if (!trainer.optimizer().isBuilt()) {
      pendingOptimizerState = List.copyOf(state);
    }
  }

  /** Sets or clears the request that {@code fit} stop after the current batch. */
  void stopTraining(boolean stop) {
    stopTraining = stop;
  }

  /** Whether {@code fit} was asked to stop. */
  boolean isStopTraining() {
    return stopTraining;
  }

  /** Clears a stop request ({@link Model#stopTraining()}); {@code fit} calls this as it starts. */
  public void resetStopTraining() {
    stopTraining = false;
  }

  /**
   * Which way the compiled metric called {@code name} improves ({@code "up"} or {@code "down"}), as
   * callbacks in mode "auto" need it; null when the model is not compiled or the metric or its
   * direction is unknown.
   *
   * @param name a metric name as logged, without {@code val_}
   * @return {@code "up"}, {@code "down"} or null
   */
  public synchronized String metricDirection(String name) {
    return trainer == null ? null : trainer.metricDirection(name);
  }

  /** Frees the graph and session (when no other open model shares them) and the trainer. */
  synchronized void close() {
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
