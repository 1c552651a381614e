package io.jkeras.training;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.Callback;
import io.jkeras.callbacks.ProgressLogger;
import io.jkeras.losses.Loss;
import io.jkeras.losses.LossWeights;
import io.jkeras.losses.OutputLosses;
import io.jkeras.metrics.Metric;
import io.jkeras.metrics.OutputMetrics;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.ndarray.Shape;

/**
 * Training and evaluation of a compiled model: the loops of {@code fit} and {@code evaluate} that
 * feed the graphs of one training and one evaluation step batch by batch, from arrays or streamed
 * batches, with sample and class weights, steps per epoch and validation as Keras has them. Models
 * create it in {@code compile}; it reaches the model's graph through {@link ModelRuntime}.
 * Application code calls {@link Model#compile}, {@link Model#fit} and {@link Model#evaluate}.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, new Adam(), new MeanSquaredError(), List.of("mae"));
 * History h = trainer.fit(List.of(x), List.of(y), FitOptions.epochs(2));
 * }</pre>
 */
public final class Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final Model model;
  private final ModelRuntime runtime;
  private final Optimizer optimizer;
  private final Loss loss;
  private final OutputLosses outputLosses;
  private final List<Loss> lossPerOutput;
  private final LossWeights lossWeights;

  /** The metrics given to compile, in the form given. */
  private final OutputMetrics outputMetrics;

  /** Each output's metrics, in output order: names (String) and metric objects (Metric). */
  private final List<List<Object>> metricsPerOutput;

  /** The weighted metrics (those that take sample and class weights), likewise. */
  private final OutputMetrics weightedMetrics;

  private final List<List<Object>> weightedPerOutput;

  private TrainingGraph graph;
  private List<Object> pendingOptimizerState;

  /**
   * A trainer for {@code model}, as {@code compile} makes it.
   *
   * @param model the model to train
   * @param optimizer the optimizer
   * @param loss the loss of every output
   * @param metrics metric names ({@code "accuracy"}, {@code "auc"}, resolved against the first
   *     output when training starts) and {@link Metric} objects, in the order of the logs
   */
  public Trainer(Model model, Optimizer optimizer, Loss loss, List<?> metrics) {
    this(model, optimizer, OutputLosses.single(loss), null, OutputMetrics.of(metrics));
  }

  /**
   * A trainer with a loss per output ({@code losses}) whose total loss weighs each output's loss by
   * {@code lossWeights} (null: all 1, as Keras without {@code loss_weights}), with each output's
   * {@code metrics}.
   *
   * <pre>
   * {@code new Trainer(model, new Adam(), OutputLosses.of(new MeanSquaredError(), new Huber()),
   *     LossWeights.of(1, 0.5), OutputMetrics.of(List.of("mae", "mse")));}</pre>
   *
   * @throws IllegalArgumentException when the losses, weights or metrics do not fit the model's
   *     outputs
   */
  public Trainer(
      Model model,
      Optimizer optimizer,
      OutputLosses losses,
      LossWeights lossWeights,
      OutputMetrics metrics) {
    this(model, optimizer, losses, lossWeights, metrics, OutputMetrics.of(List.of()));
  }

  /**
   * A trainer as {@link #Trainer(Model, Optimizer, OutputLosses, LossWeights, OutputMetrics)}, with
   * Keras's {@code weighted_metrics}: metrics that weigh each sample by its sample and class
   * weight.
   *
   * <pre>
   * {@code new Trainer(model, new Adam(), OutputLosses.single(new BinaryCrossentropy()), null,
   *     OutputMetrics.of(List.of("auc")), OutputMetrics.of(List.of("auc")));}</pre>
   *
   * @throws IllegalArgumentException when the losses, weights or metrics do not fit the model's
   *     outputs, or one metric object is in both metric sets
   */
  public Trainer(
      Model model,
      Optimizer optimizer,
      OutputLosses losses,
      LossWeights lossWeights,
      OutputMetrics metrics,
      OutputMetrics weightedMetrics) {
    String owner = "Model \"" + model.name() + "\"";
    this.lossPerOutput = List.copyOf(losses.resolve(outputNames(model), owner));
    if (lossWeights != null) {
      lossWeights.resolve(outputNames(model), owner);
    }
    this.outputLosses = losses;
    this.lossWeights = lossWeights;
    this.model = model;
    this.runtime = ModelRuntime.of(model);
    this.optimizer = optimizer;
    this.loss = lossPerOutput.get(0);
    this.outputMetrics = metrics;
    this.metricsPerOutput = metrics.resolve(outputNames(model), owner);
    this.weightedMetrics = weightedMetrics;
    this.weightedPerOutput = weightedMetrics.resolve(outputNames(model), owner);
    for (Object m : weightedMetrics.flattened()) {
      if (m instanceof Metric o && metrics.flattened().stream().anyMatch(x -> x == o)) {
        throw new IllegalArgumentException(
            owner
                + ": metric object \""
                + o.name()
                + "\" is both a metric and a weighted metric; give each its own object");
      }
    }
  }

  /**
   * The compiled optimizer.
   *
   * @return the optimizer
   */
  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * The compiled loss.
   *
   * @return the loss
   */
  public Loss loss() {
    return loss;
  }

  /**
   * The losses given to compile: one for every output, or one per output.
   *
   * @return the compiled losses
   */
  public OutputLosses outputLosses() {
    return outputLosses;
  }

  /**
   * The {@code loss_weights} given to compile.
   *
   * @return the weights, or null when compile had none
   */
  public LossWeights lossWeights() {
    return lossWeights;
  }

  /** The names Keras gives the outputs: their layers' names. */
  private static List<String> outputNames(Model model) {
    return model.outputs().stream().map(t -> t.layer().name()).toList();
  }

  /**
   * The metrics given to compile, in order (every output's): names, and the names of metric
   * objects.
   *
   * @return the metric names
   */
  public List<String> metricNames() {
    return compiledMetrics().stream()
        .map(m -> m instanceof Metric o ? o.name() : (String) m)
        .toList();
  }

  /**
   * The metrics given to compile, in order (every output's): names ({@code String}) and {@link
   * Metric} objects.
   *
   * @return an unmodifiable list
   */
  public List<Object> compiledMetrics() {
    return outputMetrics.flattened();
  }

  /**
   * The metrics given to compile, in the form given (a list, or a map by output name).
   *
   * @return the metrics
   */
  public OutputMetrics outputMetrics() {
    return outputMetrics;
  }

  /**
   * The weighted metrics given to compile, in the form given.
   *
   * @return the weighted metrics (an empty list when none)
   */
  public OutputMetrics weightedMetrics() {
    return weightedMetrics;
  }

  /**
   * Restores optimizer state read from a weights file: now if the optimizer exists, else as soon as
   * training creates it.
   *
   * @param values the optimizer variables in Keras's order, {@code long[]} or {@code float[]} each
   */
  public void restoreOptimizerState(List<Object> values) {
    if (optimizer.isBuilt()) {
      optimizer.setState(values);
    } else {
      pendingOptimizerState = List.copyOf(values);
    }
  }

  /**
   * Which way the compiled metric called {@code name} improves ({@link Metric#direction()}), once
   * training or evaluation has resolved the metrics; null for an unknown name or direction.
   *
   * @param name a metric name as logged ({@code "accuracy"}, {@code "auc"})
   * @return {@code "up"}, {@code "down"} or null
   */
  public String metricDirection(String name) {
    Metric m = graph != null ? graph.metric(name) : null;
    List<String> outputs = outputNames(model);
    for (int k = 0; m == null && k < outputs.size(); k++) {
      String prefix = outputs.size() > 1 ? outputs.get(k) + "_" : "";
      for (List<List<Object>> set : List.of(metricsPerOutput, weightedPerOutput)) {
        for (Object o : set.get(k)) {
          if (o instanceof Metric x && (prefix + x.name()).equals(name)) {
            m = x;
          }
        }
      }
    }
    return m == null ? null : m.direction();
  }

  /** The training and evaluation graphs, built for labels of these shapes on first use. */
  private TrainingGraph graph(List<Shape> labelShapes) {
    if (graph == null) {
      graph =
          new TrainingGraph(
              model,
              optimizer,
              lossPerOutput,
              lossWeights == null
                  ? null
                  : lossWeights.resolve(outputNames(model), "Model \"" + model.name() + "\""),
              metricsPerOutput,
              weightedPerOutput,
              labelShapes);
      if (pendingOptimizerState != null) {
        optimizer.setState(pendingOptimizerState);
        pendingOptimizerState = null;
      }
    }
    return graph;
  }

  private static List<Shape> labelShapes(BatchData data) {
    return data.y().stream().map(HostArray::sampleShape).toList();
  }

  /**
   * Trains the model on {@code xs} (one array per input) and {@code ys} (one per output), as
   * Keras's {@code fit} on arrays.
   *
   * <pre>{@code
   * History h = trainer.fit(List.of(x), List.of(y), FitOptions.epochs(3).sampleWeight(w));
   * }</pre>
   *
   * @param xs the inputs, in model input order
   * @param ys the labels, in model output order
   * @param options epochs, batch size, weights, validation, callbacks...
   * @return the loss and metrics of every epoch
   */
  public History fit(List<HostArray> xs, List<HostArray> ys, FitOptions options) {
    BatchData all = BatchData.of(runtime, xs, ys, options.sampleWeights, "fit");
    int n = all.count();
    int trainCount = n;
    boolean split = options.validationSplit > 0 && !hasValidationData(options);
    if (split) {
      trainCount = (int) Math.floor(n * (1 - options.validationSplit));
      if (trainCount == 0 || trainCount == n) {
        throw new IllegalArgumentException(
            "fit: validation_split "
                + options.validationSplit
                + " of "
                + n
                + " samples leaves no training or no validation sample");
      }
    }
    TrainingGraph tg = graph(labelShapes(all));
    SplittableRandom random = GlobalSeed.split();
    SplittableRandom shuffle = options.shuffle ? random : null;
    // Class weights weigh the training samples only, as Keras applies them after the split.
    BatchData weighted = all.withClassWeight(options.classWeight, "fit");
    BatchSource train;
    BatchSource validation;
    if (split) {
      train = new BatchSource.InMemory(weighted, range(0, trainCount), options.batchSize, shuffle);
      validation =
          new BatchSource.InMemory(all, range(trainCount, n), validationBatchSize(options), null);
    } else {
      train = new BatchSource.InMemory(weighted, null, options.batchSize, shuffle);
      validation = validationSource(options);
    }
    return run(tg, train, validation, options);
  }

  /**
   * Trains the model on streamed batches, as Keras's {@code fit} on a data set: an epoch is one
   * pass over {@code batches}, or {@code stepsPerEpoch} batches that continue where the last epoch
   * stopped.
   *
   * <pre>{@code
   * trainer.fit(() -> reader.batches(4096), FitOptions.epochs(3).stepsPerEpoch(1000));
   * }</pre>
   *
   * @param batches the training batches
   * @param options epochs, steps, class weights, validation, callbacks...
   * @return the loss and metrics of every epoch
   */
  public History fit(Iterable<Batch> batches, FitOptions options) {
    if (options.validationSplit > 0) {
      throw new IllegalArgumentException(
          "fit: validation_split needs array data; give streamed data validationData(...)"
              + " instead");
    }
    BatchSource train = new BatchSource.Streamed(batches, runtime, options.classWeight, "fit");
    try {
      TrainingGraph tg = graph(train.labelShapes());
      return run(tg, train, validationSource(options), options);
    } finally {
      train.close();
    }
  }

  private static boolean hasValidationData(FitOptions o) {
    return o.validationX != null || o.namedValidationX != null || o.validationBatches != null;
  }

  private static int validationBatchSize(FitOptions o) {
    return o.validationBatchSize > 0 ? o.validationBatchSize : o.batchSize;
  }

  private static int[] range(int from, int to) {
    int[] rows = new int[to - from];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = from + i;
    }
    return rows;
  }

  /** The validation data given in {@code options}, or null. */
  private BatchSource validationSource(FitOptions o) {
    String where = "fit validation data";
    if (o.validationBatches != null) {
      return new BatchSource.Streamed(o.validationBatches, runtime, null, where);
    }
    List<HostArray> x = o.validationX;
    List<HostArray> y = o.validationY;
    if (o.namedValidationX != null) {
      x = runtime.inputsByName(o.namedValidationX, where + " inputs");
      y = runtime.outputsByName(o.namedValidationY, where + " labels");
    }
    if (x == null) {
      return null;
    }
    BatchData data = BatchData.of(runtime, x, y, o.validationWeights, where);
    return new BatchSource.InMemory(data, null, validationBatchSize(o), null);
  }

  /**
   * The epochs of {@code fit}, from the chief's weights when replicas mirror each other; the
   * sources' passes are closed when it ends, however it ends.
   */
  private History run(
      TrainingGraph tg, BatchSource train, BatchSource validation, FitOptions options) {
    try {
      tg.broadcastFromChief();
      return epochs(tg, train, validation, options);
    } finally {
      train.close();
      if (validation != null) {
        validation.close();
      }
    }
  }

  private History epochs(
      TrainingGraph tg, BatchSource train, BatchSource validation, FitOptions options) {
    History history = new History();
    // As Keras: History and the progress logger after the user's callbacks, so that they record
    // what those add to the epoch's logs (ReduceLROnPlateau's learning_rate).
    List<Callback> callbacks = new ArrayList<>(options.callbacks);
    callbacks.add(history);
    int verbose = options.verbose < 0 ? ProgressLogger.autoVerbosity() : options.verbose;
    if (verbose > 0 && options.callbacks.stream().noneMatch(c -> c instanceof ProgressLogger)) {
      // A library writes no console output of its own: progress goes to SLF4J.
      callbacks.add(ProgressLogger.toLog());
    }
    int limit = options.stepsPerEpoch;
    int steps = limit > 0 ? limit : train.batchesPerPass();
    runtime.resetStopTraining();
    Callback.TrainingRun run =
        new Callback.TrainingRun(
            model, options.epochs, steps, train.samplesPerPass(), options.initialEpoch);
    for (Callback c : callbacks) {
      c.onTrainBegin(run);
    }
    Map<String, Double> logs = new LinkedHashMap<>();
    boolean passOpen = false;
    for (int epoch = run.initialEpoch();
        epoch < options.epochs && !model.isStopTraining();
        epoch++) {
      for (Callback c : callbacks) {
        c.onEpochBegin(epoch);
      }
      // With steps_per_epoch an epoch continues the pass the last one left unfinished.
      if (!passOpen || limit == 0) {
        train.startPass();
        passOpen = true;
      }
      tg.resetMetrics();
      double lossSum = 0;
      double seen = 0;
      for (int step = 0; (limit == 0 || step < limit) && !model.isStopTraining(); step++) {
        if (!train.hasNext()) {
          if (limit > 0) {
            LOG.warn(
                "fit: the data ran out after {} of {} steps of epoch {}; the epoch ends early."
                    + " Give at least steps_per_epoch batches per pass of the data.",
                step,
                limit,
                epoch + 1);
          }
          break;
        }
        for (Callback c : callbacks) {
          c.onBatchBegin(step);
        }
        BatchSlice batch = train.next();
        double batchLoss = tg.run(batch, true);
        lossSum += batchLoss * tg.batchWeight(batch.size());
        seen += tg.batchWeight(batch.size());
        logs = tg.logs(lossSum / seen);
        for (Callback c : callbacks) {
          c.onBatchEnd(step, logs);
        }
      }
      if (!train.hasNext()) {
        passOpen = false;
      }
      if (seen == 0) {
        logs = tg.logs(0);
      }
      if (validation != null) {
        Map<String, Double> val = evaluateOn(tg, validation, options.validationSteps);
        for (Map.Entry<String, Double> e : val.entrySet()) {
          logs.put("val_" + e.getKey(), e.getValue());
        }
      }
      for (Callback c : callbacks) {
        c.onEpochEnd(epoch, logs);
      }
    }
    if (optimizer.isBuilt() && options.epochs > options.initialEpoch) {
      optimizer.finalizeVariableValues();
    }
    for (Callback c : callbacks) {
      c.onTrainEnd(logs);
    }
    return history;
  }

  /**
   * Loss and metrics over {@code xs}/{@code ys}, as Keras's {@code evaluate}.
   *
   * <pre>{@code
   * Map<String, Double> logs = trainer.evaluate(List.of(x), List.of(y), EvaluateOptions.defaults());
   * }</pre>
   *
   * @param xs the inputs, in model input order
   * @param ys the labels, in model output order
   * @param options batch size, sample weights, steps
   * @return the metrics first, then {@code loss}
   */
  public Map<String, Double> evaluate(
      List<HostArray> xs, List<HostArray> ys, EvaluateOptions options) {
    BatchData data = BatchData.of(runtime, xs, ys, options.sampleWeights, "evaluate");
    TrainingGraph tg = graph(labelShapes(data));
    return evaluateOn(
        tg, new BatchSource.InMemory(data, null, options.batchSize, null), options.steps);
  }

  /**
   * Loss and metrics over streamed batches, as Keras's {@code evaluate} on a data set.
   *
   * <pre>{@code
   * trainer.evaluate(() -> reader.batches(4096), EvaluateOptions.defaults().steps(100));
   * }</pre>
   *
   * @param batches the batches
   * @param options steps
   * @return the metrics first, then {@code loss}
   */
  public Map<String, Double> evaluate(Iterable<Batch> batches, EvaluateOptions options) {
    BatchSource source = new BatchSource.Streamed(batches, runtime, null, "evaluate");
    try {
      TrainingGraph tg = graph(source.labelShapes());
      return evaluateOn(tg, source, options.steps);
    } finally {
      source.close();
    }
  }

  /**
   * One pass (or its first {@code steps} batches, when positive) of evaluation steps; the pass is
   * closed at the end.
   */
  private static Map<String, Double> evaluateOn(TrainingGraph tg, BatchSource source, int steps) {
    source.startPass();
    tg.resetMetrics();
    double lossSum = 0;
    double n = 0;
    try {
      for (int step = 0; (steps == 0 || step < steps) && source.hasNext(); step++) {
        BatchSlice batch = source.next();
        lossSum += tg.run(batch, false) * tg.batchWeight(batch.size());
        n += tg.batchWeight(batch.size());
      }
    } finally {
      source.close();
    }
    Map<String, Double> out = tg.logs(n == 0 ? Double.NaN : lossSum / n);
    tg.resetMetrics();
    return out;
  }
}
