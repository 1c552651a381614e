package io.jkeras.callbacks;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;

/**
 * The callback tests' program, the one their reference values come from in Keras 3.15.1: {@code
 * Dense(1)} with zero weights, {@code SGD(0.01)} and mean squared error, fitted on five rows of two
 * features.
 *
 * <pre>{@code
 * History h = ZeroDenseFit.fit(FitOptions.epochs(2).verbose(0).callbacks(new CSVLogger(csv)));
 * }</pre>
 */
final class ZeroDenseFit {

  /** The features, five rows of two. */
  static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {2, 1}, {0, 2}};

  /** The targets. */
  static final float[] Y = {1, -1, 0, 1, -2};

  private ZeroDenseFit() {}

  /**
   * Fits a new zero-initialised {@code Dense(1)} on {@link #X} and {@link #Y} with {@code options}.
   */
  static History fit(FitOptions options) {
    KerasTensor in = Input.of(2);
    Dense d = new Dense(1);
    try (Model m = new Model(in, d.apply(in))) {
      d.kernel().assign(new float[] {0, 0});
      d.bias().assign(new float[] {0});
      m.compile(new SGD(0.01), "mse");
      return m.fit(HostArray.of(X), HostArray.of(Y), options);
    }
  }
}
