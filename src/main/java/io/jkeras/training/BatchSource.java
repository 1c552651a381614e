package io.jkeras.training;

import io.jkeras.backend.HostArray;
import io.jkeras.models.ModelRuntime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;

/**
 * Where the batches of {@code fit} and {@code evaluate} come from, pass after pass: arrays in
 * memory (cut into batches, shuffled before each pass when asked), or a streamed {@code
 * Iterable<Batch>} (one pass per {@code iterator()}).
 */
abstract class BatchSource {

  /** The number of batches in one pass, or -1 while unknown. */
  abstract int batchesPerPass();

  /** The number of samples in one pass, or -1 while unknown. */
  abstract int samplesPerPass();

  /** Starts a new pass. */
  abstract void startPass();

  /** Whether the current pass has another batch. */
  abstract boolean hasNext();

  /** The current pass's next batch. */
  abstract BatchSlice next();

  /** The per-sample shapes of the labels, one per output, from the first batch. */
  abstract List<Shape> labelShapes();

  /** Array data cut into batches of {@code batchSize}, optionally a subset of rows. */
  static final class InMemory extends BatchSource {
    private final BatchData data;
    private final int[] rows;
    private final int batchSize;
    private final SplittableRandom random;
    private int next;

    /**
     * @param rows the rows used, in order (null for all)
     * @param random shuffles each pass when not null
     */
    InMemory(BatchData data, int[] rows, int batchSize, SplittableRandom random) {
      this.data = data;
      int n = rows != null ? rows.length : data.count();
      this.rows = new int[n];
      for (int i = 0; i < n; i++) {
        this.rows[i] = rows != null ? rows[i] : i;
      }
      this.batchSize = batchSize;
      this.random = random;
      this.next = n;
    }

    @Override
    int batchesPerPass() {
      return (rows.length + batchSize - 1) / batchSize;
    }

    @Override
    int samplesPerPass() {
      return rows.length;
    }

    @Override
    void startPass() {
      if (random != null) {
        for (int i = rows.length - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int t = rows[i];
          rows[i] = rows[j];
          rows[j] = t;
        }
      }
      next = 0;
    }

    @Override
    boolean hasNext() {
      return next < rows.length;
    }

    @Override
    BatchSlice next() {
      int from = next;
      next = Math.min(rows.length, from + batchSize);
      return new BatchSlice(data, rows, from, next);
    }

    @Override
    List<Shape> labelShapes() {
      return data.y().stream().map(HostArray::sampleShape).toList();
    }
  }

  /** Batches streamed from an {@code Iterable<Batch>}, resolved and checked one by one. */
  static final class Streamed extends BatchSource {
    private final Iterable<Batch> batches;
    private final ModelRuntime runtime;
    private final Map<Integer, Double> classWeight;
    private final String where;
    private Iterator<Batch> iterator;
    private BatchData lookahead;
    private int batchCount = -1;
    private int sampleCount = -1;
    private int batchesThisPass;
    private int samplesThisPass;
    // A pass started (to read the label shapes) from which nothing was taken yet.
    private boolean untouched;

    Streamed(
        Iterable<Batch> batches,
        ModelRuntime runtime,
        Map<Integer, Double> classWeight,
        String where) {
      this.batches = batches;
      this.runtime = runtime;
      this.classWeight = classWeight;
      this.where = where;
    }

    @Override
    int batchesPerPass() {
      return batchCount;
    }

    @Override
    int samplesPerPass() {
      return sampleCount;
    }

    @Override
    void startPass() {
      if (untouched) {
        return;
      }
      untouched = true;
      iterator = batches.iterator();
      lookahead = null;
      batchesThisPass = 0;
      samplesThisPass = 0;
      advance();
    }

    private void advance() {
      lookahead = null;
      if (iterator.hasNext()) {
        Batch b = iterator.next();
        if (b == null) {
          throw new IllegalArgumentException(
              where + ": batch " + batchesThisPass + " of the data source is null");
        }
        lookahead =
            b.resolve(runtime, where + " batch " + batchesThisPass)
                .withClassWeight(classWeight, where);
      } else {
        // A whole pass was seen: now its length is known (for progress bars).
        batchCount = batchesThisPass;
        sampleCount = samplesThisPass;
      }
    }

    @Override
    boolean hasNext() {
      return lookahead != null;
    }

    @Override
    BatchSlice next() {
      BatchData data = lookahead;
      untouched = false;
      batchesThisPass++;
      samplesThisPass += data.count();
      advance();
      return new BatchSlice(data, null, 0, data.count());
    }

    @Override
    List<Shape> labelShapes() {
      if (iterator == null) {
        startPass();
      }
      if (lookahead == null) {
        throw new IllegalArgumentException(where + ": the data source yields no batch");
      }
      return lookahead.y().stream().map(HostArray::sampleShape).toList();
    }
  }
}
