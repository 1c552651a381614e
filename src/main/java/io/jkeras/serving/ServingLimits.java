package io.jkeras.serving;

import java.time.Duration;

/**
 * What one request and one client may cost the server, so that its memory and threads are bounded
 * by configuration rather than by what clients send.
 *
 * <pre>{@code
 * ServerOptions o = ServerOptions.of("fm", Path.of("models/fm"))
 *     .withLimits(ServingLimits.DEFAULT.withMaxInstancesPerRequest(1000));
 * }</pre>
 *
 * @param maxInstancesPerRequest most instances in one request (dimension 0 in the columnar format);
 *     more gets 413 before any tensor is allocated (default 10,000)
 * @param maxTensorBytes most decoded input bytes of one request, counting 8 bytes for every number
 *     or boolean; more gets 413 while the body is read (default 64 MiB)
 * @param maxInflightTensorBytes most decoded input bytes of all requests in flight together,
 *     counted the same way; a request that would pass it gets 503 (default 256 MiB)
 * @param idleTimeout a connection that sends or receives nothing for this long is closed (default
 *     30 s)
 * @param minRequestBytesPerSecond a request whose headers or body arrive slower than this, on
 *     average, fails with 408 and frees its thread (default 1024)
 * @param maxConnectionsPerClient most open connections from one client address; more are closed at
 *     once (default 64)
 * @param maxConcurrentPredicts most {@code :predict} requests being read or run at once; more get
 *     503 so that status, metadata and health stay answerable (default 64)
 */
public record ServingLimits(
    int maxInstancesPerRequest,
    long maxTensorBytes,
    long maxInflightTensorBytes,
    Duration idleTimeout,
    long minRequestBytesPerSecond,
    int maxConnectionsPerClient,
    int maxConcurrentPredicts) {

  /** The defaults listed above. */
  public static final ServingLimits DEFAULT =
      new ServingLimits(
          PredictCodec.DEFAULT_MAX_INSTANCES,
          PredictCodec.DEFAULT_MAX_TENSOR_BYTES,
          256L << 20,
          Duration.ofSeconds(30),
          1024,
          64,
          64);

  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException if a count is below 1, {@code maxTensorBytes} is below 8, the
   *     in-flight cap is below the per-request one, the idle timeout is not positive or the data
   *     rate is negative
   */
  public ServingLimits {
    if (maxInstancesPerRequest < 1 || maxTensorBytes < 8) {
      throw new IllegalArgumentException(
          "max instances per request must be at least 1 and max tensor bytes at least 8, got "
              + maxInstancesPerRequest
              + " and "
              + maxTensorBytes);
    }
    if (maxInflightTensorBytes < maxTensorBytes) {
      throw new IllegalArgumentException(
          "max in-flight tensor bytes ("
              + maxInflightTensorBytes
              + ") cannot be below max tensor bytes ("
              + maxTensorBytes
              + ")");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
    }
    if (minRequestBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "min request data rate cannot be negative: " + minRequestBytesPerSecond);
    }
    if (maxConnectionsPerClient < 1 || maxConcurrentPredicts < 1) {
      throw new IllegalArgumentException(
          "max connections per client and max concurrent predicts must be at least 1");
    }
  }

  /** These limits with another {@code maxInstancesPerRequest}. */
  public ServingLimits withMaxInstancesPerRequest(int v) {
    return new ServingLimits(
        v,
        maxTensorBytes,
        maxInflightTensorBytes,
        idleTimeout,
        minRequestBytesPerSecond,
        maxConnectionsPerClient,
        maxConcurrentPredicts);
  }

  /** These limits with another {@code maxTensorBytes}. */
  public ServingLimits withMaxTensorBytes(long v) {
    return new ServingLimits(
        maxInstancesPerRequest,
        v,
        maxInflightTensorBytes,
        idleTimeout,
        minRequestBytesPerSecond,
        maxConnectionsPerClient,
        maxConcurrentPredicts);
  }

  /** These limits with another {@code maxInflightTensorBytes}. */
  public ServingLimits withMaxInflightTensorBytes(long v) {
    return new ServingLimits(
        maxInstancesPerRequest,
        maxTensorBytes,
        v,
        idleTimeout,
        minRequestBytesPerSecond,
        maxConnectionsPerClient,
        maxConcurrentPredicts);
  }

  /** These limits with another {@code idleTimeout}. */
  public ServingLimits withIdleTimeout(Duration v) {
    return new ServingLimits(
        maxInstancesPerRequest,
        maxTensorBytes,
        maxInflightTensorBytes,
        v,
        minRequestBytesPerSecond,
        maxConnectionsPerClient,
        maxConcurrentPredicts);
  }

  /** These limits with another {@code minRequestBytesPerSecond}. */
  public ServingLimits withMinRequestBytesPerSecond(long v) {
    return new ServingLimits(
        maxInstancesPerRequest,
        maxTensorBytes,
        maxInflightTensorBytes,
        idleTimeout,
        v,
        maxConnectionsPerClient,
        maxConcurrentPredicts);
  }

  /** These limits with another {@code maxConnectionsPerClient}. */
  public ServingLimits withMaxConnectionsPerClient(int v) {
    return new ServingLimits(
        maxInstancesPerRequest,
        maxTensorBytes,
        maxInflightTensorBytes,
        idleTimeout,
        minRequestBytesPerSecond,
        v,
        maxConcurrentPredicts);
  }

  /** These limits with another {@code maxConcurrentPredicts}. */
  public ServingLimits withMaxConcurrentPredicts(int v) {
    return new ServingLimits(
        maxInstancesPerRequest,
        maxTensorBytes,
        maxInflightTensorBytes,
        idleTimeout,
        minRequestBytesPerSecond,
        maxConnectionsPerClient,
        v);
  }
}
