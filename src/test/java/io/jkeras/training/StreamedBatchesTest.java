package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streamed batches release their sources: every iterator {@code fit} and {@code evaluate} open is
 * closed (when it is {@link AutoCloseable}, as a reader with a producer thread is) once its pass is
 * replaced, its evaluation ends or training ends, also when an epoch stops mid-pass and when
 * training fails.
 */
class StreamedBatchesTest {

  /** A source of {@code count} batches of 4 samples whose iterators count their closes. */
  static final class CountingSource implements Iterable<Batch> {
    final List<Pass> passes = new ArrayList<>();
    private final int count;
    private final boolean failing;

    CountingSource(int count, boolean failing) {
      this.count = count;
      this.failing = failing;
    }

    @Override
    public Iterator<Batch> iterator() {
      Pass p = new Pass();
      passes.add(p);
      return p;
    }

    int closed() {
      return (int) passes.stream().filter(p -> p.closes == 1).count();
    }

    final class Pass implements Iterator<Batch>, AutoCloseable {
      int given;
      int closes;

      @Override
      public boolean hasNext() {
        return given < count;
      }

      @Override
      public Batch next() {
        given++;
        float[][] x = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
        float[] y = failing && given == 2 ? new float[3] : new float[] {1, 0, 1, 0};
        return Batch.of(HostArray.of(x), HostArray.of(y));
      }

      @Override
      public void close() {
        closes++;
      }
    }
  }

  private static Model model() {
    KerasTensor x = Input.of(2);
    Model m = new Model(x, new Dense(1).apply(x));
    m.compile(new SGD(0.01), "mse");
    return m;
  }

  @Test
  void everyPassIsClosedOnce() {
    CountingSource train = new CountingSource(5, false);
    CountingSource validation = new CountingSource(3, false);
    try (Model m = model()) {
      // 2 steps an epoch over 5 batches: passes [0-1, 2-3, 4 (runs out)], [0-1, 2-3] ... and the
      // last one is left unfinished when training ends.
      m.fit(
          train,
          FitOptions.epochs(5)
              .verbose(0)
              .stepsPerEpoch(2)
              .validationData(validation)
              .validationSteps(1));
      assertEquals(2, train.passes.size());
      assertEquals(2, train.closed(), "every training pass closed exactly once");
      assertEquals(5, validation.passes.size(), "one validation pass per epoch");
      assertEquals(5, validation.closed());
      CountingSource test = new CountingSource(3, false);
      m.evaluate(test, EvaluateOptions.defaults().steps(2));
      assertEquals(1, test.closed());
    }
  }

  @Test
  void aFailingBatchStillClosesThePass() {
    CountingSource train = new CountingSource(5, true);
    try (Model m = model()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> m.fit(train, FitOptions.epochs(1).verbose(0)));
      assertEquals("fit batch 1: 4 input samples but 3 labels", e.getMessage());
      assertEquals(1, train.closed());
    }
  }
}
