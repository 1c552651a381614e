package io.jkeras.serving;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Closes connections whose request headers arrive slower than a minimum rate (a slowloris on
 * headers, which never reaches a handler, so {@link SlowUploadGuard} cannot see it). Between
 * requests, a connection that has received bytes of a next request is watched: once a grace second
 * has passed, fewer bytes than the minimum rate times the seconds waited closes it. An idle
 * keep-alive connection that sends nothing is left to the idle timeout.
 *
 * <p>It is both a connection listener (added to the connector, to see every connection) and the
 * handler wrapper that tells when a connection's headers are complete (its request arrived).
 *
 * <pre>{@code
 * SlowHeaderGuard headers = new SlowHeaderGuard(1024, api);
 * connector.addBean(headers);
 * jetty.setHandler(headers);
 * }</pre>
 */
final class SlowHeaderGuard extends Handler.Wrapper implements Connection.Listener {

  private static final long GRACE_NANOS = 1_000_000_000L;

  /** What the guard knows of one connection; fields change under the state's lock. */
  private static final class State {
    int active;
    long baseline;
    long waitingSince;
  }

  private final long minBytesPerSecond;
  private final ConcurrentMap<Connection, State> connections = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  SlowHeaderGuard(long minBytesPerSecond, Handler handler) {
    super(handler);
    this.minBytesPerSecond = minBytesPerSecond;
    if (minBytesPerSecond > 0) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "jkeras-serving-slow-headers");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleWithFixedDelay(this::check, 250, 250, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  @Override
  public void onOpened(Connection connection) {
    if (timer != null) {
      connections.put(connection, new State());
    }
  }

  @Override
  public void onClosed(Connection connection) {
    connections.remove(connection);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Connection connection = request.getConnectionMetaData().getConnection();
    State s = connections.get(connection);
    if (s == null) {
      return super.handle(request, response, callback);
    }
    synchronized (s) {
      s.active++;
      s.waitingSince = 0;
    }
    Callback done =
        Callback.from(
            callback,
            () -> {
              synchronized (s) {
                s.active--;
                s.baseline = Math.max(0, connection.getBytesIn());
              }
            });
    boolean handled;
    try {
      handled = super.handle(request, response, done);
    } catch (Exception | Error e) {
      release(s, connection);
      throw e;
    }
    if (!handled) {
      release(s, connection);
    }
    return handled;
  }

  private static void release(State s, Connection connection) {
    synchronized (s) {
      s.active--;
      s.baseline = Math.max(0, connection.getBytesIn());
    }
  }

  private void check() {
    long now = System.nanoTime();
    for (var e : connections.entrySet()) {
      Connection c = e.getKey();
      State s = e.getValue();
      boolean slow;
      synchronized (s) {
        long received = c.getBytesIn() - s.baseline;
        if (s.active > 0 || received <= 0) {
          s.waitingSince = 0; // in a handler, or idle between requests
          continue;
        }
        if (s.waitingSince == 0) {
          s.waitingSince = now;
        }
        long waited = now - s.waitingSince;
        slow = waited > GRACE_NANOS && received * 1e9 < minBytesPerSecond * (double) waited;
      }
      if (slow) {
        c.getEndPoint().close();
      }
    }
  }

  @Override
  protected void doStop() throws Exception {
    if (timer != null) {
      timer.shutdownNow();
    }
    super.doStop();
  }
}
