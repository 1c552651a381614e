package io.jkeras.serving;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * Settings of a {@link ModelServer}. Start from {@link #of} and change what you need.
 *
 * <pre>{@code
 * ServerOptions o = ServerOptions.of("fm", Path.of("models/fm"))
 *     .withPort(8501)
 *     .withBatching(new BatchingOptions(true, 32, Duration.ofMillis(1), 2));
 * }</pre>
 *
 * @param modelName the name in {@code /v1/models/{name}}
 * @param modelBasePath the folder holding numbered version folders
 * @param host the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
 * @param port the TCP port (default 8501; 0 picks a free one, see {@link ModelServer#port})
 * @param pollInterval how often the base path is scanned for new versions (default 1 s; zero scans
 *     only at start)
 * @param maxVersions how many of the newest versions stay loaded; 0 (default) keeps every version
 *     that is on disk
 * @param batching server-side batching (default off)
 * @param maxBodyBytes the largest request body accepted (default 64 MiB); larger gets 413
 * @param httpThreads the most HTTP worker threads (default 200)
 * @param shutdownTimeout how long a stop waits for requests in flight (default 30 s)
 * @param limits caps on instances, decoded bytes, slow clients and connections ({@link
 *     ServingLimits#DEFAULT})
 * @param log where load, unload and lifecycle messages go (default standard error)
 */
public record ServerOptions(
    String modelName,
    Path modelBasePath,
    String host,
    int port,
    Duration pollInterval,
    int maxVersions,
    BatchingOptions batching,
    long maxBodyBytes,
    int httpThreads,
    Duration shutdownTimeout,
    ServingLimits limits,
    Consumer<String> log) {

  /** Writes timestamped lines to standard error. */
  public static final Consumer<String> STDERR =
      m ->
          System.err.println(
              LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " jkeras serve: " + m);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if the model name is empty or holds {@code /}, {@code \},
   *     {@code :}, {@code ..} or control characters, the port is outside 0..65535, {@code
   *     maxVersions} is negative, {@code maxBodyBytes} is not positive or there are fewer than 4
   *     HTTP threads
   */
  public ServerOptions {
    if (!RestApiHandler.isValidModelName(modelName)) {
      throw new IllegalArgumentException(
          "invalid model name \""
              + modelName
              + "\": it cannot "
              + "be empty or contain '/', '\\', ':', '..' or control characters");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxVersions < 0) {
      throw new IllegalArgumentException("max versions cannot be negative: " + maxVersions);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("max body bytes must be positive: " + maxBodyBytes);
    }
    if (httpThreads < 4) {
      throw new IllegalArgumentException("need at least 4 HTTP threads: " + httpThreads);
    }
  }

  /** Defaults for serving {@code modelName} from {@code modelBasePath}. */
  public static ServerOptions of(String modelName, Path modelBasePath) {
    return new ServerOptions(
        modelName,
        modelBasePath,
        "127.0.0.1",
        8501,
        Duration.ofSeconds(1),
        0,
        BatchingOptions.OFF,
        64L << 20,
        200,
        Duration.ofSeconds(30),
        ServingLimits.DEFAULT,
        STDERR);
  }

  /** These options with another listening address. */
  public ServerOptions withHost(String v) {
    return edited(e -> e.host = v);
  }

  /** These options with another TCP port (0 picks a free one). */
  public ServerOptions withPort(int v) {
    return edited(e -> e.port = v);
  }

  /**
   * These options with another interval between scans for new versions (zero scans only at start).
   */
  public ServerOptions withPollInterval(Duration v) {
    return edited(e -> e.pollInterval = v);
  }

  /** These options with another number of newest versions kept loaded (0 keeps all). */
  public ServerOptions withMaxVersions(int v) {
    return edited(e -> e.maxVersions = v);
  }

  /** These options with other batching settings. */
  public ServerOptions withBatching(BatchingOptions v) {
    return edited(e -> e.batching = v);
  }

  /** These options with another largest accepted request body, in bytes. */
  public ServerOptions withMaxBodyBytes(long v) {
    return edited(e -> e.maxBodyBytes = v);
  }

  /** These options with another maximum of HTTP worker threads (at least 4). */
  public ServerOptions withHttpThreads(int v) {
    return edited(e -> e.httpThreads = v);
  }

  /** These options with another wait for requests in flight when stopping. */
  public ServerOptions withShutdownTimeout(Duration v) {
    return edited(e -> e.shutdownTimeout = v);
  }

  /** These options with another destination for load, unload and lifecycle messages. */
  public ServerOptions withLog(Consumer<String> v) {
    return edited(e -> e.log = v);
  }

  /** These options with other per-request and per-client limits. */
  public ServerOptions withLimits(ServingLimits v) {
    return edited(e -> e.limits = v);
  }

  /** A copy of these options with {@code edit} applied, checked by the record's constructor. */
  private ServerOptions edited(Consumer<Fields> edit) {
    Fields f = new Fields(this);
    edit.accept(f);
    return new ServerOptions(
        f.modelName,
        f.modelBasePath,
        f.host,
        f.port,
        f.pollInterval,
        f.maxVersions,
        f.batching,
        f.maxBodyBytes,
        f.httpThreads,
        f.shutdownTimeout,
        f.limits,
        f.log);
  }

  /** The record's components, editable, for the {@code with...} copies. */
  private static final class Fields {
    String modelName;
    Path modelBasePath;
    String host;
    int port;
    Duration pollInterval;
    int maxVersions;
    BatchingOptions batching;
    long maxBodyBytes;
    int httpThreads;
    Duration shutdownTimeout;
    ServingLimits limits;
    Consumer<String> log;

    Fields(ServerOptions o) {
      modelName = o.modelName;
      modelBasePath = o.modelBasePath;
      host = o.host;
      port = o.port;
      pollInterval = o.pollInterval;
      maxVersions = o.maxVersions;
      batching = o.batching;
      maxBodyBytes = o.maxBodyBytes;
      httpThreads = o.httpThreads;
      shutdownTimeout = o.shutdownTimeout;
      limits = o.limits;
      log = o.log;
    }
  }
}
