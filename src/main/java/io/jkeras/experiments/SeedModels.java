package io.jkeras.experiments;

import io.jkeras.layers.Conv1D;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Dropout;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.GlobalMaxPooling1D;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.models.Model;

/**
 * The two IMDB sentiment models of the reference experiment: a CNN text classifier whose hidden
 * layer is either Dense(250, relu) (the baseline) or FMLayer(200, 100) (1,113,151 params in all).
 *
 * <pre>{@code
 * try (Model fm = SeedModels.fm(20000, 100)) { fm.summary(); }
 * }</pre>
 */
public final class SeedModels {

  private SeedModels() {}

  /**
   * Input(maxLen) -> Embedding(numWords, 50) -> Dropout(0.2) -> Conv1D(250, 3, relu) -> max pool.
   */
  private static KerasTensor features(KerasTensor tokens, int numWords) {
    KerasTensor x = new Embedding(numWords, 50).apply(tokens);
    x = new Dropout(0.2).apply(x);
    x = new Conv1D(250, 3, "relu").apply(x);
    return new GlobalMaxPooling1D().apply(x);
  }

  private static Model classifier(int numWords, int maxLen, Layer hidden, String name) {
    KerasTensor tokens = Input.of("int32", maxLen);
    KerasTensor x = hidden.apply(features(tokens, numWords));
    x = new Dropout(0.2).apply(x);
    KerasTensor out = new Dense(1, "sigmoid").apply(x);
    return new Model(java.util.List.of(tokens), java.util.List.of(out), name);
  }

  /** The baseline: Dense(250, relu) as the hidden layer. */
  public static Model baseline(int numWords, int maxLen) {
    return classifier(numWords, maxLen, new Dense(250, "relu"), "baseline");
  }

  /** The FM model: FMLayer(200, 100) in place of Dense(250). */
  public static Model fm(int numWords, int maxLen) {
    return classifier(numWords, maxLen, new FMLayer(200, 100), "fm");
  }
}
