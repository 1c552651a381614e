package io.jkeras.serving;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a signature of a leased version, directly or through server-side batching.
 *
 * <p>A request goes through a {@link BatchQueue} when batching is on, all its inputs share a
 * dimension 0 of at most the max batch size, and no input spec fixes dimension 0. Requests are only
 * merged with requests whose instances have the same shapes.
 *
 * <pre>{@code
 * ModelRunner runner = new ModelRunner(new BatchingOptions(true, 32, Duration.ofMillis(1), 2),
 *     metrics);
 * Map<String, TensorData> out = runner.run(lease.version(), signature, inputs);
 * }</pre>
 */
final class ModelRunner implements AutoCloseable {

  private final BatchingOptions options;
  private final ServingMetrics metrics;
  private final ScheduledExecutorService threads;

  ModelRunner(BatchingOptions options, ServingMetrics metrics) {
    this.options = options;
    this.metrics = metrics;
    if (options.enabled()) {
      ScheduledThreadPoolExecutor pool =
          new ScheduledThreadPoolExecutor(
              options.threads(),
              r -> {
                Thread t = new Thread(r, "jkeras-serving-batch");
                t.setDaemon(true);
                return t;
              });
      pool.setRemoveOnCancelPolicy(true);
      this.threads = pool;
    } else {
      this.threads = null;
    }
  }

  Map<String, TensorData> run(
      LoadedVersion version, SignatureSpec sig, Map<String, TensorData> inputs) throws Exception {
    int rows = batchRows(sig, inputs);
    if (rows < 0) {
      Map<String, TensorData> out = version.model().run(sig.name(), inputs);
      metrics.recordRun(inputs.isEmpty() ? 0 : firstDim(inputs));
      return out;
    }
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
            k -> new BatchQueue(version.model(), sig.name(), options, threads, metrics));
    return q.submit(inputs, rows);
  }

  private static long firstDim(Map<String, TensorData> inputs) {
    TensorData t = inputs.values().iterator().next();
    return t.rank() == 0 ? 1 : t.dim(0);
  }

  /** The request's row count when it can be batched, else -1. */
  private int batchRows(SignatureSpec sig, Map<String, TensorData> inputs) {
    if (!options.enabled() || inputs.isEmpty()) {
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
    return rows >= 1 && rows <= options.maxBatchSize() ? (int) rows : -1;
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
