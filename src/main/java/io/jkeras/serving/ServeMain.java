package io.jkeras.serving;

import io.jkeras.backend.SessionOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * {@code jkeras serve}: serves the versions of one model over TensorFlow Serving's REST API until
 * the process is stopped (SIGTERM or Ctrl-C stop it gracefully).
 *
 * <pre>{@code
 * ./jkeras serve --model_name fm --model_base_path models/fm --port 8501
 * // or from Java, with a loader of your own:
 * int exit = ServeMain.run(args, dir -> MyModel.load(dir));
 * }</pre>
 *
 * <p>{@link #run(String[])} finds its {@link ModelLoader} with {@link ServiceLoader} (a {@code
 * META-INF/services/io.jkeras.serving.ModelLoader} entry naming a class with a public no-argument
 * constructor).
 */
public final class ServeMain {

  private ServeMain() {}

  static final String HELP =
      String.join(
          "\n",
          "usage: jkeras serve --model_name NAME --model_base_path DIR [options]",
          "",
          "Serves the numbered versions under DIR (DIR/1, DIR/2, ...) with TensorFlow Serving's",
          "REST API: GET /v1/models/NAME[/versions/N][/metadata], POST"
              + " .../NAME[/versions/N]:predict,",
          "GET /healthz and GET /monitoring/prometheus/metrics. The newest version serves; new",
          "version folders are loaded and swapped in while serving.",
          "",
          "options:",
          "  --model_name NAME                     name in /v1/models/NAME (required)",
          "  --model_base_path DIR                 folder of numbered versions (required)",
          "  --port N                              HTTP port (default 8501; alias --rest_api_port)",
          "  --host ADDR                           address to listen on (default 127.0.0.1;",
          "                                        0.0.0.0 for every interface)",
          "  --file_system_poll_wait_seconds S     how often DIR is scanned for versions (default"
              + " 1;",
          "                                        0 scans only at start)",
          "  --max_versions N                      keep only the newest N versions loaded (default",
          "                                        0: every version on disk stays addressable)",
          "  --enable_batching                     merge concurrent requests into one model run",
          "  --max_batch_size N                    instances per batched run (default 32)",
          "  --batch_timeout_micros N              longest wait for a batch to fill (default"
              + " 1000);",
          "                                        an idle server runs a batch at once",
          "  --batch_wait_when_idle                wait for the timeout even when idle (TensorFlow",
          "                                        Serving's behaviour)",
          "  --num_batch_threads N                 threads running batches (default: cores)",
          "  --max_body_bytes N                    largest request body (default 67108864); more",
          "                                        gets 413",
          "  --max_instances_per_request N         most instances in one request (default 10000);",
          "                                        more gets 413",
          "  --max_tensor_bytes N                  most decoded input bytes per request, 8 per",
          "                                        value (default 67108864); more gets 413",
          "  --max_inflight_tensor_bytes N         the same for all requests in flight together",
          "                                        (default 268435456); more gets 503",
          "  --rest_api_num_threads N              most HTTP worker threads (default 200)",
          "  --max_concurrent_predicts N           predicts read or run at once (default 64); more",
          "                                        get 503",
          "  --max_connections_per_client N        open connections per client address (default"
              + " 64)",
          "  --idle_timeout_seconds S              close connections idle this long (default 30)",
          "  --min_request_bytes_per_second N      fail requests sent slower (default 1024)",
          "  --shutdown_timeout_seconds S          wait for requests in flight on stop (default"
              + " 30)",
          "  --tensorflow_intra_op_parallelism N   threads one TensorFlow op may use (default 0:",
          "                                        TensorFlow chooses)",
          "  --tensorflow_inter_op_parallelism N   TensorFlow ops run side by side (default 0:",
          "                                        TensorFlow chooses; -1: each run's ops on its",
          "                                        own thread; with intra 1, twice the requests/s",
          "                                        of one client, see docs/serving.md)",
          "  --help                                this text",
          "",
          "Option names take '-' or '_' and '--opt value' or '--opt=value'.");

  /** A command line that cannot be run. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private static final Set<String> FLAGS =
      Set.of("enable_batching", "batch_wait_when_idle", "help");
  private static final Set<String> VALUED =
      Set.of(
          "model_name",
          "model_base_path",
          "port",
          "rest_api_port",
          "host",
          "file_system_poll_wait_seconds",
          "max_versions",
          "max_batch_size",
          "batch_timeout_micros",
          "num_batch_threads",
          "max_body_bytes",
          "rest_api_num_threads",
          "shutdown_timeout_seconds",
          "max_instances_per_request",
          "max_tensor_bytes",
          "max_inflight_tensor_bytes",
          "max_concurrent_predicts",
          "max_connections_per_client",
          "idle_timeout_seconds",
          "min_request_bytes_per_second",
          "tensorflow_intra_op_parallelism",
          "tensorflow_inter_op_parallelism");

  /** Runs with the {@link ModelLoader} found by {@link ServiceLoader}. */
  public static int run(String[] args) {
    Optional<ModelLoader> loader = ServiceLoader.load(ModelLoader.class).findFirst();
    if (loader.isEmpty() && !isHelp(args)) {
      System.err.println(
          "jkeras serve: this build has no model loader (no "
              + "META-INF/services/io.jkeras.serving.ModelLoader entry)");
      return 1;
    }
    return run(args, loader.orElse(null));
  }

  private static boolean isHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Serves until the process stops. Returns 0 after a stop, 2 for bad usage or a missing base path,
   * 1 when the server cannot start (e.g. the port is taken).
   */
  public static int run(String[] args, ModelLoader loader) {
    ModelServer server;
    try {
      server = start(args, loader, System.out);
    } catch (UsageException e) {
      System.err.println(
          "jkeras serve: " + e.getMessage() + " (run 'jkeras serve --help' for the options)");
      return 2;
    } catch (IllegalArgumentException e) {
      System.err.println("jkeras serve: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("jkeras serve: cannot start: " + e);
      return 1;
    }
    if (server == null) {
      return 0;
    }
    Thread hook = new Thread(server::stop, "jkeras-serving-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop();
    }
    return 0;
  }

  /**
   * Parses {@code args} and starts a server; returns null after printing the help.
   *
   * @throws UsageException for a bad command line
   * @throws IllegalArgumentException when the base path is not a folder
   * @throws Exception when the port cannot be opened
   */
  static ModelServer start(String[] args, ModelLoader loader, PrintStream out) throws Exception {
    Map<String, String> o = parse(args);
    if (o.containsKey("help")) {
      out.println(HELP);
      return null;
    }
    ServerOptions options = options(o);
    SessionOptions session = sessionOptions(o);
    if (session != null) {
      // The process's first session sizes TensorFlow's thread pools: set before any model loads.
      SessionOptions.setDefaults(session);
    }
    return new ModelServer(options, loader).start();
  }

  /**
   * The session defaults the TensorFlow thread options ask for, or null when neither is given
   * (TensorFlow chooses both).
   */
  static SessionOptions sessionOptions(Map<String, String> o) throws UsageException {
    String intra = "tensorflow_intra_op_parallelism";
    String inter = "tensorflow_inter_op_parallelism";
    if (!o.containsKey(intra) && !o.containsKey(inter)) {
      return null;
    }
    return SessionOptions.defaults().toBuilder()
        .intraOpThreads(integer(o, intra, 0, 0, 1024))
        .interOpThreads(integer(o, inter, 0, -1, 1024))
        .build();
  }

  static Map<String, String> parse(String[] args) throws UsageException {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h")) {
        a = "--help";
      }
      if (!a.startsWith("--")) {
        throw new UsageException("unexpected argument \"" + a + "\"");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      name = name.replace('-', '_');
      if (FLAGS.contains(name)) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
          throw new UsageException("--" + name + " takes no value (or =true/=false)");
        }
        o.put(name, value == null ? "true" : value);
        continue;
      }
      if (!VALUED.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      if (name.equals("rest_api_port")) {
        name = "port";
      }
      o.put(name, value);
    }
    return o;
  }

  static ServerOptions options(Map<String, String> o) throws UsageException {
    String name = o.get("model_name");
    String base = o.get("model_base_path");
    if (name == null || base == null) {
      throw new UsageException("--model_name and --model_base_path are required");
    }
    ServerOptions s;
    try {
      s = ServerOptions.of(name, Path.of(base));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    s =
        s.withPort(integer(o, "port", 8501, 0, 65535))
            .withHost(o.getOrDefault("host", "127.0.0.1"))
            .withPollInterval(seconds(o, "file_system_poll_wait_seconds", 1))
            .withMaxVersions(integer(o, "max_versions", 0, 0, Integer.MAX_VALUE))
            .withMaxBodyBytes(longValue(o, "max_body_bytes", 64L << 20))
            .withHttpThreads(integer(o, "rest_api_num_threads", 200, 4, 10_000))
            .withShutdownTimeout(seconds(o, "shutdown_timeout_seconds", 30));
    ServingLimits d = ServingLimits.DEFAULT;
    Duration idle = seconds(o, "idle_timeout_seconds", d.idleTimeout().toSeconds());
    if (idle.isZero()) {
      throw new UsageException("--idle_timeout_seconds must be positive");
    }
    s =
        s.withLimits(
            new ServingLimits(
                integer(
                    o,
                    "max_instances_per_request",
                    d.maxInstancesPerRequest(),
                    1,
                    Integer.MAX_VALUE),
                Math.max(8, longValue(o, "max_tensor_bytes", d.maxTensorBytes())),
                Math.max(
                    longValue(o, "max_tensor_bytes", d.maxTensorBytes()),
                    longValue(o, "max_inflight_tensor_bytes", d.maxInflightTensorBytes())),
                idle,
                longValue(o, "min_request_bytes_per_second", d.minRequestBytesPerSecond()),
                integer(o, "max_connections_per_client", d.maxConnectionsPerClient(), 1, 1_000_000),
                integer(o, "max_concurrent_predicts", d.maxConcurrentPredicts(), 1, 1_000_000)));
    boolean batching = Boolean.parseBoolean(o.getOrDefault("enable_batching", "false"));
    int cores = Runtime.getRuntime().availableProcessors();
    BatchingOptions b =
        new BatchingOptions(
            batching,
            integer(o, "max_batch_size", 32, 1, 1_000_000),
            Duration.ofNanos(longValue(o, "batch_timeout_micros", 1000) * 1000),
            integer(o, "num_batch_threads", cores, 1, 1024),
            Boolean.parseBoolean(o.getOrDefault("batch_wait_when_idle", "false")));
    return s.withBatching(b);
  }

  private static int integer(Map<String, String> o, String key, int def, int min, int max)
      throws UsageException {
    long v = wholeNumber(o, key, def);
    if (v < min || v > max) {
      throw new UsageException(
          "--" + key + " must be between " + min + " and " + max + ", got " + v);
    }
    return (int) v;
  }

  private static long longValue(Map<String, String> o, String key, long def) throws UsageException {
    long v = wholeNumber(o, key, def);
    if (v < 0) {
      throw new UsageException("--" + key + " cannot be negative: " + o.get(key));
    }
    return v;
  }

  private static long wholeNumber(Map<String, String> o, String key, long def)
      throws UsageException {
    String s = o.get(key);
    if (s == null) {
      return def;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + key + " needs a whole number, got \"" + s + "\"");
    }
  }

  private static Duration seconds(Map<String, String> o, String key, double def)
      throws UsageException {
    String s = o.get(key);
    double v = def;
    if (s != null) {
      try {
        v = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new UsageException("--" + key + " needs a number of seconds, got \"" + s + "\"");
      }
    }
    if (!(v >= 0) || v > 1e6) {
      throw new UsageException("--" + key + " out of range: " + s);
    }
    return Duration.ofNanos((long) (v * 1e9));
  }
}
