package io.jkeras.serving;

import java.time.Duration;

/**
 * Server-side batching: concurrent requests for the same version and signature, with instances of
 * the same shapes, are merged into one model run of at most {@code maxBatchSize} instances. A batch
 * runs as soon as it is full, or {@code timeout} after its first request arrived, or, unless {@code
 * waitWhenIdle}, as soon as no batch of its kind is running and no other predict request is being
 * read: then nothing could join it before the timeout, and waiting would only add latency at low
 * load.
 *
 * <pre>{@code
 * BatchingOptions b = new BatchingOptions(true, 32, Duration.ofNanos(1_000_000), 4);
 * }</pre>
 *
 * @param enabled off by default
 * @param maxBatchSize most instances per model run; a request with more runs alone
 * @param timeout longest wait for a batch to fill (TensorFlow Serving's batch_timeout_micros)
 * @param threads threads that run batches
 * @param waitWhenIdle wait for a full batch or the timeout even when the server is idle, as
 *     TensorFlow Serving does (default false)
 */
public record BatchingOptions(
    boolean enabled, int maxBatchSize, Duration timeout, int threads, boolean waitWhenIdle) {

  /** Batching off. */
  public static final BatchingOptions OFF = new BatchingOptions(false, 32, Duration.ofMillis(1), 1);

  /**
   * Batching that runs a batch at once when the server is idle ({@code waitWhenIdle} false).
   *
   * <pre>{@code
   * new BatchingOptions(true, 32, Duration.ofMillis(1), 2)
   * }</pre>
   */
  public BatchingOptions(boolean enabled, int maxBatchSize, Duration timeout, int threads) {
    this(enabled, maxBatchSize, timeout, threads, false);
  }

  /**
   * These options with another {@code waitWhenIdle}.
   *
   * <pre>{@code
   * BatchingOptions tfServingLike = options.withWaitWhenIdle(true);
   * }</pre>
   */
  public BatchingOptions withWaitWhenIdle(boolean wait) {
    return new BatchingOptions(enabled, maxBatchSize, timeout, threads, wait);
  }

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if {@code maxBatchSize} or {@code threads} is below 1 or the
   *     timeout is negative
   */
  public BatchingOptions {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be at least 1: " + maxBatchSize);
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative batch timeout: " + timeout);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("batch threads must be at least 1: " + threads);
    }
  }
}
