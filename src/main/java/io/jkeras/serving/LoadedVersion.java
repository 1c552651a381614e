package io.jkeras.serving;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A loaded model version with a reference count, so that a version taken out of service is closed
 * only when the last request using it has finished.
 *
 * <p>The count starts at 1, held by the version manager. Every request takes a {@link Lease}
 * ({@link #tryAcquire}) and closes it when done. {@link #retire} drops the manager's reference;
 * whoever drops the count to 0 hands the model to {@code onZero} to be closed. A retired version
 * grants no new leases, so callers look the current version up again.
 *
 * <pre>{@code
 * try (LoadedVersion.Lease lease = version.tryAcquire()) {
 *   if (lease != null) {
 *     lease.version().model().run("serving_default", inputs);
 *   }
 * }
 * }</pre>
 */
final class LoadedVersion {

  private final long version;
  private final ServableModel model;
  private final Consumer<LoadedVersion> onZero;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final AtomicBoolean retired = new AtomicBoolean();

  /** Server-side batching queues of this version, by signature and instance shapes. */
  final ConcurrentMap<String, BatchQueue> batchQueues = new ConcurrentHashMap<>();

  LoadedVersion(long version, ServableModel model, Consumer<LoadedVersion> onZero) {
    this.version = version;
    this.model = model;
    this.onZero = onZero;
  }

  long version() {
    return version;
  }

  ServableModel model() {
    return model;
  }

  /** A lease on this version, or null when it has been retired. */
  Lease tryAcquire() {
    while (true) {
      int r = refs.get();
      if (r <= 0 || retired.get()) {
        return null;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return new Lease(this);
      }
    }
  }

  private void release() {
    if (refs.decrementAndGet() == 0) {
      onZero.accept(this);
    }
  }

  /** Takes the version out of service; it closes once its leases are closed. */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      release();
    }
  }

  boolean isRetired() {
    return retired.get();
  }

  /** Requests currently using this version. */
  int inFlight() {
    return Math.max(0, refs.get() - (retired.get() ? 0 : 1));
  }

  /** One request's hold on a version; close it exactly once. */
  static final class Lease implements AutoCloseable {
    private final LoadedVersion version;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(LoadedVersion version) {
      this.version = version;
    }

    LoadedVersion version() {
      return version;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        version.release();
      }
    }
  }
}
