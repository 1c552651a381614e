package io.jkeras.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a signature of a leased version, directly or through server-side batching.
 *
 * <p>A request whose inputs share dimension 0, where no input spec fixes dimension 0, runs in parts
 * of at most the max batch size (whether batching is on or not), so that memory follows the batch
 * size rather than the request. With batching on, each part goes through a {@link BatchQueue} and
 * is merged only with parts of other requests whose instances have the same shapes, and only once
 * the model's {@link ServableModel#checkValues} accepted its values. A batched request holds no
 * thread while it waits for its batch: {@link #run} returns a future.
 *
 * <p>With batching on, {@link #run} never blocks its caller: models run on the batching threads,
 * and a request that does not go to a batch queue whole (one larger than a batch, which runs in
 * parts, or one whose inputs cannot be split) runs on the executor the caller passes. So the HTTP
 * handler can run on the thread that reads requests.
 *
 * <pre>{@code
 * ModelRunner runner = new ModelRunner(new BatchingOptions(true, 32, Duration.ofMillis(1), 2),
 *     metrics);
 * ModelRunner.Arrival a = runner.arrive(); // before the body is read
 * runner.run(lease.version(), signature, inputs, a, workers).thenAccept(out -> reply(out));
 * }</pre>
 */
final class ModelRunner implements AutoCloseable {

  /**
   * A predict request on its way to the model: counted from before its body is read until it
   * reaches a batch queue or ends, so that a batch does not wait for requests that cannot come.
   */
  final class Arrival implements AutoCloseable {
    private final AtomicBoolean done = new AtomicBoolean();

    private Arrival() {
      arriving.incrementAndGet();
    }

    /** Stops counting this request; later calls do nothing. */
    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        arriving.decrementAndGet();
      }
    }
  }

  /** A batching thread, so that {@link #onBatchThread} can tell. */
  private static final class BatchThread extends Thread {
    BatchThread(Runnable r) {
      super(r, "jkeras-serving-batch");
      setDaemon(true);
    }
  }

  private final BatchingOptions options;
  private final ServingMetrics metrics;
  private final ScheduledExecutorService threads;
  private final AtomicInteger arriving = new AtomicInteger();

  ModelRunner(BatchingOptions options, ServingMetrics metrics) {
    this.options = options;
    this.metrics = metrics;
    if (options.enabled()) {
      ScheduledThreadPoolExecutor pool =
          new ScheduledThreadPoolExecutor(options.threads(), BatchThread::new);
      pool.setRemoveOnCancelPolicy(true);
      this.threads = pool;
    } else {
      this.threads = null;
    }
  }

  /** Whether batching is on, so that {@link #run} never blocks its caller. */
  boolean batching() {
    return options.enabled();
  }

  /** Whether the calling thread is one of the batching threads (of any runner). */
  static boolean onBatchThread() {
    return Thread.currentThread() instanceof BatchThread;
  }

  /** Counts a predict request as on its way until the returned arrival is closed. */
  Arrival arrive() {
    return new Arrival();
  }

  /**
   * Runs a request: in runs of at most the max batch size when its inputs share dimension 0 and no
   * spec fixes it (so a large request costs the memory of one run at a time), else in one run. The
   * future completes with the outputs or the failure. With batching on, a request that fits one
   * batch returns as soon as it is queued, and any other runs on {@code blocking}; with batching
   * off, the request runs on this thread before the call returns.
   */
  CompletableFuture<Map<String, TensorData>> run(
      LoadedVersion version,
      SignatureSpec sig,
      Map<String, TensorData> inputs,
      Arrival arrival,
      Executor blocking) {
    int rows = splittableRows(sig, inputs);
    if (!options.enabled() || (rows >= 1 && rows <= options.maxBatchSize())) {
      return runHere(version, sig, inputs, rows, arrival);
    }
    // Its parts wait for their batches, or it runs the model itself: not on the caller's thread.
    CompletableFuture<Map<String, TensorData>> out = new CompletableFuture<>();
    try {
      blocking.execute(
          () ->
              runHere(version, sig, inputs, rows, arrival)
                  .whenComplete((r, e) -> complete(out, r, e)));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new ServingException(
              ErrorCode.UNAVAILABLE, 503, "The server is shutting down; retry later", e));
    }
    return out;
  }

  private static <T> void complete(CompletableFuture<T> out, T value, Throwable error) {
    if (error != null) {
      out.completeExceptionally(error);
    } else {
      out.complete(value);
    }
  }

  /** {@link #run} on this thread; the parts of a large request wait for their batches here. */
  private CompletableFuture<Map<String, TensorData>> runHere(
      LoadedVersion version,
      SignatureSpec sig,
      Map<String, TensorData> inputs,
      int rows,
      Arrival arrival) {
    try {
      int max = options.maxBatchSize();
      if (rows <= max) {
        return runPart(version, sig, inputs, rows, arrival);
      }
      // The parts run one after the other on this thread; their outputs are stacked.
      Map<String, List<TensorData>> parts = new LinkedHashMap<>();
      for (int from = 0; from < rows; from += max) {
        int to = Math.min(rows, from + max);
        Map<String, TensorData> slice = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
          slice.put(e.getKey(), e.getValue().rows(from, to));
        }
        // A failed part throws a CompletionException, which the caller unwraps.
        Map<String, TensorData> out = runPart(version, sig, slice, to - from, arrival).join();
        for (Map.Entry<String, TensorData> e : out.entrySet()) {
          TensorData t = e.getValue();
          if (t.rank() == 0 || t.dim(0) != to - from) {
            throw new ServingException(
                ErrorCode.INTERNAL,
                "Output \""
                    + e.getKey()
                    + "\" of signature \""
                    + sig.name()
                    + "\" has shape "
                    + java.util.Arrays.toString(t.shape())
                    + " for "
                    + (to - from)
                    + " instances, so a request of "
                    + rows
                    + " instances cannot run in parts of --max_batch_size "
                    + max
                    + "; send at most "
                    + max
                    + " instances per request");
          }
          parts.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(t);
        }
      }
      Map<String, TensorData> out = new LinkedHashMap<>();
      for (Map.Entry<String, List<TensorData>> e : parts.entrySet()) {
        out.put(e.getKey(), TensorData.concatRows(e.getValue()));
      }
      return CompletableFuture.completedFuture(out);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Map<String, TensorData>> runPart(
      LoadedVersion version,
      SignatureSpec sig,
      Map<String, TensorData> inputs,
      int rows,
      Arrival arrival)
      throws Exception {
    arrival.close();
    if (!options.enabled() || rows < 1) {
      Map<String, TensorData> out = version.model().run(sig.name(), inputs);
      metrics.recordRun(inputs.isEmpty() ? 0 : firstDim(inputs));
      return CompletableFuture.completedFuture(out);
    }
    // Refused here, a bad request never joins a batch; the re-run of a failed batch request by
    // request (BatchQueue) stays for what only a run finds.
    version.model().checkValues(sig.name(), inputs);
    StringBuilder key = new StringBuilder(sig.name());
    for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
      long[] s = e.getValue().shape();
      key.append('|').append(e.getKey()).append(':').append(e.getValue().dtype());
      for (int i = 1; i < s.length; i++) {
        key.append(',').append(s[i]);
      }
    }
    BatchQueue q =
        version.batchQueues.computeIfAbsent(
            key.toString(),
            k ->
                new BatchQueue(
                    version.model(), sig.name(), options, threads, metrics, arriving::get));
    return q.submit(inputs, rows);
  }

  private static long firstDim(Map<String, TensorData> inputs) {
    TensorData t = inputs.values().iterator().next();
    return t.rank() == 0 ? 1 : t.dim(0);
  }

  /** The request's row count when it can be split or batched along dimension 0, else -1. */
  private static int splittableRows(SignatureSpec sig, Map<String, TensorData> inputs) {
    if (inputs.isEmpty()) {
      return -1;
    }
    long rows = -1;
    for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
      TensorData t = e.getValue();
      TensorSpec spec = sig.inputs().get(e.getKey());
      if (t.rank() == 0 || (rows >= 0 && t.dim(0) != rows)) {
        return -1;
      }
      if (spec != null && spec.hasRank() && spec.shape().length > 0 && spec.shape()[0] >= 0) {
        return -1;
      }
      rows = t.dim(0);
    }
    return rows >= 1 ? (int) rows : -1;
  }

  @Override
  public void close() {
    if (threads != null) {
      threads.shutdown();
      try {
        threads.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
