package io.jkeras.serving;

import java.net.URI;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A model server: one model, its numbered versions under a base path, TensorFlow Serving's REST API
 * on Jetty.
 *
 * <pre>{@code
 * try (ModelServer server = new ModelServer(
 *     ServerOptions.of("fm", Path.of("models/fm")).withPort(8501), loader).start()) {
 *   // POST http://127.0.0.1:8501/v1/models/fm:predict {"instances": [...]}
 *   server.join();
 * }
 * }</pre>
 *
 * <p>{@link #start} loads the versions on disk before it opens the port, so the first requests find
 * a model. {@link #stop} is graceful: the port stops accepting, requests in flight finish (up to
 * the shutdown timeout), new requests on open connections get 503, then the models close.
 */
public final class ModelServer implements AutoCloseable {

  /**
   * Jetty's pool, except that a batching thread runs a non-blocking job itself. When a batching
   * thread has written a reply, Jetty hands the connection's next read to the pool: with the
   * handler non-blocking (batching on) that read never waits, and running it at once saves a thread
   * wake-up per request (measured: 2.4 context switches per request fall to 0.8).
   */
  private static final class HttpThreadPool extends QueuedThreadPool {
    HttpThreadPool(int maxThreads, int minThreads) {
      super(maxThreads, minThreads);
    }

    @Override
    public void execute(Runnable job) {
      if (ModelRunner.onBatchThread()
          && Invocable.getInvocationType(job) == Invocable.InvocationType.NON_BLOCKING) {
        job.run();
      } else {
        super.execute(job);
      }
    }
  }

  private final ServerOptions options;
  private final ServingMetrics metrics = new ServingMetrics();
  private final VersionManager versions;
  private final ModelRunner runner;
  private final Server jetty;
  private final ServerConnector connector;
  private final GracefulHandler graceful;
  private final RestApiHandler api;
  private volatile boolean stopped;

  /**
   * A server for {@code options}; nothing is loaded and no port is opened until {@link #start}.
   *
   * @param loader loads one version folder into a runnable model (for example a SavedModel loader)
   */
  public ModelServer(ServerOptions options, ModelLoader loader) {
    this.options = options;
    this.versions =
        new VersionManager(
            options.modelName(),
            options.modelBasePath(),
            loader,
            options.maxVersions(),
            metrics,
            options.log());
    this.runner = new ModelRunner(options.batching(), metrics);

    QueuedThreadPool pool =
        new HttpThreadPool(options.httpThreads(), Math.min(8, options.httpThreads()));
    pool.setName("jkeras-serving-http");
    pool.setDaemon(true);
    jetty = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // The API only parses the raw path and never maps it to files, so let encoded separators
    // and dot segments through to RestApiHandler, which names the problem in a JSON error.
    http.setUriCompliance(
        UriCompliance.from(
            EnumSet.of(
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
                UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS)));
    ServingLimits limits = options.limits();
    http.setIdleTimeout(limits.idleTimeout().toMillis());
    connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    // A client that sends nothing for the idle timeout loses its connection; one that sends its
    // body slower than the minimum rate loses it too (RestApiHandler's SlowUploadGuard), freeing
    // the worker thread it held; one address holds at most so many connections.
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    connector.addBean(new ClientConnectionLimit(limits.maxConnectionsPerClient()));
    jetty.addConnector(connector);
    api = new RestApiHandler(versions, runner, metrics, options.maxBodyBytes(), limits);
    // Headers slower than the minimum rate lose their connection too (they never reach a handler).
    SlowHeaderGuard headers = new SlowHeaderGuard(limits.minRequestBytesPerSecond(), api);
    connector.addBean(headers, false);
    graceful = new GracefulHandler(headers);
    jetty.setHandler(graceful);
    jetty.setErrorHandler(new JsonErrorHandler());
    // stop() waits for requests in flight itself (Jetty's own graceful stop also waits about a
    // second for idle keep-alive connections, which carry no work).
    jetty.setStopTimeout(0);
    jetty.setStopAtShutdown(false);
  }

  /**
   * Loads the versions on disk, starts polling for new ones and opens the port.
   *
   * @throws IllegalArgumentException when the base path is not a folder
   * @throws Exception when the port cannot be opened
   */
  public ModelServer start() throws Exception {
    if (!Files.isDirectory(options.modelBasePath())) {
      throw new IllegalArgumentException(
          "model base path " + options.modelBasePath() + " is not a folder");
    }
    versions.start(options.pollInterval());
    try {
      jetty.start();
    } catch (Exception e) {
      versions.close(options.shutdownTimeout());
      runner.close();
      throw e;
    }
    options
        .log()
        .accept(
            "serving model "
                + options.modelName()
                + " (versions "
                + versions.serving().keySet()
                + ") from "
                + options.modelBasePath()
                + " at "
                + uri()
                + (options.batching().enabled()
                    ? ", batching up to "
                        + options.batching().maxBatchSize()
                        + " instances or "
                        + options.batching().timeout().toNanos() / 1000
                        + " us"
                    : ""));
    return this;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}. */
  public URI uri() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return URI.create("http://" + host + ":" + port());
  }

  /**
   * The server's Prometheus counters: requests, latencies, model runs, batch sizes and version
   * loads.
   */
  public ServingMetrics metrics() {
    return metrics;
  }

  /** The settings this server was created with. */
  public ServerOptions options() {
    return options;
  }

  /** Scans the base path now instead of waiting for the next poll (blocking). */
  public void pollVersionsNow() {
    versions.pollOnce();
  }

  /** Waits until the server has stopped. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /**
   * Stops gracefully: no new connections, requests in flight finish (up to the shutdown timeout),
   * then batching threads stop and every model version closes. Idempotent.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    long t0 = System.nanoTime();
    options.log().accept("stopping: waiting for requests in flight");
    try {
      // From here new requests get 503; the ones running finish.
      graceful.shutdown().get(options.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      options
          .log()
          .accept(
              graceful.getCurrentRequestCount()
                  + " request(s) still running after "
                  + options.shutdownTimeout()
                  + "; stopping anyway");
    } catch (ExecutionException e) {
      options.log().accept("graceful shutdown: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      options.log().accept("HTTP server stop: " + e);
    }
    long t1 = System.nanoTime();
    api.close();
    runner.close();
    versions.close(options.shutdownTimeout());
    options
        .log()
        .accept(
            String.format(
                java.util.Locale.ROOT,
                "stopped (HTTP %.0f ms, models %.0f ms)",
                (t1 - t0) / 1e6,
                (System.nanoTime() - t1) / 1e6));
  }

  @Override
  public void close() {
    stop();
  }
}
