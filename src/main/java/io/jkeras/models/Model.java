package io.jkeras.models;

import io.jkeras.backend.Distribution;
import io.jkeras.backend.HostArray;
import io.jkeras.backend.SessionOptions;
import io.jkeras.layers.KerasNames;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.losses.Loss;
import io.jkeras.losses.LossWeights;
import io.jkeras.losses.Losses;
import io.jkeras.losses.OutputLosses;
import io.jkeras.metrics.Metric;
import io.jkeras.metrics.OutputMetrics;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.Optimizers;
import io.jkeras.savedmodel.SavedModel;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.saving.KerasWeightsFile;
import io.jkeras.saving.StoredArray;
import io.jkeras.training.Batch;
import io.jkeras.training.EvaluateOptions;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import io.jkeras.training.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.StdArrays;

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

  private final ModelRuntime runtime = new ModelRuntime(this);

  /**
   * A model from one input to one output.
   *
   * <pre>{@code
   * KerasTensor x = Input.of(3);
   * Model model = new Model(x, new Dense(1).apply(x));
   * }</pre>
   *
   * @param input a tensor made by {@link io.jkeras.layers.Input#of}
   * @param output a tensor computed from {@code input} by layer calls
   */
  public Model(KerasTensor input, KerasTensor output) {
    this(List.of(input), List.of(output), null);
  }

  /**
   * A model from several inputs to several outputs, named {@code functional}, {@code
   * functional_1}...
   *
   * <pre>{@code
   * Model model = new Model(List.of(a, b), List.of(y));
   * }</pre>
   *
   * @param inputs tensors made by {@link io.jkeras.layers.Input#of}, in the order data is given
   * @param outputs tensors computed from the inputs, in the order predictions are returned
   */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    this(inputs, outputs, null);
  }

  /**
   * A named model from several inputs to several outputs.
   *
   * <pre>{@code
   * Model model = new Model(List.of(a, b), List.of(y), "ranker");
   * }</pre>
   *
   * @param inputs tensors made by {@link io.jkeras.layers.Input#of}, in the order data is given
   * @param outputs tensors computed from the inputs, in the order predictions are returned
   * @param name the model's name, or null for a unique default
   */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs, String name) {
    this.name = name != null ? name : KerasNames.unique("functional");
    setStructure(inputs, outputs);
  }

  /**
   * For subclasses that set their structure later (Sequential).
   *
   * @param name the model's name, or null for a unique name made from {@code defaultPrefix}
   * @param defaultPrefix the prefix of the default name, such as {@code "sequential"}
   */
  protected Model(String name, String defaultPrefix) {
    this.name = name != null ? name : KerasNames.unique(defaultPrefix);
  }

  /** Defines (or, before the model first runs, redefines) the model's inputs and outputs. */
  final void setStructure(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    if (runtime.isRunning()) {
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

  final boolean hasStructure() {
    return layerGraph != null;
  }

  /**
   * The model's name.
   *
   * @return the name given, or the unique default ({@code functional}, {@code functional_1}...)
   */
  public String name() {
    return name;
  }

  /**
   * The class name Keras writes for this model.
   *
   * @return {@code "Functional"}
   */
  public String className() {
    return "Functional";
  }

  /**
   * The model's inputs, in the order data is given.
   *
   * @return the input tensors
   */
  public List<KerasTensor> inputs() {
    requireStructure();
    return inputs;
  }

  /**
   * The model's outputs, in the order predictions are returned.
   *
   * @return the output tensors
   */
  public List<KerasTensor> outputs() {
    requireStructure();
    return outputs;
  }

  /**
   * The names data given as a map is keyed by: the input layers' names, in {@link #inputs()} order.
   *
   * <pre>{@code
   * model.inputNames(); // [user, item]
   * }</pre>
   *
   * @return one name per input
   */
  public List<String> inputNames() {
    return inputs().stream().map(t -> t.layer().name()).toList();
  }

  /**
   * Keras's {@code model.output_names}: the names of the layers that compute the outputs, in {@link
   * #outputs()} order; labels, sample weights and predictions given or returned as maps use them.
   *
   * <pre>{@code
   * model.outputNames(); // [click, conversion]
   * }</pre>
   *
   * @return one name per output
   */
  public List<String> outputNames() {
    return outputs().stream().map(t -> t.layer().name()).toList();
  }

  /**
   * The layers in Keras's order (input layers first, by depth).
   *
   * @return the layers, each once
   */
  public List<Layer> layers() {
    requireStructure();
    return List.copyOf(layerGraph.layers());
  }

  /**
   * The layer called {@code layerName}.
   *
   * <pre>{@code
   * Dense dense = (Dense) model.getLayer("dense");
   * }</pre>
   *
   * @param layerName a layer name
   * @return the layer
   * @throws IllegalArgumentException when the model has no such layer; the message lists them
   */
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
  void requireStructure() {
    if (layerGraph == null) {
      throw new IllegalStateException(
          "Model \"" + name + "\" is not built yet: give it an input shape first");
    }
  }

  // ---- weights -------------------------------------------------------------------------------

  /**
   * Every weight of every layer, each once, layer by layer (Keras's {@code model.weights}).
   *
   * @return the weights
   */
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
   * The weights {@code fit} updates (Keras's {@code model.trainable_weights}).
   *
   * @return the trainable weights, in {@link #weights()} order
   */
  public List<Weight> trainableWeights() {
    return weights().stream().filter(Weight::isTrainable).toList();
  }

  /**
   * The weights {@code fit} leaves to the layers (moving statistics, frozen layers).
   *
   * @return the non-trainable weights, in {@link #weights()} order
   */
  public List<Weight> nonTrainableWeights() {
    return weights().stream().filter(w -> !w.isTrainable()).toList();
  }

  /**
   * Copies of every weight value, in {@link #weights()} order (Keras's {@code get_weights()}).
   *
   * <pre>{@code
   * List<FloatNdArray> saved = model.getWeights();
   * model.setWeights(saved);
   * }</pre>
   *
   * @return one array per weight
   */
  public List<FloatNdArray> getWeights() {
    List<FloatNdArray> out = new ArrayList<>();
    for (Weight w : weights()) {
      out.add(w.numpy());
    }
    return out;
  }

  /**
   * Replaces every weight value, in {@link #weights()} order; shapes must match exactly.
   *
   * @param values one array per weight
   */
  public void setWeights(List<? extends FloatNdArray> values) {
    Weight.assignAll("Model \"" + name + "\"", weights(), values);
  }

  /**
   * The number of weight values (Keras's {@code count_params()}).
   *
   * @return the total size of all weights
   */
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

  /**
   * The summary table as Keras prints it for the current terminal width ($COLUMNS, else 80).
   *
   * @return the table's text
   */
  public String summaryString() {
    return new ModelSummary(this).render(ModelSummary.defaultLineLength(this));
  }

  /**
   * The summary table for a given total line length.
   *
   * @param lineLength the table's width in characters
   * @return the table's text
   */
  public String summaryString(int lineLength) {
    return new ModelSummary(this).render(lineLength);
  }

  /** Optimizer variables, counted in the summary once training has created them. */
  long optimizerParamCount() {
    Trainer trainer = runtime.trainer();
    return trainer == null ? 0 : trainer.optimizer().countParams();
  }

  /** The bytes of the optimizer variables (the int64 iteration takes 8), for the summary. */
  long optimizerMemorySize() {
    Trainer trainer = runtime.trainer();
    return trainer == null ? 0 : trainer.optimizer().countBytes();
  }

  // ---- graph ---------------------------------------------------------------------------------

  /**
   * Places the model's ops on a device such as {@code "/GPU:0"} (soft placement: the CPU when the
   * device is absent). Must be called before the model first runs.
   *
   * <pre>{@code
   * model.onDevice("/GPU:0");
   * }</pre>
   *
   * @param device a TensorFlow device name
   * @return this model
   */
  public Model onDevice(String device) {
    if (runtime.isRunning()) {
      throw new IllegalStateException(
          "Model \"" + name + "\": choose the device before the model first runs");
    }
    this.device = device;
    return this;
  }

  /**
   * Runs this model's graph with {@code options} (threads, device placement, timeout) instead of
   * {@link SessionOptions#defaults()}. Must be called before the model first runs. Thread counts
   * apply only if this model's session is the process's first: TensorFlow sizes its thread pools
   * once per process (see {@link SessionOptions}).
   *
   * <pre>{@code
   * model.sessionOptions(SessionOptions.builder().intraOpThreads(2).build());
   * }</pre>
   *
   * @param options the session options
   * @return this model
   */
  public Model sessionOptions(SessionOptions options) {
    if (runtime.isRunning()) {
      throw new IllegalStateException(
          "Model \"" + name + "\": set the session options before the model first runs");
    }
    this.sessionOptions = options;
    return this;
  }

  /** The session options given, or null for the defaults. */
  SessionOptions sessionOptions() {
    return sessionOptions;
  }

  /** The device given with {@link #onDevice}, or null. */
  String device() {
    return device;
  }

  /** The distribution strategy whose scope was open when the model was constructed. */
  Distribution distribution() {
    return distribution;
  }

  /** The graph, session and trainer this model runs with. */
  ModelRuntime runtime() {
    return runtime;
  }

  // ---- training ----------------------------------------------------------------------------

  /**
   * Configures training, as Keras's {@code compile}: an optimizer, a loss and metrics by Keras name
   * ({@code "adam"}, {@code "binary_crossentropy"}, {@code "accuracy"}).
   *
   * <pre>{@code
   * model.compile("adam", "binary_crossentropy", "accuracy");
   * }</pre>
   *
   * @param optimizer an optimizer name
   * @param loss a loss name
   * @param metrics metric names
   */
  public void compile(String optimizer, String loss, String... metrics) {
    compile(Optimizers.get(optimizer), Losses.get(loss), metrics);
  }

  /**
   * Configures training with an optimizer object, a loss and metrics by Keras name.
   *
   * <pre>{@code
   * model.compile(new Adam(1e-3), "mse", "mae");
   * }</pre>
   *
   * @param optimizer the optimizer
   * @param loss a loss name
   * @param metrics metric names
   */
  public void compile(Optimizer optimizer, String loss, String... metrics) {
    compile(optimizer, Losses.get(loss), metrics);
  }

  /**
   * Configures training with an optimizer name, a loss object and metrics by Keras name.
   *
   * <pre>{@code
   * model.compile("adam", new BinaryFocalCrossentropy(), "auc");
   * }</pre>
   *
   * @param optimizer an optimizer name
   * @param loss the loss
   * @param metrics metric names
   */
  public void compile(String optimizer, Loss loss, String... metrics) {
    compile(Optimizers.get(optimizer), loss, metrics);
  }

  /**
   * Configures training with an optimizer and a loss by name and metric objects.
   *
   * <pre>{@code
   * model.compile("adam", "binary_crossentropy", AUC.builder().curve("PR").build());
   * }</pre>
   *
   * @param optimizer an optimizer name
   * @param loss a loss name
   * @param metric a metric object
   * @param more more metric objects
   */
  public void compile(String optimizer, String loss, Metric metric, Metric... more) {
    compile(Optimizers.get(optimizer), Losses.get(loss), metric, more);
  }

  /**
   * Configures training with an optimizer object, a loss by name and metric objects.
   *
   * <pre>{@code
   * model.compile(new Adam(1e-3), "mse", new RootMeanSquaredError());
   * }</pre>
   *
   * @param optimizer the optimizer
   * @param loss a loss name
   * @param metric a metric object
   * @param more more metric objects
   */
  public void compile(Optimizer optimizer, String loss, Metric metric, Metric... more) {
    compile(optimizer, Losses.get(loss), metric, more);
  }

  /**
   * Configures training with optimizer and loss objects and metrics by Keras name.
   *
   * <pre>{@code
   * model.compile(new Adam(1e-3), new BinaryCrossentropy(), "accuracy");
   * }</pre>
   *
   * @param optimizer the optimizer
   * @param loss the loss
   * @param metrics metric names
   */
  public void compile(Optimizer optimizer, Loss loss, String... metrics) {
    compile(optimizer, loss, List.of(metrics));
  }

  /**
   * Compiles a model of several outputs with a loss per output and Keras's {@code loss_weights}
   * (null: 1 each): the model trains on the sum of its outputs' losses, each times its weight.
   * Keras takes the weights as a list or map only with the losses in the same form.
   *
   * <pre>{@code
   * model.compile(new Adam(), OutputLosses.of(new BinaryCrossentropy(), new Huber()),
   *     LossWeights.of(1.0, 0.3), "accuracy", "mae"); // logs ctr_accuracy, price_mae
   * }</pre>
   *
   * @param optimizer the optimizer
   * @param losses the loss of every output, or one per output
   * @param lossWeights each output's weight in the total loss, or null for 1 each
   * @param metrics metric names: with several outputs, one per output as Keras's list form (see
   *     {@link OutputMetrics})
   * @throws IllegalArgumentException when the losses, weights or metrics do not fit the model's
   *     outputs
   */
  public void compile(
      Optimizer optimizer, OutputLosses losses, LossWeights lossWeights, String... metrics) {
    compile(optimizer, losses, lossWeights, OutputMetrics.of(List.of(metrics)));
  }

  /**
   * Compiles with metric objects (AUC, Precision...) instead of names. (At least one: {@code
   * compile(optimizer, loss)} is the names form with none.)
   *
   * <pre>{@code
   * model.compile(new Adam(1e-3), new BinaryCrossentropy(), new AUC());
   * }</pre>
   *
   * @param optimizer the optimizer
   * @param loss the loss
   * @param metric a metric object
   * @param more more metric objects
   */
  public void compile(Optimizer optimizer, Loss loss, Metric metric, Metric... more) {
    List<Metric> metrics = new ArrayList<>();
    metrics.add(metric);
    metrics.addAll(List.of(more));
    compile(optimizer, loss, metrics);
  }

  /**
   * Compiles with metric names and metric objects mixed, as Keras's {@code metrics=[...]} list; the
   * logs follow its order, and metric objects keep their settings in saved files.
   *
   * <pre>{@code
   * model.compile(new Adam(), new BinaryCrossentropy(),
   *     List.of("accuracy", AUC.builder().curve("PR").name("pr_auc").build()));
   * }</pre>
   *
   * @param optimizer the optimizer
   * @param loss the loss
   * @param metrics each a metric name ({@code String}) or a {@link Metric}
   * @throws IllegalArgumentException for an element that is neither
   */
  public void compile(Optimizer optimizer, Loss loss, List<?> metrics) {
    runtime.compile(new Trainer(this, optimizer, loss, metrics));
  }

  /**
   * Compiles a model of several outputs with a loss per output, Keras's {@code loss_weights} and
   * metric names and objects mixed (see {@link #compile(Optimizer, Loss, List)}).
   *
   * @param optimizer the optimizer
   * @param losses the loss of every output, or one per output
   * @param lossWeights each output's weight in the total loss, or null for 1 each
   * @param metrics Keras's list form: with several outputs one entry per output (see {@link
   *     OutputMetrics#of})
   * @throws IllegalArgumentException when the losses, weights or metrics do not fit
   */
  public void compile(
      Optimizer optimizer, OutputLosses losses, LossWeights lossWeights, List<?> metrics) {
    compile(optimizer, losses, lossWeights, OutputMetrics.of(metrics));
  }

  /**
   * Compiles a model of several outputs with each output's metrics, as Keras's {@code metrics}
   * given as a list per output or a map by output name; with several outputs the logs name each
   * metric after its output ({@code ctr_auc}, {@code val_ctr_auc}).
   *
   * <pre>{@code
   * model.compile(new Adam(),
   *     OutputLosses.byOutput(Map.of("ctr", new BinaryCrossentropy(), "price", new Huber())),
   *     null,
   *     OutputMetrics.byOutput(Map.of("ctr", List.of("auc"), "price", "mae")));
   * }</pre>
   *
   * @param optimizer the optimizer
   * @param losses the loss of every output, or one per output
   * @param lossWeights each output's weight in the total loss, or null for 1 each
   * @param metrics each output's metrics
   * @throws IllegalArgumentException when the losses, weights or metrics do not fit
   */
  public void compile(
      Optimizer optimizer, OutputLosses losses, LossWeights lossWeights, OutputMetrics metrics) {
    runtime.compile(new Trainer(this, optimizer, losses, lossWeights, metrics));
  }

  /**
   * Compiles with Keras's {@code weighted_metrics} besides the metrics: metrics that weigh each
   * sample by its sample weight and class weight (the metrics only apply an output's mask). Logged
   * under their own names, or {@code weighted_<name>} when a metric already has the name.
   *
   * <pre>{@code
   * model.compile(new Adam(), OutputLosses.single(new BinaryCrossentropy()), null,
   *     OutputMetrics.of(List.of("auc")), OutputMetrics.of(List.of("auc")));
   * model.fit(x, y, FitOptions.epochs(3).classWeight(Map.of(0, 0.1, 1, 1.0)));
   * // logs auc and weighted_auc
   * }</pre>
   *
   * @param optimizer the optimizer
   * @param losses the loss of every output, or one per output
   * @param lossWeights each output's weight in the total loss, or null for 1 each
   * @param metrics each output's metrics
   * @param weightedMetrics each output's weighted metrics
   * @throws IllegalArgumentException when the losses, weights or metrics do not fit
   */
  public void compile(
      Optimizer optimizer,
      OutputLosses losses,
      LossWeights lossWeights,
      OutputMetrics metrics,
      OutputMetrics weightedMetrics) {
    runtime.compile(new Trainer(this, optimizer, losses, lossWeights, metrics, weightedMetrics));
  }

  /**
   * Whether {@code compile} was called since the model was created or last closed.
   *
   * @return true when the model can be trained and evaluated
   */
  public boolean isCompiled() {
    return runtime.trainer() != null;
  }

  /**
   * The compiled optimizer.
   *
   * @return the optimizer given to {@code compile}
   */
  public Optimizer optimizer() {
    return requireCompiled().optimizer();
  }

  /**
   * The compiled loss.
   *
   * @return the loss given to {@code compile}
   */
  public Loss loss() {
    return requireCompiled().loss();
  }

  /**
   * The losses given to compile: one for every output, or one per output.
   *
   * <pre>{@code List<Loss> l = model.outputLosses().resolve(List.of("a", "b"), "model");}</pre>
   *
   * @return the compiled losses
   */
  public OutputLosses outputLosses() {
    return requireCompiled().outputLosses();
  }

  /**
   * The {@code loss_weights} given to compile, or null.
   *
   * <pre>{@code LossWeights w = model.lossWeights();}</pre>
   *
   * @return the weights, or null when compile had none
   */
  public LossWeights lossWeights() {
    return requireCompiled().lossWeights();
  }

  /**
   * The metrics given to {@code compile}, by name (metric objects by their names), every output's
   * in order.
   *
   * @return the metric names
   */
  public List<String> metricNames() {
    return requireCompiled().metricNames();
  }

  /**
   * The metrics given to {@code compile}, every output's in order: names ({@code String}) and
   * {@link Metric} objects.
   *
   * <pre>{@code model.compiledMetrics(); // ["accuracy", AUC "pr_auc"]}</pre>
   *
   * @return an unmodifiable list
   */
  public List<Object> compiledMetrics() {
    return requireCompiled().compiledMetrics();
  }

  /**
   * The metrics given to {@code compile} in the form given (a list, or a map by output name), as
   * model files store them.
   *
   * <pre>{@code Object json = model.outputMetrics().toConfig(m -> m);}</pre>
   *
   * @return the metrics
   */
  public OutputMetrics outputMetrics() {
    return requireCompiled().outputMetrics();
  }

  /**
   * The weighted metrics given to {@code compile}, in the form given.
   *
   * <pre>{@code List<Object> all = model.weightedMetrics().flattened();}</pre>
   *
   * @return the weighted metrics (an empty list when none)
   */
  public OutputMetrics weightedMetrics() {
    return requireCompiled().weightedMetrics();
  }

  Trainer requireCompiled() {
    Trainer trainer = runtime.trainer();
    if (trainer == null) {
      throw new IllegalStateException(
          "Model \"" + name + "\" must be compiled first: model.compile(optimizer, loss, metrics)");
    }
    return trainer;
  }

  /**
   * Trains on a single input and labels, as Keras's {@code fit}.
   *
   * <pre>{@code
   * History h = model.fit(x, y, FitOptions.epochs(5).batchSize(64));
   * }</pre>
   *
   * @param x the input samples
   * @param y the labels
   * @param options epochs, batch size, validation, callbacks...
   * @return the loss and metrics of every epoch
   */
  public History fit(HostArray x, HostArray y, FitOptions options) {
    return fit(List.of(x), List.of(y), options);
  }

  /**
   * Trains on integer input rows (ids) and float labels.
   *
   * <pre>{@code
   * model.fit(new int[][] {{1, 2}, {3, 4}}, new float[] {0, 1}, FitOptions.epochs(1));
   * }</pre>
   *
   * @param x one row of ids per sample
   * @param y one label per sample
   * @param options epochs, batch size, validation, callbacks...
   * @return the loss and metrics of every epoch
   */
  public History fit(int[][] x, float[] y, FitOptions options) {
    return fit(HostArray.of(x), HostArray.of(y), options);
  }

  /**
   * Trains on float input rows and float labels.
   *
   * <pre>{@code
   * model.fit(new float[][] {{0.5f, 1}, {2, 0}}, new float[] {0, 1}, FitOptions.epochs(1));
   * }</pre>
   *
   * @param x one feature row per sample
   * @param y one label per sample
   * @param options epochs, batch size, validation, callbacks...
   * @return the loss and metrics of every epoch
   */
  public History fit(float[][] x, float[] y, FitOptions options) {
    return fit(HostArray.of(x), HostArray.of(y), options);
  }

  /**
   * Trains on one array per input and one label array per output.
   *
   * <pre>{@code
   * model.fit(List.of(users, items), List.of(clicks), FitOptions.epochs(3));
   * }</pre>
   *
   * @param xs the inputs, in {@link #inputs()} order
   * @param ys the labels, in {@link #outputs()} order
   * @param options epochs, batch size, validation, callbacks...
   * @return the loss and metrics of every epoch
   */
  public History fit(List<HostArray> xs, List<HostArray> ys, FitOptions options) {
    Trainer trainer = requireCompiled();
    requireStructureFor(xs);
    ModelInputs.check(this, xs);
    return trainer.fit(xs, ys, options);
  }

  /**
   * Trains on inputs and labels given by name, as Keras's {@code fit} with dicts: inputs keyed by
   * {@link #inputNames()}, labels by {@link #outputNames()}. Keys the model does not use are
   * ignored.
   *
   * <pre>{@code
   * model.fit(
   *     Map.of("user", users, "item", items),
   *     Map.of("click", clicks),
   *     FitOptions.epochs(3));
   * }</pre>
   *
   * @param xs the inputs by input name
   * @param ys the labels by output name
   * @param options epochs, batch size, validation, callbacks...
   * @return the loss and metrics of every epoch
   */
  public History fit(Map<String, HostArray> xs, Map<String, HostArray> ys, FitOptions options) {
    return fit(
        ModelInputs.byName(this, xs, inputNames(), "inputs"),
        ModelInputs.byName(this, ys, outputNames(), "labels"),
        options);
  }

  /**
   * Trains on batches a source streams (for data that does not fit in memory): each epoch is one
   * pass over {@code batches}, or {@link FitOptions#stepsPerEpoch} batches when set; the batch size
   * is each batch's own. Batches may give inputs and labels by position or by name.
   *
   * <pre>{@code
   * Iterable<Batch> train = () -> reader.batches(4096);
   * model.fit(train, FitOptions.epochs(2).stepsPerEpoch(1000));
   * }</pre>
   *
   * @param batches the training batches; {@code iterator()} is called for every new pass
   * @param options epochs, steps, validation, callbacks... (not batch size, shuffling or validation
   *     split, which belong to the source)
   * @return the loss and metrics of every epoch
   */
  public History fit(Iterable<Batch> batches, FitOptions options) {
    Trainer trainer = requireCompiled();
    requireStructure();
    return trainer.fit(batches, options);
  }

  /**
   * Loss and metrics on data, as Keras's {@code evaluate} (logs by name).
   *
   * <pre>{@code
   * double loss = model.evaluate(xTest, yTest).get("loss");
   * }</pre>
   *
   * @param x the input samples
   * @param y the labels
   * @return the metrics first, then {@code loss}
   */
  public Map<String, Double> evaluate(HostArray x, HostArray y) {
    return evaluate(List.of(x), List.of(y), DEFAULT_BATCH_SIZE);
  }

  /**
   * Loss and metrics on one array per input and one label array per output.
   *
   * <pre>{@code
   * Map<String, Double> logs = model.evaluate(List.of(users, items), List.of(clicks), 256);
   * }</pre>
   *
   * @param xs the inputs, in {@link #inputs()} order
   * @param ys the labels, in {@link #outputs()} order
   * @param batchSize samples per step
   * @return the metrics first, then {@code loss}
   */
  public Map<String, Double> evaluate(List<HostArray> xs, List<HostArray> ys, int batchSize) {
    return evaluate(xs, ys, EvaluateOptions.batchSize(batchSize));
  }

  /**
   * Loss and metrics with Keras's other {@code evaluate} arguments: sample weights and a step
   * limit.
   *
   * <pre>{@code
   * model.evaluate(List.of(x), List.of(y), EvaluateOptions.batchSize(64).sampleWeight(w));
   * }</pre>
   *
   * @param xs the inputs, in {@link #inputs()} order
   * @param ys the labels, in {@link #outputs()} order
   * @param options batch size, sample weights, steps
   * @return the metrics first, then {@code loss}
   */
  public Map<String, Double> evaluate(
      List<HostArray> xs, List<HostArray> ys, EvaluateOptions options) {
    Trainer trainer = requireCompiled();
    requireStructureFor(xs);
    ModelInputs.check(this, xs);
    return trainer.evaluate(xs, ys, options);
  }

  /**
   * Loss and metrics on inputs and labels given by name ({@link #inputNames()}, {@link
   * #outputNames()}), as Keras's {@code evaluate} with dicts.
   *
   * <pre>{@code
   * model.evaluate(Map.of("user", u, "item", i), Map.of("click", c), EvaluateOptions.defaults());
   * }</pre>
   *
   * @param xs the inputs by input name
   * @param ys the labels by output name
   * @param options batch size, sample weights, steps
   * @return the metrics first, then {@code loss}
   */
  public Map<String, Double> evaluate(
      Map<String, HostArray> xs, Map<String, HostArray> ys, EvaluateOptions options) {
    return evaluate(
        ModelInputs.byName(this, xs, inputNames(), "inputs"),
        ModelInputs.byName(this, ys, outputNames(), "labels"),
        options);
  }

  /**
   * Loss and metrics over streamed batches: one pass, or the first {@code steps} batches of {@link
   * EvaluateOptions#steps} when set.
   *
   * <pre>{@code
   * Map<String, Double> logs = model.evaluate(() -> reader.batches(4096), EvaluateOptions.defaults());
   * }</pre>
   *
   * @param batches the batches; {@code iterator()} is called once
   * @param options steps (the batch size is each batch's own)
   * @return the metrics first, then {@code loss}
   */
  public Map<String, Double> evaluate(Iterable<Batch> batches, EvaluateOptions options) {
    Trainer trainer = requireCompiled();
    requireStructure();
    return trainer.evaluate(batches, options);
  }

  /**
   * Asks {@code fit} to stop after the current batch (Keras's {@code model.stop_training = True}).
   */
  public void stopTraining() {
    runtime.stopTraining(true);
  }

  /**
   * Whether a stop was asked for since the current (or last) {@code fit} started.
   *
   * @return Keras's {@code model.stop_training}
   */
  public boolean isStopTraining() {
    return runtime.isStopTraining();
  }

  // ---- files ---------------------------------------------------------------------------------

  /**
   * Writes every weight, and the optimizer state once training has created it, to a Keras 3 {@code
   * .weights.h5} file that Python's {@code model.load_weights} reads. Written to a temp file and
   * moved into place.
   *
   * <pre>{@code
   * model.saveWeights(Path.of("model.weights.h5"));
   * }</pre>
   *
   * @param path the file to write
   */
  public void saveWeights(Path path) {
    KerasWeightsFile.save(path, this, runtime.optimizerState());
  }

  /**
   * Reads a Keras 3 {@code .weights.h5} file (written by jkeras or Python Keras) into this model's
   * weights, checking every shape first; the optimizer state in it, if any, is restored when the
   * model is compiled (now, or when training starts).
   *
   * <pre>{@code
   * model.loadWeights(Path.of("model.weights.h5"));
   * }</pre>
   *
   * @param path the file to read
   */
  public void loadWeights(Path path) {
    List<StoredArray> state = KerasWeightsFile.load(path, this);
    if (isCompiled() && !state.isEmpty()) {
      runtime.restoreOptimizerState(state);
    }
  }

  /**
   * Saves the model as a Keras 3 {@code .keras} file (config, weights and, once trained, the
   * optimizer state) that Python's {@code keras.saving.load_model} reads; written atomically.
   *
   * <pre>{@code
   * model.save(Path.of("model.keras"));
   * }</pre>
   *
   * @param path the file to write
   */
  public void save(Path path) {
    KerasModelFile.save(this, path);
  }

  /**
   * Loads a {@code .keras} file or a legacy Keras 2 / tf.keras {@code .h5} file, written by Python
   * Keras or by jkeras, compiled as it was saved so that {@code fit} continues.
   *
   * <pre>{@code
   * try (Model m = Model.load(Path.of("model.keras"))) {
   *   m.fit(x, y, FitOptions.epochs(1));
   * }
   * }</pre>
   *
   * @param path the file to read
   * @return the model, which the caller closes
   */
  public static Model load(Path path) {
    return KerasModelFile.load(path);
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
   *
   * @param path the file to read
   * @param compile whether to compile the model as it was saved
   * @return the model, which the caller closes
   */
  public static Model load(Path path, boolean compile) {
    return KerasModelFile.load(path, true, compile);
  }

  /**
   * Exports the model for inference as a TensorFlow SavedModel, as Keras's {@code
   * model.export(dir)}: signature {@code serving_default} (and {@code serve}) with the input layer
   * names as input keys and outputs {@code output_0}, {@code output_1}...; only the weights are
   * saved. Python loads it with {@code tf.saved_model.load} or {@code keras.layers.TFSMLayer}.
   *
   * <pre>{@code
   * model.export(Path.of("exported/1"));
   * }</pre>
   *
   * @param dir the directory to create; it must not exist
   */
  public void export(Path dir) {
    SavedModel.export(this, dir);
  }

  /**
   * Exports as {@link #export(Path)}; with {@code overwrite}, an existing export in {@code dir} is
   * replaced (Keras's {@code export} overwrites too). The new SavedModel is written beside the old
   * one and swapped in by renames, so a reader sees one or the other whole; without {@code
   * overwrite} an existing non-empty directory is refused.
   *
   * <pre>{@code
   * model.export(Path.of("exported/1"), true);
   * }</pre>
   *
   * @param dir the directory to create or replace
   * @param overwrite whether an existing export may be replaced
   */
  public void export(Path dir, boolean overwrite) {
    SavedModel.export(this, dir, overwrite);
  }

  // ---- predict -------------------------------------------------------------------------------

  /**
   * Predicts for a single-input, single-output model with rank-2 output.
   *
   * <pre>{@code
   * float[][] p = model.predict(new float[][] {{0.5f, 1, 2}});
   * }</pre>
   *
   * @param x one feature row per sample
   * @return one output row per sample
   */
  public float[][] predict(float[][] x) {
    return toMatrix(predict(HostArray.of(x)));
  }

  /**
   * Predicts for a single-input (integer ids), single-output model with rank-2 output.
   *
   * <pre>{@code
   * float[][] p = model.predict(new int[][] {{3, 17, 4}});
   * }</pre>
   *
   * @param x one row of ids per sample
   * @return one output row per sample
   */
  public float[][] predict(int[][] x) {
    return toMatrix(predict(HostArray.of(x)));
  }

  /**
   * Predicts for a single-input, single-output model whose input is a string tensor of rank 2 (for
   * example a {@code StringLookup} over tokens) and whose output has rank 2.
   *
   * <pre>{@code
   * float[][] p = model.predict(new String[][] {{"red", "blue"}, {"green", "red"}});
   * }</pre>
   *
   * @param x the samples, one row of strings each
   * @return one row of predictions per sample
   */
  public float[][] predict(String[][] x) {
    return toMatrix(predict(HostArray.of(x)));
  }

  /**
   * Predicts for a single-input, single-output model.
   *
   * <pre>{@code
   * FloatNdArray p = model.predict(NdArrays.ofFloats(Shape.of(2, 3)));
   * }</pre>
   *
   * @param x the samples, batch first
   * @return the predictions, batch first
   */
  public FloatNdArray predict(NdArray<?> x) {
    return predict(HostArray.of(x));
  }

  /**
   * Predicts for a single-input, single-output model.
   *
   * <pre>{@code
   * FloatNdArray p = model.predict(HostArray.of(new float[][] {{1, 2, 3}}));
   * }</pre>
   *
   * @param x the samples
   * @return the predictions, batch first
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
   *
   * <pre>{@code
   * List<FloatNdArray> p = model.predict(List.of(users, items), 1024);
   * }</pre>
   *
   * @param xs the inputs, in {@link #inputs()} order
   * @param batchSize samples per step
   * @return the predictions, in {@link #outputs()} order
   */
  public List<FloatNdArray> predict(List<HostArray> xs, int batchSize) {
    requireStructureFor(xs);
    ModelInputs.check(this, xs);
    InputRanges.check(this, xs); // ids and whole numbers, before anything runs
    if (batchSize <= 0) {
      throw new IllegalArgumentException("predict: batchSize must be positive, got " + batchSize);
    }
    return runtime.predict(xs, batchSize);
  }

  /**
   * Runs the model on inputs given by name ({@link #inputNames()}; other keys are ignored) and
   * returns the predictions by output name ({@link #outputNames()}).
   *
   * <pre>{@code
   * Map<String, FloatNdArray> p = model.predict(Map.of("user", users, "item", items), 1024);
   * FloatNdArray clicks = p.get("click");
   * }</pre>
   *
   * @param xs the inputs by input name
   * @param batchSize samples per step
   * @return the predictions by output name, in {@link #outputs()} order
   */
  public Map<String, FloatNdArray> predict(Map<String, HostArray> xs, int batchSize) {
    List<FloatNdArray> out =
        predict(ModelInputs.byName(this, xs, inputNames(), "inputs"), batchSize);
    List<String> names = outputNames();
    Map<String, FloatNdArray> named = new LinkedHashMap<>();
    for (int k = 0; k < out.size(); k++) {
      if (named.put(names.get(k), out.get(k)) != null) {
        throw new IllegalStateException(
            "Model \""
                + name
                + "\": outputs "
                + names
                + " share a name, so predictions cannot be returned by name; use predict(List,"
                + " int)");
      }
    }
    return named;
  }

  /** Sequential builds itself from the first data it sees; a functional model is already built. */
  void requireStructureFor(List<HostArray> xs) {
    requireStructure();
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

  /**
   * Frees the graph and session (when no other open model shares them). The weights' values stay
   * with the layers; training again needs a new {@code compile}.
   */
  @Override
  public void close() {
    runtime.close();
  }
}
