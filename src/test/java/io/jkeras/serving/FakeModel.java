package io.jkeras.serving;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory model for the serving tests, loaded from a version folder that holds a {@code
 * fake-model.properties} marker:
 *
 * <pre>
 * bias=1             y = scale * x + bias
 * scale=2
 * delayMillis=0      sleep in every run (slow model)
 * loadDelayMillis=0  sleep while loading (slow load)
 * fail=message       the load fails with this message
 * runFail=message    the load succeeds but every run fails with this message
 * </pre>
 *
 * <p>Signatures: {@code serving_default} (x: float [-1, 3] to y: float [-1, 3]), {@code pair} (ids:
 * int32 [-1, 2] and w: float [-1] to sum: float [-1] = ids0 + ids1 + w and ids_x10: int64 [-1, 2]),
 * {@code as_double} (x: double [-1] to y: double [-1]), {@code broken} (always throws:
 * IllegalArgumentException for a negative x), {@code lookup} (ids: int64 [-1, 2] to y: float [-1] =
 * sum of scale * id + bias; ids outside [0, 1000) fail the whole run with TensorFlow's message,
 * which names the id) and {@code wide} (x: float [-1, -1] to its row sums y: float [-1]). A run
 * after close throws, so a lifecycle bug shows up as a failed request.
 */
final class FakeModel implements ServableModel {

  static final String MARKER = "fake-model.properties";

  /** The ids the {@code lookup} signature accepts: [0, VOCABULARY). */
  static final long VOCABULARY = 1000;

  final long version;
  final float scale;
  final float bias;
  final long delayMillis;
  final AtomicInteger runs = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final List<Long> batchSizes = new CopyOnWriteArrayList<>();

  /** The names of the threads that ran the model, warm-up included. */
  final Set<String> runThreads = ConcurrentHashMap.newKeySet();

  volatile String runFailure;
  volatile boolean closed;
  volatile int runsAfterClose;

  FakeModel(long version, float scale, float bias, long delayMillis) {
    this.version = version;
    this.scale = scale;
    this.bias = bias;
    this.delayMillis = delayMillis;
  }

  private static TensorSpec spec(String name, String dtype, long... shape) {
    return new TensorSpec(name, dtype, shape);
  }

  @Override
  public Map<String, SignatureSpec> signatures() {
    Map<String, SignatureSpec> m = new LinkedHashMap<>();
    m.put(
        "serving_default",
        new SignatureSpec(
            "serving_default",
            SignatureSpec.PREDICT_METHOD,
            Map.of("x", spec("serving_default_x:0", "DT_FLOAT", -1, 3)),
            Map.of("y", spec("StatefulPartitionedCall:0", "DT_FLOAT", -1, 3))));
    Map<String, TensorSpec> in = new LinkedHashMap<>();
    in.put("ids", spec("pair_ids:0", "DT_INT32", -1, 2));
    in.put("w", spec("pair_w:0", "DT_FLOAT", -1));
    Map<String, TensorSpec> out = new LinkedHashMap<>();
    out.put("sum", spec("StatefulPartitionedCall_1:0", "DT_FLOAT", -1));
    out.put("ids_x10", spec("StatefulPartitionedCall_1:1", "DT_INT64", -1, 2));
    m.put("pair", new SignatureSpec("pair", SignatureSpec.PREDICT_METHOD, in, out));
    m.put(
        "as_double",
        new SignatureSpec(
            "as_double",
            SignatureSpec.PREDICT_METHOD,
            Map.of("x", spec("as_double_x:0", "DT_DOUBLE", -1)),
            Map.of("y", spec("StatefulPartitionedCall_2:0", "DT_DOUBLE", -1))));
    m.put(
        "broken",
        new SignatureSpec(
            "broken",
            SignatureSpec.PREDICT_METHOD,
            Map.of("x", spec("broken_x:0", "DT_FLOAT", -1)),
            Map.of("y", spec("StatefulPartitionedCall_3:0", "DT_FLOAT", -1))));
    m.put(
        "lookup",
        new SignatureSpec(
            "lookup",
            SignatureSpec.PREDICT_METHOD,
            Map.of("ids", spec("lookup_ids:0", "DT_INT64", -1, 2)),
            Map.of("y", spec("StatefulPartitionedCall_4:0", "DT_FLOAT", -1))));
    m.put(
        "wide",
        new SignatureSpec(
            "wide",
            SignatureSpec.PREDICT_METHOD,
            Map.of("x", spec("wide_x:0", "DT_FLOAT", -1, -1)),
            Map.of("y", spec("StatefulPartitionedCall_5:0", "DT_FLOAT", -1))));
    return Collections.unmodifiableMap(m);
  }

  @Override
  public Map<String, TensorData> run(String signature, Map<String, TensorData> inputs)
      throws Exception {
    inFlight.incrementAndGet();
    try {
      if (closed) {
        runsAfterClose++;
        throw new IllegalStateException("version " + version + " is closed");
      }
      runs.incrementAndGet();
      runThreads.add(Thread.currentThread().getName());
      if (runFailure != null) {
        throw new IllegalStateException(runFailure);
      }
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      if (closed) {
        runsAfterClose++;
        throw new IllegalStateException("version " + version + " closed during a run");
      }
      switch (signature) {
        case "serving_default" -> {
          TensorData x = inputs.get("x");
          batchSizes.add(x.dim(0));
          float[] a = x.floats();
          float[] y = new float[a.length];
          for (int i = 0; i < a.length; i++) {
            y[i] = scale * a[i] + bias;
          }
          return Map.of("y", TensorData.ofFloats(y, x.shape()));
        }
        case "pair" -> {
          TensorData ids = inputs.get("ids");
          float[] w = inputs.get("w").floats();
          int[] id = ids.ints();
          int n = (int) ids.dim(0);
          float[] sum = new float[n];
          long[] x10 = new long[2 * n];
          for (int i = 0; i < n; i++) {
            sum[i] = id[2 * i] + id[2 * i + 1] + w[i];
            x10[2 * i] = id[2 * i] * 10L;
            x10[2 * i + 1] = id[2 * i + 1] * 10L;
          }
          Map<String, TensorData> r = new LinkedHashMap<>();
          r.put("sum", TensorData.ofFloats(sum, n));
          r.put("ids_x10", TensorData.ofLongs(x10, n, 2));
          return r;
        }
        case "as_double" -> {
          TensorData x = inputs.get("x");
          double[] a = x.doubles();
          double[] y = new double[a.length];
          for (int i = 0; i < a.length; i++) {
            y[i] = (double) scale * a[i] + bias;
          }
          return Map.of("y", TensorData.ofDoubles(y, x.shape()));
        }
        case "broken" -> {
          if (inputs.get("x").floats()[0] < 0) {
            throw new IllegalArgumentException("x must not be negative");
          }
          throw new IllegalStateException("kaboom");
        }
        case "lookup" -> {
          // Like an Embedding in TensorFlow: the whole batch fails, naming the value and its
          // position in the batch.
          TensorData ids = inputs.get("ids");
          batchSizes.add(ids.dim(0));
          long[] id = ids.longs();
          float[] y = new float[(int) ids.dim(0)];
          for (int i = 0; i < id.length; i++) {
            if (id[i] < 0 || id[i] >= VOCABULARY) {
              throw new IllegalArgumentException(
                  "indices["
                      + i / 2
                      + ","
                      + i % 2
                      + "] = "
                      + id[i]
                      + " is not in [0, "
                      + VOCABULARY
                      + ")");
            }
            y[i / 2] += scale * id[i] + bias;
          }
          return Map.of("y", TensorData.ofFloats(y, ids.dim(0)));
        }
        case "wide" -> {
          TensorData x = inputs.get("x");
          float[] a = x.floats();
          int rows = (int) x.dim(0);
          int cols = (int) x.dim(1);
          float[] y = new float[rows];
          for (int i = 0; i < a.length; i++) {
            y[i / cols] += a[i];
          }
          return Map.of("y", TensorData.ofFloats(y, rows));
        }
        default -> throw new IllegalArgumentException("no signature " + signature);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Loads {@link FakeModel}s and remembers each one. */
  static final class Loader implements ModelLoader {
    final List<FakeModel> loaded = new CopyOnWriteArrayList<>();

    @Override
    public ServableModel load(Path dir) throws Exception {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(dir.resolve(MARKER))) {
        p.load(r);
      }
      long loadDelay = Long.parseLong(p.getProperty("loadDelayMillis", "0"));
      if (loadDelay > 0) {
        Thread.sleep(loadDelay);
      }
      if (p.getProperty("fail") != null) {
        throw new IOException(p.getProperty("fail"));
      }
      FakeModel m =
          new FakeModel(
              Long.parseLong(dir.getFileName().toString()),
              Float.parseFloat(p.getProperty("scale", "2")),
              Float.parseFloat(p.getProperty("bias", "1")),
              Long.parseLong(p.getProperty("delayMillis", "0")));
      m.runFailure = p.getProperty("runFail");
      loaded.add(m);
      return m;
    }

    FakeModel version(long v) {
      List<FakeModel> all = new ArrayList<>(loaded);
      Collections.reverse(all);
      return all.stream().filter(m -> m.version == v).findFirst().orElseThrow();
    }
  }

  /** Writes version folder {@code base/version} with the marker, atomically (temp + rename). */
  static Path writeVersion(Path base, long version, String properties) throws IOException {
    Path tmp = Files.createTempDirectory(base, ".tmp-" + version + "-");
    Files.writeString(tmp.resolve(MARKER), properties);
    Path dir = base.resolve(Long.toString(version));
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    return dir;
  }
}
