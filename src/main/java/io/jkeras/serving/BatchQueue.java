package io.jkeras.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The pending requests of one (version, signature, instance shapes): collects them until the batch
 * is full or its timeout passes, runs the model once on the rows of all of them stacked, and hands
 * each request its own rows of every output. When no batch of this queue is running and no other
 * request is on its way (being read, not yet queued), a batch runs at once: nothing could join it.
 *
 * <p>Every batch runs on a batching thread, never on the thread that submits: that one reads HTTP
 * requests and must not wait for a model. No caller waits for its rows: {@link #submit} returns a
 * future, which the thread that ran the batch completes (and so runs what the caller chained to it,
 * writing the reply). When a merged run fails, each request of the batch runs again alone: a bad
 * request fails by itself, and no error shows one client another client's input.
 *
 * <pre>{@code
 * queue.submit(inputs, 1).thenAccept(out -> reply(out)); // one instance
 * }</pre>
 */
final class BatchQueue {

  private record Task(
      Map<String, TensorData> inputs,
      int rows,
      CompletableFuture<Map<String, TensorData>> result) {}

  private final ServableModel model;
  private final String signature;
  private final BatchingOptions options;
  private final ScheduledExecutorService threads;
  private final ServingMetrics metrics;
  private final IntSupplier arriving;

  private List<Task> pending = new ArrayList<>();
  private int pendingRows;
  private long generation;
  private int running;
  private ScheduledFuture<?> timer;

  BatchQueue(
      ServableModel model,
      String signature,
      BatchingOptions options,
      ScheduledExecutorService threads,
      ServingMetrics metrics,
      IntSupplier arriving) {
    this.model = model;
    this.signature = signature;
    this.options = options;
    this.threads = threads;
    this.metrics = metrics;
    this.arriving = arriving;
  }

  /**
   * Adds a request of {@code rows} instances; the future completes with its outputs. When the
   * request fills the batch (or nothing could join it), the batch goes to a batching thread at
   * once. The caller no longer counts itself in {@code arriving}.
   */
  CompletableFuture<Map<String, TensorData>> submit(Map<String, TensorData> inputs, int rows) {
    Task task = new Task(inputs, rows, new CompletableFuture<>());
    List<Task> earlier = null;
    List<Task> full = null;
    synchronized (this) {
      if (!pending.isEmpty() && pendingRows + rows > options.maxBatchSize()) {
        earlier = drain();
      }
      pending.add(task);
      pendingRows += rows;
      if (pendingRows >= options.maxBatchSize() || nothingCanJoin()) {
        full = drain();
      } else if (pending.size() == 1) {
        long gen = generation;
        try {
          timer =
              threads.schedule(() -> flush(gen), options.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          full = drain();
        }
      }
    }
    if (earlier != null) {
      runOnBatchThread(earlier);
    }
    if (full != null) {
      runOnBatchThread(full);
    }
    return task.result();
  }

  /**
   * Whether waiting cannot grow the pending batch: no batch of this queue is running and no request
   * is on its way (unless the options wait even then). Under the lock.
   */
  private boolean nothingCanJoin() {
    return !options.waitWhenIdle() && running == 0 && arriving.getAsInt() == 0;
  }

  /** Takes the pending batch, counted as running until {@link #run} ends. Under the lock. */
  private List<Task> drain() {
    List<Task> batch = pending;
    pending = new ArrayList<>();
    pendingRows = 0;
    running++;
    generation++;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    return batch;
  }

  private void flush(long gen) {
    List<Task> batch;
    synchronized (this) {
      if (gen != generation || pending.isEmpty()) {
        return;
      }
      batch = drain();
    }
    run(batch);
  }

  private void run(List<Task> batch) {
    try {
      if (batch.size() == 1) {
        runAlone(batch.get(0));
        return;
      }
      try {
        runMerged(batch);
      } catch (Throwable e) {
        // One request's input (an id out of range, say) can fail the merged run. Run each request
        // alone, so that only the offender gets an error, and only its own data is in it.
        for (Task t : batch) {
          if (!t.result().isDone()) {
            runAlone(t);
          }
        }
      }
    } finally {
      List<Task> next = null;
      synchronized (this) {
        running--;
        // Requests that queued while this batch ran, with nothing else on its way: run them now.
        if (!pending.isEmpty() && nothingCanJoin()) {
          next = drain();
        }
      }
      if (next != null) {
        runOnBatchThread(next);
      }
    }
  }

  /** Runs a drained batch on a batching thread, or on this one once those are shut down. */
  private void runOnBatchThread(List<Task> batch) {
    try {
      threads.execute(() -> run(batch));
    } catch (RejectedExecutionException e) {
      run(batch);
    }
  }

  private void runAlone(Task t) {
    try {
      Map<String, TensorData> out = model.run(signature, t.inputs());
      metrics.recordRun(t.rows());
      t.result().complete(out);
    } catch (Throwable e) {
      t.result().completeExceptionally(e);
    }
  }

  private void runMerged(List<Task> batch) throws Exception {
    Map<String, TensorData> stacked = new LinkedHashMap<>();
    int total = 0;
    for (Task t : batch) {
      total += t.rows();
    }
    for (String name : batch.get(0).inputs().keySet()) {
      List<TensorData> parts = new ArrayList<>(batch.size());
      for (Task t : batch) {
        parts.add(t.inputs().get(name));
      }
      stacked.put(name, TensorData.concatRows(parts));
    }
    Map<String, TensorData> out = model.run(signature, stacked);
    metrics.recordRun(total);
    for (Map.Entry<String, TensorData> e : out.entrySet()) {
      TensorData t = e.getValue();
      if (t.rank() == 0 || t.dim(0) != total) {
        throw new ServingException(
            ErrorCode.INTERNAL,
            "Server-side batching cannot split "
                + "output \""
                + e.getKey()
                + "\" of shape "
                + java.util.Arrays.toString(t.shape())
                + " back into "
                + batch.size()
                + " requests with "
                + total
                + " instances in all; serve this signature without --enable_batching");
      }
    }
    int at = 0;
    for (Task task : batch) {
      Map<String, TensorData> mine = new LinkedHashMap<>();
      for (Map.Entry<String, TensorData> e : out.entrySet()) {
        mine.put(e.getKey(), e.getValue().rows(at, at + task.rows()));
      }
      at += task.rows();
      task.result().complete(mine);
    }
  }
}
