package io.jkeras.training;

import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.Callback;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional arguments of {@code fit}, with Keras's defaults: 1 epoch, batch size 32, shuffle on,
 * no validation, verbose "auto" (a live bar on a terminal, a line per epoch otherwise).
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(2).batchSize(32).validationData(xTest, yTest));
 * }</pre>
 */
public final class FitOptions {

  int epochs = 1;
  int batchSize = 32;
  boolean shuffle = true;
  double validationSplit;
  List<HostArray> validationX;
  List<HostArray> validationY;
  final List<Callback> callbacks = new ArrayList<>();
  int verbose = -1;
  int initialEpoch;

  private FitOptions() {}

  /** Keras's defaults: 1 epoch, batch size 32, shuffling, no validation, no callbacks. */
  public static FitOptions defaults() {
    return new FitOptions();
  }

  /**
   * Keras's defaults with {@code epochs} epochs; the usual start of a chain of options.
   *
   * @throws IllegalArgumentException if {@code epochs} is below 1
   */
  public static FitOptions epochs(int epochs) {
    return new FitOptions().withEpochs(epochs);
  }

  /**
   * The number of epochs (default 1).
   *
   * @throws IllegalArgumentException if {@code epochs} is below 1
   */
  public FitOptions withEpochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("fit: epochs must be >= 1, got " + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  /**
   * The number of samples per gradient step (default 32); the last batch of an epoch may be
   * smaller.
   *
   * @throws IllegalArgumentException if {@code batchSize} is below 1
   */
  public FitOptions batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("fit: batch_size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** Whether the samples are shuffled before each epoch (default true). */
  public FitOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /** Holds out the last {@code fraction} of the samples (before shuffling) for validation. */
  public FitOptions validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "fit: validation_split must be in [0, 1), got " + fraction);
    }
    this.validationSplit = fraction;
    return this;
  }

  /**
   * Data to compute {@code val_} loss and metrics on at the end of each epoch, for a single-input,
   * single-output model.
   */
  public FitOptions validationData(HostArray x, HostArray y) {
    return validationData(List.of(x), List.of(y));
  }

  /**
   * Data to compute {@code val_} loss and metrics on at the end of each epoch: one array per model
   * input and one label array per output.
   */
  public FitOptions validationData(List<HostArray> x, List<HostArray> y) {
    this.validationX = List.copyOf(x);
    this.validationY = List.copyOf(y);
    return this;
  }

  /** Adds callbacks, called in the order given. */
  public FitOptions callbacks(Callback... callbacks) {
    this.callbacks.addAll(List.of(callbacks));
    return this;
  }

  /** 0 silent, 1 live progress bar, 2 one line per epoch. */
  public FitOptions verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2, got " + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  /** The validation inputs given with {@link #validationData}, or null. */
  public List<HostArray> validationInputs() {
    return validationX;
  }

  /** The epoch to start from (to resume training); epochs run from here to {@code epochs}. */
  public FitOptions initialEpoch(int initialEpoch) {
    this.initialEpoch = initialEpoch;
    return this;
  }
}
