package io.jkeras.serving.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jkeras.serving.BatchingOptions;
import io.jkeras.serving.ModelLoader;
import io.jkeras.serving.ModelServer;
import io.jkeras.serving.PredictCodec;
import io.jkeras.serving.ServableModel;
import io.jkeras.serving.ServerOptions;
import io.jkeras.serving.ServingJson;
import io.jkeras.serving.SignatureSpec;
import io.jkeras.serving.TensorData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Load generator for {@code jkeras serve}: drives one model over loopback HTTP at each concurrency,
 * with server-side batching off and on, and runs the same inputs in process for comparison. Prints
 * requests/s, p50 and p99 latency, errors, and served/in-process throughput.
 *
 * <pre>
 * benchmarks/serving --duration 30 --concurrency 1,64
 * benchmarks/serving --model_base_path models/fm --loader service --instance ints:100:20000
 * </pre>
 *
 * <p>Without {@code --model_base_path} it serves a {@link SyntheticFmModel} (pure Java). The
 * in-process numbers call {@link ServableModel#run} on the very tensors the server would build from
 * each request body, one request per call, at the same concurrency.
 */
public final class ServingBenchmark {

  private ServingBenchmark() {}

  static final String HELP =
      String.join(
          "\n",
          "usage: benchmarks/serving [options]",
          "  --model_base_path DIR       numbered versions to serve (default: a synthetic FM"
              + " model)",
          "  --loader L                  synthetic | service (the ModelLoader registered with",
          "                              ServiceLoader, e.g. SavedModel) | a ModelLoader class"
              + " name",
          "                              (default synthetic)",
          "  --instance SPEC             ints:LEN:MAX | floats:LEN | json:TEXT | file:PATH |",
          "                              class:NAME (default ints:100:20000)",
          "  --instances_per_request N   instances in each request (default 1)",
          "  --signature NAME            signature_name (default serving_default)",
          "  --duration S                measured seconds per run (default 30)",
          "  --warmup S                  unmeasured seconds before each run (default 5)",
          "  --concurrency LIST          client threads, comma-separated (default 1,64)",
          "  --batching LIST             off,on (default both)",
          "  --max_batch_size N          (default 32)",
          "  --batch_timeout_micros N    (default 1000)",
          "  --num_batch_threads N       (default: cores)",
          "  --json_out FILE             also write the results as JSON");

  /** One measured run. */
  record Result(
      String mode,
      int concurrency,
      double requestsPerSecond,
      double p50Millis,
      double p99Millis,
      long errors,
      String firstError) {}

  /** One request or run; returns null when it succeeded, else why not. */
  @FunctionalInterface
  interface Op {
    String call(int index) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(HELP);
        return 0;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        System.err.println("bad argument " + a + "\n" + HELP);
        return 2;
      }
      o.put(a.substring(2).replace('-', '_'), args[++i]);
    }
    String instanceSpec = o.getOrDefault("instance", "ints:100:20000");
    InstanceGenerator gen = InstanceGenerator.parse(instanceSpec);
    int perRequest = Integer.parseInt(o.getOrDefault("instances_per_request", "1"));
    String signature = o.getOrDefault("signature", ServableModel.DEFAULT_SIGNATURE);
    double duration = Double.parseDouble(o.getOrDefault("duration", "30"));
    double warmup = Double.parseDouble(o.getOrDefault("warmup", "5"));
    int[] concurrency =
        Arrays.stream(o.getOrDefault("concurrency", "1,64").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .toArray();
    List<String> batching = List.of(o.getOrDefault("batching", "off,on").split(","));
    int cores = Runtime.getRuntime().availableProcessors();
    BatchingOptions on =
        new BatchingOptions(
            true,
            Integer.parseInt(o.getOrDefault("max_batch_size", "32")),
            Duration.ofNanos(Long.parseLong(o.getOrDefault("batch_timeout_micros", "1000")) * 1000),
            Integer.parseInt(o.getOrDefault("num_batch_threads", Integer.toString(cores))));

    String loaderName = o.getOrDefault("loader", "synthetic");
    ModelLoader loader = loader(loaderName);
    Path base;
    if (o.containsKey("model_base_path")) {
      base = Path.of(o.get("model_base_path"));
    } else {
      base = Files.createTempDirectory("jkeras-serving-bench");
      String[] p = instanceSpec.startsWith("ints:") ? instanceSpec.split(":") : null;
      SyntheticFmModel.writeVersion(
          base.resolve("1"),
          p == null ? 20000 : Integer.parseInt(p[2]),
          p == null ? 100 : Integer.parseInt(p[1]),
          16);
      base.toFile().deleteOnExit();
    }
    Path newest;
    try (Stream<Path> s = Files.list(base)) {
      newest =
          s.filter(d -> d.getFileName().toString().matches("\\d+") && Files.isDirectory(d))
              .max(
                  (a, b) ->
                      Long.compare(
                          Long.parseLong(a.getFileName().toString()),
                          Long.parseLong(b.getFileName().toString())))
              .orElseThrow(() -> new IllegalArgumentException("no version folder in " + base));
    }

    // The same request bodies for every run, and the tensors the server makes of them.
    SplittableRandom random = new SplittableRandom(42);
    int pool = 512;
    List<byte[]> bodies = new ArrayList<>(pool);
    for (int i = 0; i < pool; i++) {
      ObjectNode body = ServingJson.MAPPER.createObjectNode();
      body.put("signature_name", signature);
      ArrayNode instances = body.putArray("instances");
      for (int j = 0; j < perRequest; j++) {
        instances.add(gen.next(random));
      }
      bodies.add(ServingJson.MAPPER.writeValueAsBytes(body));
    }
    System.out.printf(
        Locale.ROOT,
        "jkeras serving benchmark: %s (loader %s), instances %s x%d"
            + " per request, %.0f s per run after %.0f s warm-up, %d cores%n",
        newest,
        loaderName,
        instanceSpec,
        perRequest,
        duration,
        warmup,
        cores);

    List<Result> results = new ArrayList<>();
    Map<Integer, Double> inProcess = new HashMap<>();
    double batch32RowsPerSecond = Double.NaN;
    try (ServableModel model = loader.load(newest)) {
      SignatureSpec sig = model.signatures().get(signature);
      if (sig == null) {
        throw new IllegalArgumentException(
            "no signature " + signature + " in " + newest + ": " + model.signatures().keySet());
      }
      List<Map<String, TensorData>> inputs = new ArrayList<>(pool);
      for (byte[] b : bodies) {
        inputs.add(
            PredictCodec.inputs(
                PredictCodec.read(
                    new java.io.ByteArrayInputStream(b),
                    Integer.MAX_VALUE,
                    PredictCodec.DEFAULT_MAX_TENSOR_BYTES),
                sig));
      }
      for (int c : concurrency) {
        Result r =
            load(
                "in-process",
                c,
                warmup,
                duration,
                i -> {
                  model.run(signature, inputs.get(i % pool));
                  return null;
                });
        inProcess.put(c, r.requestsPerSecond());
        print(results, r, Double.NaN);
      }
      // The reference: in-process predict on batches of 32 instances, in rows per second.
      Map<String, TensorData> batch32 = new java.util.LinkedHashMap<>();
      for (String key : inputs.get(0).keySet()) {
        List<TensorData> rows = new ArrayList<>();
        for (int k = 0; k < 32; k++) {
          rows.add(inputs.get(k % pool).get(key));
        }
        batch32.put(key, TensorData.concatRows(rows));
      }
      Result rb =
          load(
              "in-process, batch 32",
              1,
              warmup,
              duration,
              i -> {
                model.run(signature, batch32);
                return null;
              });
      print(results, rb, Double.NaN);
      batch32RowsPerSecond = 32 * rb.requestsPerSecond();
      System.out.printf(
          java.util.Locale.ROOT,
          "  in-process predict at batch 32: %.0f rows/s%n",
          batch32RowsPerSecond);
    }

    for (String mode : batching) {
      if (mode.trim().equals("none")) {
        continue; // in-process figures only (benchmarks/serving-wrk drives HTTP with wrk)
      }
      boolean batched = mode.trim().equals("on");
      ServerOptions options =
          ServerOptions.of("bench", base)
              .withPort(0)
              .withBatching(batched ? on : BatchingOptions.OFF)
              .withLog(m -> {});
      try (ModelServer server = new ModelServer(options, loader).start()) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(server.uri() + "/v1/models/bench:predict");
        for (int c : concurrency) {
          Result r =
              load(
                  batched ? "http, batching on" : "http, batching off",
                  c,
                  warmup,
                  duration,
                  i -> {
                    HttpResponse<byte[]> resp =
                        client.send(
                            HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % pool)))
                                .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    return resp.statusCode() == 200
                        ? null
                        : resp.statusCode() + " " + new String(resp.body());
                  });
          print(results, r, r.requestsPerSecond() / inProcess.get(c));
          if (batched) {
            System.out.printf(
                java.util.Locale.ROOT,
                "  served rows/s / in-process rows/s at batch"
                    + " 32: %.3f (target at concurrency 64 with batching: >= 0.5)%n",
                r.requestsPerSecond() / batch32RowsPerSecond);
          }
        }
        if (batched) {
          String m = server.metrics().render();
          m.lines()
              .filter(
                  l ->
                      l.startsWith("jkeras_serving_batch_size_sum")
                          || l.startsWith("jkeras_serving_batch_size_count"))
              .forEach(l -> System.out.println("  " + l));
        }
      }
    }
    if (o.containsKey("json_out")) {
      ServingJson.MAPPER
          .writerWithDefaultPrettyPrinter()
          .writeValue(Path.of(o.get("json_out")).toFile(), results);
    }
    return results.stream().anyMatch(r -> r.errors() > 0) ? 1 : 0;
  }

  private static ModelLoader loader(String name) throws ReflectiveOperationException {
    return switch (name) {
      case "synthetic" -> new SyntheticFmModel.Loader();
      case "service" ->
          ServiceLoader.load(ModelLoader.class)
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("no ModelLoader registered with ServiceLoader"));
      default -> (ModelLoader) Class.forName(name).getConstructor().newInstance();
    };
  }

  private static boolean headerPrinted;

  private static void print(List<Result> results, Result r, double ratio) {
    if (!headerPrinted) {
      System.out.printf(
          Locale.ROOT,
          "%-20s %11s %12s %9s %9s %7s %18s%n",
          "mode",
          "concurrency",
          "requests/s",
          "p50 ms",
          "p99 ms",
          "errors",
          "served/in-process");
      headerPrinted = true;
    }
    results.add(r);
    System.out.printf(
        Locale.ROOT,
        "%-20s %11d %12.1f %9.3f %9.3f %7d %18s%n",
        r.mode(),
        r.concurrency(),
        r.requestsPerSecond(),
        r.p50Millis(),
        r.p99Millis(),
        r.errors(),
        Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.3f", ratio));
    if (r.firstError() != null) {
      System.out.println("  first error: " + r.firstError());
    }
  }

  /** Runs {@code op} from {@code threads} threads: warm-up, then a measured window. */
  static Result load(String mode, int threads, double warmupSeconds, double seconds, Op op)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmupSeconds * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    AtomicLong next = new AtomicLong();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                long[] lat = new long[1 << 12];
                int n = 0;
                while (true) {
                  long t0 = System.nanoTime();
                  if (t0 >= end) {
                    break;
                  }
                  String error;
                  try {
                    error = op.call((int) (next.getAndIncrement() & Integer.MAX_VALUE));
                  } catch (Exception e) {
                    error = e.toString();
                  }
                  long t1 = System.nanoTime();
                  if (t0 < measureFrom) {
                    continue;
                  }
                  if (error != null) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, error);
                    continue;
                  }
                  if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                  }
                  lat[n++] = t1 - t0;
                }
                latencies[id] = lat;
                counts[id] = n;
              },
              "bench-" + t);
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    double p50 = total == 0 ? Double.NaN : all[(int) (0.50 * (total - 1))] / 1e6;
    double p99 = total == 0 ? Double.NaN : all[(int) (0.99 * (total - 1))] / 1e6;
    return new Result(mode, threads, total / seconds, p50, p99, errors.get(), firstError.get());
  }
}
