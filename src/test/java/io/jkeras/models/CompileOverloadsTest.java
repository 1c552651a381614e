package io.jkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.losses.BinaryFocalCrossentropy;
import io.jkeras.losses.MeanSquaredError;
import io.jkeras.metrics.AUC;
import io.jkeras.metrics.RootMeanSquaredError;
import io.jkeras.optimizers.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras's {@code compile(optimizer, loss, metrics)} takes each of the three as a name or an object;
 * every mix compiles in Java (this class would not build otherwise) and gives the model those.
 */
class CompileOverloadsTest {

  private static Model model() {
    KerasTensor in = Input.of(2);
    return new Model(in, new Dense(1, "sigmoid").apply(in));
  }

  @Test
  void everyMixOfNamesAndObjectsCompiles() {
    try (Model m = model()) {
      Adam adam = new Adam();
      MeanSquaredError mse = new MeanSquaredError();
      m.compile(adam, mse);
      assertSame(mse, m.loss());
      assertEquals(List.of(), m.compiledMetrics());

      m.compile("sgd", new MeanSquaredError());
      assertEquals("SGD", m.optimizer().className());

      m.compile("adam", new BinaryFocalCrossentropy(), "auc");
      assertEquals("binary_focal_crossentropy", m.loss().name());
      assertEquals(List.of("auc"), m.metricNames());

      AUC pr = AUC.builder().curve("PR").name("pr_auc").build();
      m.compile("adam", "binary_crossentropy", pr);
      assertEquals(List.of(pr), m.compiledMetrics());

      RootMeanSquaredError rmse = new RootMeanSquaredError();
      AUC auc = new AUC();
      m.compile(adam, "mse", rmse, auc);
      assertEquals(List.of(rmse, auc), m.compiledMetrics());

      m.compile(adam, mse, auc);
      assertEquals(List.of(auc), m.compiledMetrics());
    }
  }
}
