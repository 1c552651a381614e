package io.jkeras.training;

import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.Callback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optional arguments of {@code fit}, with Keras's defaults: 1 epoch, batch size 32, shuffle on,
 * no validation, no sample or class weights, every batch of the data each epoch, verbose "auto" (a
 * live bar on a terminal, a line per epoch otherwise).
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(2).batchSize(32).validationData(xTest, yTest));
 * model.fit(x, y, FitOptions.epochs(5).classWeight(Map.of(0, 1.0, 1, 20.0)));
 * }</pre>
 */
public final class FitOptions {

  int epochs = 1;
  int batchSize = 32;
  boolean shuffle = true;
  double validationSplit;
  List<HostArray> validationX;
  List<HostArray> validationY;
  Map<String, HostArray> namedValidationX;
  Map<String, HostArray> namedValidationY;
  SampleWeightSpec validationWeights = SampleWeightSpec.NONE;
  Iterable<Batch> validationBatches;
  int validationBatchSize;
  int validationSteps;
  SampleWeightSpec sampleWeights = SampleWeightSpec.NONE;
  Map<Integer, Double> classWeight;
  int stepsPerEpoch;
  final List<Callback> callbacks = new ArrayList<>();
  int verbose = -1;
  int initialEpoch;

  private FitOptions() {}

  /**
   * Keras's defaults.
   *
   * <pre>{@code
   * model.fit(x, y, FitOptions.defaults());
   * }</pre>
   *
   * @return new options
   */
  public static FitOptions defaults() {
    return new FitOptions();
  }

  /**
   * Options that train for {@code epochs} epochs.
   *
   * <pre>{@code
   * model.fit(x, y, FitOptions.epochs(10));
   * }</pre>
   *
   * @param epochs the number of epochs, at least 1
   * @return new options
   */
  public static FitOptions epochs(int epochs) {
    return new FitOptions().withEpochs(epochs);
  }

  /**
   * Sets the number of epochs.
   *
   * <pre>{@code
   * FitOptions.defaults().withEpochs(3);
   * }</pre>
   *
   * @param epochs the number of epochs, at least 1
   * @return these options
   */
  public FitOptions withEpochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("fit: epochs must be >= 1, got " + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  /**
   * Sets the number of samples per step (array data only; streamed batches keep their own size).
   *
   * <pre>{@code
   * FitOptions.epochs(3).batchSize(256);
   * }</pre>
   *
   * @param batchSize samples per step, at least 1
   * @return these options
   */
  public FitOptions batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("fit: batch_size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /**
   * Whether array data is shuffled before each pass (Keras's default: true).
   *
   * <pre>{@code
   * FitOptions.epochs(3).shuffle(false);
   * }</pre>
   *
   * @param shuffle whether to shuffle
   * @return these options
   */
  public FitOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /**
   * Holds out the last {@code fraction} of the samples (before shuffling) for validation; their
   * sample weights go with them.
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationSplit(0.2);
   * }</pre>
   *
   * @param fraction in [0, 1)
   * @return these options
   */
  public FitOptions validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "fit: validation_split must be in [0, 1), got " + fraction);
    }
    this.validationSplit = fraction;
    return this;
  }

  /**
   * Evaluates on these data at the end of every epoch ({@code val_} logs).
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationData(xTest, yTest);
   * }</pre>
   *
   * @param x the validation inputs
   * @param y the validation labels
   * @return these options
   */
  public FitOptions validationData(HostArray x, HostArray y) {
    return validationData(List.of(x), List.of(y));
  }

  /**
   * Evaluates on these weighted data at the end of every epoch, as Keras's {@code
   * validation_data=(x, y, sample_weight)}.
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationData(xTest, yTest, wTest);
   * }</pre>
   *
   * @param x the validation inputs
   * @param y the validation labels
   * @param sampleWeight one weight per validation sample
   * @return these options
   */
  public FitOptions validationData(HostArray x, HostArray y, HostArray sampleWeight) {
    validationData(List.of(x), List.of(y));
    this.validationWeights = SampleWeightSpec.shared(sampleWeight);
    return this;
  }

  /**
   * Evaluates on these data (one array per input and per output) at the end of every epoch.
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationData(List.of(uTest, iTest), List.of(cTest));
   * }</pre>
   *
   * @param x the validation inputs, in model input order
   * @param y the validation labels, in model output order
   * @return these options
   */
  public FitOptions validationData(List<HostArray> x, List<HostArray> y) {
    clearValidation();
    this.validationX = List.copyOf(x);
    this.validationY = List.copyOf(y);
    return this;
  }

  /**
   * Evaluates on these weighted data (one weight array per output) at the end of every epoch.
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationData(List.of(x), List.of(y1, y2), List.of(w1, w2));
   * }</pre>
   *
   * @param x the validation inputs, in model input order
   * @param y the validation labels, in model output order
   * @param sampleWeights one weight array per output
   * @return these options
   */
  public FitOptions validationData(
      List<HostArray> x, List<HostArray> y, List<HostArray> sampleWeights) {
    validationData(x, y);
    this.validationWeights = SampleWeightSpec.perOutput(sampleWeights);
    return this;
  }

  /**
   * Evaluates on data given by name (inputs by input name, labels by output name) at the end of
   * every epoch.
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationData(Map.of("user", u, "item", i), Map.of("click", c));
   * }</pre>
   *
   * @param x the validation inputs by name
   * @param y the validation labels by output name
   * @return these options
   */
  public FitOptions validationData(Map<String, HostArray> x, Map<String, HostArray> y) {
    clearValidation();
    this.namedValidationX = Map.copyOf(x);
    this.namedValidationY = Map.copyOf(y);
    return this;
  }

  /**
   * Evaluates on weighted data given by name at the end of every epoch: inputs by input name,
   * labels and sample weights by output name.
   *
   * <pre>{@code
   * FitOptions.epochs(3)
   *     .validationData(Map.of("user", u, "item", i), Map.of("click", c), Map.of("click", w));
   * }</pre>
   *
   * @param x the validation inputs by name
   * @param y the validation labels by output name
   * @param sampleWeights the validation sample weights by output name
   * @return these options
   */
  public FitOptions validationData(
      Map<String, HostArray> x, Map<String, HostArray> y, Map<String, HostArray> sampleWeights) {
    validationData(x, y);
    this.validationWeights = SampleWeightSpec.named(sampleWeights);
    return this;
  }

  /**
   * Evaluates on streamed batches at the end of every epoch: one pass, or the first {@link
   * #validationSteps} batches of a new pass.
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationData(() -> reader.batches(testFile, 4096));
   * }</pre>
   *
   * @param batches the validation batches; {@code iterator()} is called for every evaluation
   * @return these options
   */
  public FitOptions validationData(Iterable<Batch> batches) {
    clearValidation();
    this.validationBatches = batches;
    return this;
  }

  private void clearValidation() {
    validationX = null;
    validationY = null;
    namedValidationX = null;
    namedValidationY = null;
    validationBatches = null;
    validationWeights = SampleWeightSpec.NONE;
  }

  /**
   * Samples per validation step (Keras's {@code validation_batch_size}); the training batch size
   * when not set.
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationData(xTest, yTest).validationBatchSize(1024);
   * }</pre>
   *
   * @param batchSize samples per validation step, at least 1
   * @return these options
   */
  public FitOptions validationBatchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "fit: validation_batch_size must be >= 1, got " + batchSize);
    }
    this.validationBatchSize = batchSize;
    return this;
  }

  /**
   * Validates on only the first {@code steps} batches each epoch (Keras's {@code
   * validation_steps}); all of them when not set.
   *
   * <pre>{@code
   * FitOptions.epochs(3).validationData(testBatches).validationSteps(50);
   * }</pre>
   *
   * @param steps validation batches per epoch, at least 1
   * @return these options
   */
  public FitOptions validationSteps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("fit: validation_steps must be >= 1, got " + steps);
    }
    this.validationSteps = steps;
    return this;
  }

  /**
   * Weighs each sample's loss (Keras's {@code sample_weight}): the batch loss becomes {@code sum(w
   * * loss) / batch_size} for the default {@code "sum_over_batch_size"} reduction. For a model with
   * several outputs the same weights apply to each. Compiled metrics stay unweighted, as in Keras.
   *
   * <pre>{@code
   * FitOptions.epochs(3).sampleWeight(HostArray.of(new float[] {1, 1, 0.2f}));
   * }</pre>
   *
   * @param weights one weight per training sample, shape {@code (samples,)} or {@code (samples,
   *     1)}, or shaped like the per-sample loss (for example {@code (samples, timesteps)})
   * @return these options
   */
  public FitOptions sampleWeight(HostArray weights) {
    this.sampleWeights = SampleWeightSpec.shared(weights);
    return this;
  }

  /**
   * Weighs each output's per-sample losses with its own array, in model output order.
   *
   * <pre>{@code
   * FitOptions.epochs(3).sampleWeights(List.of(clickWeights, conversionWeights));
   * }</pre>
   *
   * @param weights one array per output
   * @return these options
   */
  public FitOptions sampleWeights(List<HostArray> weights) {
    this.sampleWeights = SampleWeightSpec.perOutput(weights);
    return this;
  }

  /**
   * Weighs each output's per-sample losses with its own array, by output name.
   *
   * <pre>{@code
   * FitOptions.epochs(3).sampleWeights(Map.of("click", clickWeights));
   * }</pre>
   *
   * @param weights one array per output name
   * @return these options
   */
  public FitOptions sampleWeights(Map<String, HostArray> weights) {
    this.sampleWeights = SampleWeightSpec.named(weights);
    return this;
  }

  /**
   * Weighs each training sample by its class (Keras's {@code class_weight}; single-output models;
   * not together with sample weights): the class is the label, or the argmax of a one-hot label;
   * classes not listed weigh 1.
   *
   * <pre>{@code
   * FitOptions.epochs(3).classWeight(Map.of(0, 1.0, 1, 25.0));
   * }</pre>
   *
   * @param classWeight weight by class index
   * @return these options
   */
  public FitOptions classWeight(Map<Integer, Double> classWeight) {
    this.classWeight = Map.copyOf(classWeight);
    return this;
  }

  /**
   * Ends each epoch after {@code steps} batches (Keras's {@code steps_per_epoch}); the next epoch
   * continues the data where this one stopped, starting a new pass when it is used up. Without it
   * an epoch is one pass over the data.
   *
   * <pre>{@code
   * model.fit(streamedBatches, FitOptions.epochs(10).stepsPerEpoch(1000));
   * }</pre>
   *
   * @param steps batches per epoch, at least 1
   * @return these options
   */
  public FitOptions stepsPerEpoch(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("fit: steps_per_epoch must be >= 1, got " + steps);
    }
    this.stepsPerEpoch = steps;
    return this;
  }

  /**
   * Adds callbacks, called in the order given.
   *
   * <pre>{@code
   * FitOptions.epochs(20).callbacks(EarlyStopping.builder().patience(3).build());
   * }</pre>
   *
   * @param callbacks the callbacks
   * @return these options
   */
  public FitOptions callbacks(Callback... callbacks) {
    this.callbacks.addAll(List.of(callbacks));
    return this;
  }

  /**
   * How much progress {@code fit} reports: 0 silent, 1 live progress bar, 2 one line per epoch.
   *
   * <pre>{@code
   * FitOptions.epochs(3).verbose(0);
   * }</pre>
   *
   * @param verbose 0, 1 or 2
   * @return these options
   */
  public FitOptions verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2, got " + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  /**
   * The epoch to start from (to resume training); epochs run from here to {@code epochs}.
   *
   * <pre>{@code
   * FitOptions.epochs(10).initialEpoch(4);
   * }</pre>
   *
   * @param initialEpoch the first epoch's index
   * @return these options
   */
  public FitOptions initialEpoch(int initialEpoch) {
    this.initialEpoch = initialEpoch;
    return this;
  }
}
