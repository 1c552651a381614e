package io.jkeras.training;

import io.jkeras.backend.HostArray;
import java.util.List;
import java.util.Map;

/**
 * The optional arguments of {@code evaluate}, with Keras's defaults: batch size 32, no sample
 * weights, every batch of the data.
 *
 * <pre>{@code
 * Map<String, Double> logs =
 *     model.evaluate(List.of(x), List.of(y), EvaluateOptions.batchSize(256).sampleWeight(w));
 * }</pre>
 */
public final class EvaluateOptions {

  int batchSize = 32;
  SampleWeightSpec sampleWeights = SampleWeightSpec.NONE;
  int steps;

  private EvaluateOptions() {}

  /**
   * Keras's defaults.
   *
   * <pre>{@code
   * model.evaluate(List.of(x), List.of(y), EvaluateOptions.defaults());
   * }</pre>
   *
   * @return new options
   */
  public static EvaluateOptions defaults() {
    return new EvaluateOptions();
  }

  /**
   * Options with {@code batchSize} samples per step.
   *
   * <pre>{@code
   * EvaluateOptions.batchSize(1024);
   * }</pre>
   *
   * @param batchSize samples per step, at least 1
   * @return new options
   */
  public static EvaluateOptions batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("evaluate: batch_size must be >= 1, got " + batchSize);
    }
    EvaluateOptions o = new EvaluateOptions();
    o.batchSize = batchSize;
    return o;
  }

  /**
   * Weighs each sample's loss, as {@link FitOptions#sampleWeight} does for training.
   *
   * <pre>{@code
   * EvaluateOptions.defaults().sampleWeight(HostArray.of(new float[] {1, 0.5f}));
   * }</pre>
   *
   * @param weights one weight per sample (or shaped like the per-sample loss)
   * @return these options
   */
  public EvaluateOptions sampleWeight(HostArray weights) {
    this.sampleWeights = SampleWeightSpec.shared(weights);
    return this;
  }

  /**
   * Weighs each output's per-sample losses with its own array, in model output order.
   *
   * <pre>{@code
   * EvaluateOptions.defaults().sampleWeights(List.of(w1, w2));
   * }</pre>
   *
   * @param weights one array per output
   * @return these options
   */
  public EvaluateOptions sampleWeights(List<HostArray> weights) {
    this.sampleWeights = SampleWeightSpec.perOutput(weights);
    return this;
  }

  /**
   * Weighs each output's per-sample losses with its own array, by output name.
   *
   * <pre>{@code
   * EvaluateOptions.defaults().sampleWeights(Map.of("click", w));
   * }</pre>
   *
   * @param weights one array per output name
   * @return these options
   */
  public EvaluateOptions sampleWeights(Map<String, HostArray> weights) {
    this.sampleWeights = SampleWeightSpec.named(weights);
    return this;
  }

  /**
   * Evaluates only the first {@code steps} batches (Keras's {@code steps}).
   *
   * <pre>{@code
   * model.evaluate(testBatches, EvaluateOptions.defaults().steps(100));
   * }</pre>
   *
   * @param steps the number of batches, at least 1
   * @return these options
   */
  public EvaluateOptions steps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("evaluate: steps must be >= 1, got " + steps);
    }
    this.steps = steps;
    return this;
  }
}
