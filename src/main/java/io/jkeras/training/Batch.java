package io.jkeras.training;

import io.jkeras.backend.HostArray;
import io.jkeras.models.ModelRuntime;
import java.util.List;
import java.util.Map;

/**
 * One batch of a streamed data set, as a Keras {@code tf.data} element or generator yields it:
 * inputs, labels and optionally sample weights, by position (model input and output order) or by
 * name (input layer names and {@code model.outputNames()}, as Keras's dicts). {@code fit} and
 * {@code evaluate} take an {@code Iterable<Batch>}, so any source that reads batches lazily (a file
 * reader, a queue, a Spark partition) plugs in.
 *
 * <pre>{@code
 * Iterable<Batch> train = () -> new Iterator<Batch>() { ... };
 * model.fit(train, FitOptions.epochs(3).stepsPerEpoch(500));
 * Batch b = Batch.named(Map.of("user", users, "item", items), Map.of("click", clicks))
 *     .withSampleWeight(weights);
 * }</pre>
 */
public final class Batch {

  private final List<HostArray> x;
  private final List<HostArray> y;
  private final Map<String, HostArray> namedX;
  private final Map<String, HostArray> namedY;
  private final SampleWeightSpec sampleWeight;

  private Batch(
      List<HostArray> x,
      List<HostArray> y,
      Map<String, HostArray> namedX,
      Map<String, HostArray> namedY,
      SampleWeightSpec sampleWeight) {
    this.x = x;
    this.y = y;
    this.namedX = namedX;
    this.namedY = namedY;
    this.sampleWeight = sampleWeight;
  }

  /**
   * A batch for a single-input, single-output model.
   *
   * <pre>{@code
   * Batch b = Batch.of(HostArray.of(features), HostArray.of(labels));
   * }</pre>
   *
   * @param x the inputs
   * @param y the labels
   * @return the batch
   */
  public static Batch of(HostArray x, HostArray y) {
    return of(List.of(x), List.of(y));
  }

  /**
   * A batch with one array per model input and one label array per output.
   *
   * <pre>{@code
   * Batch b = Batch.of(List.of(users, items), List.of(clicks));
   * }</pre>
   *
   * @param x the inputs, in model input order
   * @param y the labels, in model output order
   * @return the batch
   */
  public static Batch of(List<HostArray> x, List<HostArray> y) {
    return new Batch(List.copyOf(x), List.copyOf(y), null, null, SampleWeightSpec.NONE);
  }

  /**
   * A batch given by name: inputs by input layer name, labels by output name.
   *
   * <pre>{@code
   * Batch b = Batch.named(Map.of("user", users, "item", items), Map.of("click", clicks));
   * }</pre>
   *
   * @param x the inputs by name (keys the model does not use are ignored)
   * @param y the labels by output name
   * @return the batch
   */
  public static Batch named(Map<String, HostArray> x, Map<String, HostArray> y) {
    return new Batch(null, null, Map.copyOf(x), Map.copyOf(y), SampleWeightSpec.NONE);
  }

  /**
   * This batch with one weight per sample, applied to every output's loss (shape {@code (batch,)}
   * or {@code (batch, 1)}).
   *
   * <pre>{@code
   * Batch b = Batch.of(x, y).withSampleWeight(HostArray.of(new float[] {1, 0.5f}));
   * }</pre>
   *
   * @param weights the sample weights
   * @return a new batch
   */
  public Batch withSampleWeight(HostArray weights) {
    return new Batch(x, y, namedX, namedY, SampleWeightSpec.shared(weights));
  }

  /**
   * This batch with sample weights per output, in model output order (each shaped like that
   * output's per-sample loss, for example {@code (batch, timesteps)} for a sequence output).
   *
   * <pre>{@code
   * Batch b = Batch.of(x, List.of(y1, y2)).withSampleWeights(List.of(w1, w2));
   * }</pre>
   *
   * @param weights one array per output
   * @return a new batch
   */
  public Batch withSampleWeights(List<HostArray> weights) {
    return new Batch(x, y, namedX, namedY, SampleWeightSpec.perOutput(weights));
  }

  /**
   * This batch with sample weights by output name.
   *
   * <pre>{@code
   * Batch b = batch.withSampleWeights(Map.of("click", w));
   * }</pre>
   *
   * @param weights the weights by output name
   * @return a new batch
   */
  public Batch withSampleWeights(Map<String, HostArray> weights) {
    return new Batch(x, y, namedX, namedY, SampleWeightSpec.named(weights));
  }

  /** This batch's arrays in the order of the model's inputs and outputs, checked. */
  BatchData resolve(ModelRuntime runtime, String where) {
    List<HostArray> xs = x != null ? x : runtime.inputsByName(namedX, where + " inputs");
    List<HostArray> ys = y != null ? y : runtime.outputsByName(namedY, where + " labels");
    return BatchData.of(runtime, xs, ys, sampleWeight, where);
  }
}
