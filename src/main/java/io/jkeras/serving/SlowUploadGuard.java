package io.jkeras.serving;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off request bodies that arrive slower than a minimum rate: once a second it closes the
 * connection of every upload that, after a grace second of waiting, has sent fewer bytes per second
 * of waiting than the minimum. The thread blocked reading that body then fails at once, instead of
 * being held for as long as the client cares to dribble (a slowloris attack).
 *
 * <pre>{@code
 * try (SlowUploadGuard.Upload u = guard.watch(endPoint::close)) {
 *   u.reading();
 *   int n = in.read(buffer);
 *   u.received(n);
 * }
 * }</pre>
 */
final class SlowUploadGuard implements AutoCloseable {

  private static final long GRACE_NANOS = 1_000_000_000L;

  private final long minBytesPerSecond;
  private final Set<Upload> uploads = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;

  SlowUploadGuard(long minBytesPerSecond) {
    this.minBytesPerSecond = minBytesPerSecond;
    if (minBytesPerSecond > 0) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "jkeras-serving-slow-uploads");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    } else {
      timer = null;
    }
  }

  /** Starts watching one body; {@code abort} closes its connection. */
  Upload watch(Runnable abort) {
    Upload u = new Upload(abort);
    if (timer != null) {
      uploads.add(u);
    }
    return u;
  }

  private void check() {
    long now = System.nanoTime();
    for (Upload u : uploads) {
      long since = u.readingSince;
      long waited = u.waited + (since == 0 ? 0 : now - since);
      if (waited > GRACE_NANOS && u.bytes < minBytesPerSecond * (waited / 1e9)) {
        uploads.remove(u);
        u.abort.run();
      }
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * One body being read. Only the time spent waiting for the client counts (not the time the server
   * spends decoding what it has read), so a fast client is never cut off by a slow server.
   */
  final class Upload implements AutoCloseable {
    private final Runnable abort;
    private volatile long bytes;
    private volatile long waited;
    private volatile long readingSince;

    private Upload(Runnable abort) {
      this.abort = abort;
    }

    /** Call before blocking in a read. */
    void reading() {
      readingSince = System.nanoTime();
    }

    /** Call after a read returned {@code n} bytes (-1 at the end). */
    void received(long n) {
      waited += System.nanoTime() - readingSince;
      readingSince = 0;
      if (n > 0) {
        bytes += n;
      } else if (n < 0) {
        close();
      }
    }

    @Override
    public void close() {
      uploads.remove(this);
    }
  }
}
