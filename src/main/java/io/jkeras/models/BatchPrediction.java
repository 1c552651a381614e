package io.jkeras.models;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.KerasShape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * One {@code predict} call: the inference graph run on the rows in batches, each batch's outputs
 * copied into one array per output.
 *
 * <p>Below {@link #CONCURRENT_BELOW} rows per batch, two batches run at a time (two session runs in
 * flight, on the calling thread and one pool thread): a small batch leaves the cores idle while its
 * run is set up, fed and copied out, and the other run fills that time. Measured with the IMDB FM
 * model on 25,000 reviews (2 cores, three runs each): batch 1 1.34-1.37x the rows/s of one run at a
 * time, batch 32 1.07-1.24x, batch 64 1.13-1.23x, batch 128 1.00-1.11x, batch 256 1.00-1.09x, batch
 * 1024 0.78-1.06x (so larger batches keep one run at a time). Every batch writes its own rows of
 * the result, so the result does not depend on which run finishes first. A model that carries state
 * from one batch to the next (a stateful RNN) runs its batches one at a time, in order.
 */
final class BatchPrediction {

  /** Batches of fewer rows than this run two at a time. */
  static final int CONCURRENT_BELOW = 256;

  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jkeras-predict");
            t.setDaemon(true);
            return t;
          });

  private final Session session;
  private final List<Placeholder<?>> placeholders;
  private final List<String> dtypes;
  private final List<Operand<TFloat32>> outs;
  private final List<HostArray> xs;
  private final int batchSize;
  private final boolean overlap;
  private final int n;
  private final List<float[]> buffers = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();

  BatchPrediction(
      Session session,
      List<Placeholder<?>> placeholders,
      List<String> dtypes,
      List<Operand<TFloat32>> outs,
      List<HostArray> xs,
      int batchSize,
      boolean overlap) {
    this.session = session;
    this.placeholders = placeholders;
    this.dtypes = dtypes;
    this.outs = outs;
    this.xs = xs;
    this.batchSize = batchSize;
    this.overlap = overlap;
    this.n = xs.get(0).count();
  }

  /** Runs every batch and returns one array per output. */
  List<FloatNdArray> run() {
    int batches = (n + batchSize - 1) / batchSize;
    if (batches > 0) {
      // The first batch alone: its outputs give the per-sample shapes the result arrays need.
      runBatch(0);
    }
    int concurrent =
        overlap && batchSize < CONCURRENT_BELOW && Runtime.getRuntime().availableProcessors() > 1
            ? 2
            : 1;
    AtomicInteger next = new AtomicInteger(1);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Runnable worker =
        () -> {
          for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
            if (failure.get() != null) {
              return;
            }
            try {
              runBatch(b);
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
              return;
            }
          }
        };
    List<Future<?>> helpers = new ArrayList<>();
    if (concurrent > 1 && batches > 2) {
      helpers.add(POOL.submit(worker));
    }
    worker.run();
    for (Future<?> f : helpers) {
      try {
        f.get();
      } catch (InterruptedException e) {
        failure.compareAndSet(null, new IllegalStateException("predict was interrupted"));
        Thread.currentThread().interrupt();
        throw new IllegalStateException("predict was interrupted", e);
      } catch (ExecutionException e) {
        failure.compareAndSet(null, new IllegalStateException(e.getCause()));
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return results();
  }

  /** Runs batch {@code b} and copies its outputs into the result arrays. */
  private void runBatch(int b) {
    int start = b * batchSize;
    int end = Math.min(n, start + batchSize);
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < xs.size(); i++) {
        Tensor t = xs.get(i).rows(start, end, dtypes.get(i));
        fed.add(t);
        runner.feed(placeholders.get(i), t);
      }
      for (Operand<TFloat32> o : outs) {
        runner.fetch(o);
      }
      try (Result r = runner.run()) {
        for (int k = 0; k < outs.size(); k++) {
          TFloat32 y = (TFloat32) r.get(k);
          if (buffers.size() <= k) { // only the first batch, which runs alone
            Shape sample = Shape.of(KerasShape.sampleDims(y.shape()));
            shapes.add(Shape.of(n).append(sample));
            buffers.add(new float[Math.toIntExact(n * sample.size())]);
          }
          int rowSize = (int) (y.size() / Math.max(1, end - start));
          y.copyTo(
              DataBuffers.of(buffers.get(k), false, false)
                  .offset((long) start * rowSize)
                  .narrow((long) (end - start) * rowSize));
        }
      }
    } finally {
      for (Tensor t : fed) {
        t.close();
      }
    }
  }

  private List<FloatNdArray> results() {
    List<FloatNdArray> result = new ArrayList<>();
    for (int k = 0; k < outs.size(); k++) {
      if (buffers.size() <= k) {
        // No samples: an empty array with the static output shape.
        long[] dims = outs.get(k).shape().asArray();
        dims[0] = 0;
        for (int d = 1; d < dims.length; d++) {
          dims[d] = Math.max(dims[d], 0);
        }
        result.add(NdArrays.ofFloats(Shape.of(dims)));
      } else {
        result.add(NdArrays.wrap(shapes.get(k), DataBuffers.of(buffers.get(k), false, false)));
      }
    }
    return result;
  }
}
