package io.jkeras.serving;

import java.time.Duration;

/**
 * Server-side batching: concurrent requests for the same version and signature, with instances of
 * the same shapes, are merged into one model run of at most {@code maxBatchSize} instances. A batch
 * runs as soon as it is full, or {@code timeout} after its first request arrived.
 *
 * <pre>{@code
 * BatchingOptions b = new BatchingOptions(true, 32, Duration.ofNanos(1_000_000), 4);
 * }</pre>
 *
 * @param enabled off by default
 * @param maxBatchSize most instances per model run; a request with more runs alone
 * @param timeout longest wait for a batch to fill (TensorFlow Serving's batch_timeout_micros)
 * @param threads threads that run batches flushed by the timeout
 */
public record BatchingOptions(boolean enabled, int maxBatchSize, Duration timeout, int threads) {

  /** Batching off. */
  public static final BatchingOptions OFF = new BatchingOptions(false, 32, Duration.ofMillis(1), 1);

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
