package io.jkeras.serving;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request and model metrics of one server, rendered in the Prometheus text format (version 0.0.4)
 * at {@code GET /monitoring/prometheus/metrics}.
 *
 * <ul>
 *   <li>{@code jkeras_serving_requests_total{api,code}}: HTTP requests by API ({@code predict},
 *       {@code status}, {@code metadata}, {@code health}, {@code metrics}, {@code other}) and HTTP
 *       status code
 *   <li>{@code jkeras_serving_request_duration_seconds{api}}: latency histogram, from the request
 *       headers being parsed to the response being handed to the connection
 *   <li>{@code jkeras_serving_model_runs_total} and {@code jkeras_serving_batch_size}: model runs
 *       and the instances each run carried (shows server-side batching at work)
 *   <li>{@code jkeras_serving_model_loads_total{result}}: version loads, ok or error
 * </ul>
 *
 * <pre>{@code
 * ServingMetrics m = new ServingMetrics();
 * m.recordRequest("predict", 200, 0.0042);
 * String page = m.render();
 * }</pre>
 */
public final class ServingMetrics {

  private static final double[] LATENCY_BOUNDS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };
  private static final double[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final ConcurrentMap<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Histogram batchSize = new Histogram(BATCH_BOUNDS);
  private final LongAdder loadsOk = new LongAdder();
  private final LongAdder loadsFailed = new LongAdder();

  /** Counts one HTTP request and its latency. */
  public void recordRequest(String api, int httpStatus, double seconds) {
    requests
        .computeIfAbsent("api=\"" + api + "\",code=\"" + httpStatus + "\"", k -> new LongAdder())
        .increment();
    latency
        .computeIfAbsent("api=\"" + api + "\"", k -> new Histogram(LATENCY_BOUNDS))
        .observe(seconds);
  }

  /** Counts one model run over {@code instances} rows. */
  public void recordRun(long instances) {
    batchSize.observe(instances);
  }

  /** Counts one version load. */
  public void recordLoad(boolean ok) {
    (ok ? loadsOk : loadsFailed).increment();
  }

  /** Model runs so far. */
  public long modelRuns() {
    return batchSize.count();
  }

  /** Requests so far with this API and status. */
  public long requestCount(String api, int httpStatus) {
    LongAdder a = requests.get("api=\"" + api + "\",code=\"" + httpStatus + "\"");
    return a == null ? 0 : a.sum();
  }

  /** The Prometheus text exposition of every metric. */
  public String render() {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# HELP jkeras_serving_requests_total HTTP requests by API and status code.\n");
    sb.append("# TYPE jkeras_serving_requests_total counter\n");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
      sb.append("jkeras_serving_requests_total{")
          .append(e.getKey())
          .append("} ")
          .append(e.getValue().sum())
          .append('\n');
    }
    sb.append("# HELP jkeras_serving_request_duration_seconds HTTP request latency.\n");
    sb.append("# TYPE jkeras_serving_request_duration_seconds histogram\n");
    for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
      e.getValue().appendTo(sb, "jkeras_serving_request_duration_seconds", e.getKey());
    }
    sb.append("# HELP jkeras_serving_model_runs_total Model runs (one per batch).\n");
    sb.append("# TYPE jkeras_serving_model_runs_total counter\n");
    sb.append("jkeras_serving_model_runs_total ").append(batchSize.count()).append('\n');
    sb.append("# HELP jkeras_serving_batch_size Instances per model run.\n");
    sb.append("# TYPE jkeras_serving_batch_size histogram\n");
    batchSize.appendTo(sb, "jkeras_serving_batch_size", "");
    sb.append("# HELP jkeras_serving_model_loads_total Model version loads by result.\n");
    sb.append("# TYPE jkeras_serving_model_loads_total counter\n");
    sb.append("jkeras_serving_model_loads_total{result=\"ok\"} ")
        .append(loadsOk.sum())
        .append('\n');
    sb.append("jkeras_serving_model_loads_total{result=\"error\"} ")
        .append(loadsFailed.sum())
        .append('\n');
    return sb.toString();
  }
}
