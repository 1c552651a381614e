package io.jkeras.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP endpoints of {@code jkeras serve}: TensorFlow Serving's REST API for one model, plus
 * health and Prometheus metrics.
 *
 * <ul>
 *   <li>{@code GET /v1/models/{name}[/versions/{v}]}: version status
 *   <li>{@code GET /v1/models/{name}[/versions/{v}]/metadata}: signatures
 *   <li>{@code POST /v1/models/{name}[/versions/{v}]:predict}: row or columnar predict
 *   <li>{@code GET /healthz}: 200 while a version serves, else 503; versions newer than the one
 *       serving that failed to load or warm up are listed, with status "degraded"
 *   <li>{@code GET /monitoring/prometheus/metrics}: metrics in Prometheus text format
 * </ul>
 *
 * <p>Errors are {@code {"error": "..."}} with TensorFlow Serving's status codes: 400 for a bad
 * request (malformed JSON, wrong dtype or shape, unknown signature, wrong HTTP method on a {@code
 * /v1} path), 404 for an unknown model or version, 413 for a body, an instance count or a decoded
 * size over its limit, 503 when too many predicts are in flight, 500 when the model fails. Error
 * messages show the model base path as {@code <model_base_path>}.
 *
 * <p>With batching on, the handler never blocks (models run on the batching threads, and a body
 * still on its way is read on a worker thread), so it declares itself non-blocking and Jetty runs
 * it on the thread that read the request, without a hand-off per request.
 *
 * <pre>{@code
 * server.setHandler(new RestApiHandler(versions, runner, metrics, 64 << 20, ServingLimits.DEFAULT));
 * }</pre>
 */
final class RestApiHandler extends Handler.Abstract implements AutoCloseable {

  static final String METRICS_PATH = "/monitoring/prometheus/metrics";
  static final String HEALTH_PATH = "/healthz";
  private static final String JSON = "application/json";

  /**
   * The most body bytes read without waiting on the thread that parsed the headers: a body that has
   * not arrived whole by then is read, from where it stands, on a worker thread.
   */
  private static final int INLINE_BODY_BYTES = 1 << 16;

  private static final Pattern PREDICT =
      Pattern.compile("(?i)/v1/models/([^/:]+)(?:/versions/([^/:]*)|/labels/([^/:]*))?:([^/:]*)");
  private static final Pattern STATUS =
      Pattern.compile(
          "(?i)/v1/models/([^/:]+)(?:/versions/([^/:]*)|/labels/([^/:]*))?(/metadata)?/?");
  private static final Pattern VERSION = Pattern.compile("\\d{1,18}");

  private final VersionManager versions;
  private final ModelRunner runner;
  private final ServingMetrics metrics;
  private final long maxBodyBytes;
  private final ServingLimits limits;
  private final Semaphore predictSlots;
  private final TensorBudget budget;
  private final SlowUploadGuard slowUploads;
  private final String[] hiddenPaths;

  RestApiHandler(
      VersionManager versions,
      ModelRunner runner,
      ServingMetrics metrics,
      long maxBodyBytes,
      ServingLimits limits) {
    super(runner.batching() ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING);
    this.versions = versions;
    this.runner = runner;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.limits = limits;
    this.predictSlots = new Semaphore(limits.maxConcurrentPredicts());
    this.budget = new TensorBudget(limits.maxInflightTensorBytes());
    this.slowUploads = new SlowUploadGuard(limits.minRequestBytesPerSecond());
    Path base = versions.basePath();
    this.hiddenPaths = new String[] {base.toAbsolutePath().normalize().toString(), base.toString()};
  }

  /** Stops the slow-upload watch. */
  @Override
  public void close() {
    slowUploads.close();
  }

  /** A request body that could not be read to its end: the client went away or stalled. */
  private static final class BodyNotRead extends Exception {
    private static final long serialVersionUID = 1L;

    BodyNotRead(IOException cause) {
      super(cause);
    }
  }

  /** Thrown by the body stream past the size limit. */
  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** A response: status, content type and body. */
  private record Reply(int status, String contentType, byte[] body) {
    static Reply json(byte[] body) {
      return new Reply(200, JSON, body);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    String[] api = {"other"};
    CompletableFuture<Reply> reply;
    try {
      reply = route(method, path == null ? "/" : path, request, api);
    } catch (ServingException | RuntimeException | IOException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete(
        (r, e) -> {
          try {
            // A predict's body has been read by now: the reply follows its parse.
            boolean drained = drainBody(request);
            respond(request, response, callback, api[0], drained, r, e);
          } catch (Throwable failure) {
            callback.failed(failure);
          }
        });
    return true;
  }

  /**
   * Writes the reply, or the error reply for {@code error}, on whichever thread completed it: the
   * request's own, or the one that ran its batch.
   */
  private void respond(
      Request request,
      Response response,
      Callback callback,
      String api,
      boolean drained,
      Reply reply,
      Throwable error) {
    int counted = -1;
    if (error != null) {
      Throwable e = unwrapped(error);
      if (e instanceof ServingException se) {
        reply = new Reply(se.httpStatus(), JSON, ServingJson.error(withoutPaths(se.getMessage())));
      } else if (e instanceof BodyNotRead) {
        // The client closed the connection or stopped sending: its fault, not the server's.
        // Counted as 499 (client closed request) and answered 408 in case it still listens.
        reply =
            new Reply(
                408,
                JSON,
                ServingJson.error(
                    "The request body could not be read: " + e.getCause().getMessage()));
        counted = 499;
      } else {
        reply =
            new Reply(
                500,
                JSON,
                ServingJson.error(
                    withoutPaths(
                        "Internal error: "
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage())));
      }
    }
    if (!drained) {
      // Unread bytes remain: close the connection so that no client reuses it mid-body.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
    metrics.recordRequest(
        api,
        counted > 0 ? counted : reply.status(),
        (System.nanoTime() - request.getHeadersNanoTime()) / 1e9);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  /** The failure a {@link CompletionException} carries, else {@code error} itself. */
  private static Throwable unwrapped(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  /** The message with the model base path replaced, so that no reply shows server paths. */
  private String withoutPaths(String message) {
    if (message == null) {
      return "";
    }
    for (String p : hiddenPaths) {
      if (!p.isEmpty() && !p.equals(".")) {
        message = message.replace(p, "<model_base_path>");
      }
    }
    return message;
  }

  /** The reply to a request: at once, except for a predict waiting for its batch. */
  private CompletableFuture<Reply> route(String method, String path, Request request, String[] api)
      throws ServingException, IOException {
    if (path.equals(HEALTH_PATH)) {
      api[0] = "health";
      requireMethod(method, "GET", path);
      return CompletableFuture.completedFuture(health());
    }
    if (path.equals(METRICS_PATH)) {
      api[0] = "metrics";
      requireMethod(method, "GET", path);
      return CompletableFuture.completedFuture(
          new Reply(
              200,
              "text/plain; version=0.0.4; charset=utf-8",
              metrics.render().getBytes(StandardCharsets.UTF_8)));
    }
    checkSegments(path);
    Matcher m = PREDICT.matcher(path);
    if (m.matches()) {
      api[0] = "predict";
      String verb = m.group(4).toLowerCase(java.util.Locale.ROOT);
      if (!verb.equals("predict") && !verb.equals("classify") && !verb.equals("regress")) {
        throw ServingException.invalid(
            "Malformed request: "
                + method
                + " "
                + path
                + " (unknown method \":"
                + m.group(4)
                + "\"; the REST API has :predict)");
      }
      requireMethod(method, "POST", path);
      String model = modelName(m.group(1));
      OptionalLong version = version(m.group(2), m.group(3));
      if (!verb.equals("predict")) {
        throw new ServingException(
            ErrorCode.UNIMPLEMENTED, "jkeras serving implements " + ":predict only, not :" + verb);
      }
      if (!predictSlots.tryAcquire()) {
        throw new ServingException(
            ErrorCode.UNAVAILABLE,
            503,
            "The server is busy: "
                + limits.maxConcurrentPredicts()
                + " predict requests are in flight (--max_concurrent_predicts); retry later",
            null);
      }
      CompletableFuture<Reply> reply;
      ModelRunner.Arrival arrival = runner.arrive();
      try {
        reply = predict(model, version, request, arrival);
      } catch (Throwable e) {
        arrival.close();
        predictSlots.release();
        throw e;
      }
      return reply.whenComplete(
          (r, e) -> {
            arrival.close();
            predictSlots.release();
          });
    }
    m = STATUS.matcher(path);
    if (m.matches()) {
      boolean metadata = m.group(4) != null;
      api[0] = metadata ? "metadata" : "status";
      requireMethod(method, "GET", path);
      String model = modelName(m.group(1));
      OptionalLong version = version(m.group(2), m.group(3));
      return CompletableFuture.completedFuture(
          metadata ? metadata(model, version) : status(model, version));
    }
    if (path.regionMatches(true, 0, "/v1/", 0, 4) || path.equalsIgnoreCase("/v1")) {
      throw ServingException.invalid("Malformed request: " + method + " " + path);
    }
    throw ServingException.notFound(
        "Not found: "
            + path
            + " (the API is under "
            + "/v1/models/"
            + versions.modelName()
            + ", health at "
            + HEALTH_PATH
            + ", metrics at "
            + METRICS_PATH
            + ")");
  }

  private static void requireMethod(String method, String wanted, String path)
      throws ServingException {
    if (!method.equals(wanted)) {
      throw ServingException.invalid(
          "Malformed request: " + method + " " + path + " (use " + wanted + ")");
    }
  }

  /** Rejects "." and ".." path segments, raw or percent-encoded. */
  private static void checkSegments(String path) throws ServingException {
    for (String seg : path.split("/", -1)) {
      String s = decode(seg);
      int colon = s.indexOf(':');
      String head = colon >= 0 ? s.substring(0, colon) : s;
      if (head.equals(".") || head.equals("..")) {
        throw ServingException.invalid(
            "Invalid request path " + path + ": it contains a \"" + head + "\" segment");
      }
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** Decodes and checks the model name of a path. */
  private String modelName(String raw) throws ServingException {
    String name;
    try {
      name = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ServingException.invalid("Invalid model name \"" + raw + "\": bad percent-encoding");
    }
    if (!isValidModelName(name)) {
      throw ServingException.invalid(
          "Invalid model name \""
              + name
              + "\": model names cannot "
              + "contain path characters ('/', '\\', '..') or control characters");
    }
    if (!name.equals(versions.modelName())) {
      throw ServingException.notFound(
          "Model \"" + name + "\" not found; this server serves \"" + versions.modelName() + "\"");
    }
    return name;
  }

  /** True for names without path separators, dot segments or control characters. */
  static boolean isValidModelName(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("..")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c == ':' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private OptionalLong version(String version, String label) throws ServingException {
    if (label != null) {
      throw ServingException.notFound(
          "Model "
              + versions.modelName()
              + " has no version label "
              + "\""
              + decode(label)
              + "\": jkeras serving has no labels, use /versions/N");
    }
    if (version == null) {
      return OptionalLong.empty();
    }
    if (!VERSION.matcher(version).matches()) {
      throw ServingException.invalid(
          "Invalid version \""
              + decode(version)
              + "\": versions are "
              + "non-negative integers (the version folder names)");
    }
    return OptionalLong.of(Long.parseLong(version));
  }

  private Reply health() throws ServingException {
    var serving = versions.serving();
    long newest = serving.isEmpty() ? -1 : serving.firstKey();
    List<VersionStatus> failed =
        versions.failedVersions().stream().filter(f -> f.version() > newest).toList();
    if (serving.isEmpty()) {
      throw new ServingException(
          ErrorCode.UNAVAILABLE,
          withoutPaths(
              "Model "
                  + versions.modelName()
                  + " has no version available"
                  + (failed.isEmpty() ? "" : ": " + failed.get(0).errorMessage())));
    }
    return Reply.json(
        ServingJson.write(
            g -> {
              g.writeStartObject();
              g.writeStringField("status", failed.isEmpty() ? "ok" : "degraded");
              g.writeStringField("model_name", versions.modelName());
              g.writeArrayFieldStart("serving_versions");
              for (Long v : serving.keySet()) {
                g.writeString(Long.toString(v));
              }
              g.writeEndArray();
              // Newer versions that cannot serve: the default version is older than intended.
              g.writeArrayFieldStart("failed_versions");
              for (VersionStatus f : failed) {
                g.writeStartObject();
                g.writeStringField("version", Long.toString(f.version()));
                g.writeStringField("error_message", withoutPaths(f.errorMessage()));
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  private Reply status(String model, OptionalLong version) throws ServingException {
    List<VersionStatus> all = versions.status(version);
    return Reply.json(
        ServingJson.write(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("model_version_status");
              for (VersionStatus s : all) {
                g.writeStartObject();
                g.writeStringField("version", Long.toString(s.version()));
                g.writeStringField("state", s.state());
                g.writeObjectFieldStart("status");
                g.writeStringField("error_code", s.errorCode().name());
                g.writeStringField("error_message", withoutPaths(s.errorMessage()));
                g.writeEndObject();
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  private Reply metadata(String model, OptionalLong version) throws ServingException {
    try (LoadedVersion.Lease lease = versions.acquire(version)) {
      long v = lease.version().version();
      Map<String, SignatureSpec> sigs = lease.version().model().signatures();
      return Reply.json(
          ServingJson.write(
              g -> {
                g.writeStartObject();
                g.writeObjectFieldStart("model_spec");
                g.writeStringField("name", model);
                g.writeStringField("signature_name", "");
                g.writeStringField("version", Long.toString(v));
                g.writeEndObject();
                g.writeObjectFieldStart("metadata");
                g.writeObjectFieldStart("signature_def");
                g.writeObjectFieldStart("signature_def");
                for (Map.Entry<String, SignatureSpec> e : sigs.entrySet()) {
                  g.writeObjectFieldStart(e.getKey());
                  writeTensorInfos(g, "inputs", e.getValue().inputs());
                  writeTensorInfos(g, "outputs", e.getValue().outputs());
                  g.writeStringField(
                      "method_name",
                      e.getValue().methodName() == null ? "" : e.getValue().methodName());
                  g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
              }));
    }
  }

  private static void writeTensorInfos(JsonGenerator g, String field, Map<String, TensorSpec> specs)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, TensorSpec> e : specs.entrySet()) {
      TensorSpec t = e.getValue();
      g.writeObjectFieldStart(e.getKey());
      g.writeStringField("dtype", t.dtype());
      g.writeObjectFieldStart("tensor_shape");
      g.writeArrayFieldStart("dim");
      if (t.hasRank()) {
        for (long d : t.shape()) {
          g.writeStartObject();
          g.writeStringField("size", Long.toString(d));
          g.writeStringField("name", "");
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeBooleanField("unknown_rank", !t.hasRank());
      g.writeEndObject();
      g.writeStringField("name", t.name());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /**
   * Reads and runs a predict request. Its decoded inputs count against the tensor budget until its
   * reply is complete.
   */
  private CompletableFuture<Reply> predict(
      String model, OptionalLong version, Request request, ModelRunner.Arrival arrival)
      throws ServingException {
    TensorBudget.Claim claim = budget.claim();
    CompletableFuture<Reply> reply;
    try {
      Executor workers = request.getComponents().getExecutor();
      reply =
          parse(request, claim, workers)
              .thenCompose(
                  parsed -> {
                    try {
                      return predict(model, version, parsed, arrival, workers);
                    } catch (ServingException e) {
                      return CompletableFuture.failedFuture(e);
                    }
                  });
    } catch (Throwable e) {
      claim.close();
      throw e;
    }
    return reply.whenComplete((r, e) -> claim.close());
  }

  /**
   * Parses a predict body: on this thread when all of it has arrived (up to {@link
   * #INLINE_BODY_BYTES}), else on a worker thread, which may wait for the rest (when the handler
   * blocks anyway, on this thread).
   */
  private CompletableFuture<PredictCodec.Request> parse(
      Request request, TensorBudget.Claim claim, Executor workers) throws ServingException {
    long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (declared > maxBodyBytes) {
      throw tooLarge(declared + " bytes");
    }
    ByteArrayOutputStream arrived = new ByteArrayOutputStream();
    try {
      while (arrived.size() <= INLINE_BODY_BYTES) {
        Content.Chunk c = request.read();
        if (c == null) {
          break;
        }
        try {
          if (Content.Chunk.isFailure(c)) {
            Throwable f = c.getFailure();
            throw new BodyNotRead(f instanceof IOException io ? io : new IOException(f));
          }
          ByteBuffer b = c.getByteBuffer();
          if (arrived.size() + (long) b.remaining() > maxBodyBytes) {
            throw tooLarge("more than " + maxBodyBytes + " bytes");
          }
          byte[] bytes = new byte[b.remaining()];
          b.get(bytes);
          arrived.write(bytes, 0, bytes.length);
          if (c.isLast()) {
            return CompletableFuture.completedFuture(
                parse(new ByteArrayInputStream(arrived.toByteArray()), claim));
          }
        } finally {
          c.release();
        }
      }
    } catch (ServingException | BodyNotRead e) {
      return CompletableFuture.failedFuture(e);
    }
    byte[] head = arrived.toByteArray();
    Executor where = runner.batching() ? workers : Runnable::run;
    return CompletableFuture.supplyAsync(
        () -> {
          try (InputStream rest = body(request, head.length)) {
            return parse(new SequenceInputStream(new ByteArrayInputStream(head), rest), claim);
          } catch (ServingException | BodyNotRead | IOException e) {
            throw new CompletionException(e);
          }
        },
        where);
  }

  /** Parses a whole predict body from {@code in}. */
  private PredictCodec.Request parse(InputStream in, TensorBudget.Claim claim)
      throws ServingException, BodyNotRead {
    try {
      return new PredictBodyReader(
              new PredictBodyReader.Limits(
                  limits.maxInstancesPerRequest(), limits.maxTensorBytes()),
              claim)
          .read(in);
    } catch (BodyTooLarge e) {
      throw tooLarge("more than " + maxBodyBytes + " bytes");
    } catch (IOException e) {
      throw new BodyNotRead(e);
    }
  }

  /** Runs a parsed predict request on a leased version, kept until the reply is encoded. */
  private CompletableFuture<Reply> predict(
      String model,
      OptionalLong version,
      PredictCodec.Request parsed,
      ModelRunner.Arrival arrival,
      Executor workers)
      throws ServingException {
    LoadedVersion.Lease lease = versions.acquire(version);
    CompletableFuture<Reply> reply;
    try {
      LoadedVersion lv = lease.version();
      SignatureSpec sig = lv.model().signatures().get(parsed.signatureName());
      if (sig == null) {
        throw ServingException.invalid(
            "Serving signature \""
                + parsed.signatureName()
                + "\" not found in version "
                + lv.version()
                + " of model "
                + model
                + "; its signatures are "
                + lv.model().signatures().keySet());
      }
      Map<String, TensorData> inputs = PredictCodec.inputs(parsed, sig);
      reply =
          runner
              .run(lv, sig, inputs, arrival, workers)
              .handle(
                  (outputs, error) -> {
                    try {
                      if (error != null) {
                        throw runFailure(error, model, lv, sig);
                      }
                      return Reply.json(PredictCodec.response(parsed.rowFormat(), sig, outputs));
                    } catch (ServingException e) {
                      throw new CompletionException(e);
                    }
                  });
    } catch (Throwable e) {
      lease.close();
      throw e;
    }
    return reply.whenComplete((r, e) -> lease.close());
  }

  /** The error reply's exception for a run of {@code sig} that failed with {@code error}. */
  private static ServingException runFailure(
      Throwable error, String model, LoadedVersion lv, SignatureSpec sig) {
    Throwable e = unwrapped(error);
    if (e instanceof ServingException se) {
      return se;
    }
    if (e instanceof IllegalArgumentException) {
      return ServingException.invalid(e.getMessage());
    }
    return new ServingException(
        ErrorCode.INTERNAL,
        500,
        "Model "
            + model
            + " version "
            + lv.version()
            + " failed to run signature \""
            + sig.name()
            + "\": "
            + e,
        e);
  }

  /**
   * Drops what has already arrived of the request body, without waiting for more (a slow client
   * must not hold the thread), so the connection can serve the next request. False when bytes may
   * be left unread.
   */
  private boolean drainBody(Request request) {
    try {
      long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
      if (declared > maxBodyBytes) {
        return false;
      }
      long seen = 0;
      while (seen <= maxBodyBytes) {
        Content.Chunk c = request.read();
        if (c == null) {
          return false;
        }
        try {
          if (Content.Chunk.isFailure(c)) {
            return false;
          }
          seen += c.remaining();
          if (c.isLast()) {
            return true;
          }
        } finally {
          c.release();
        }
      }
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The rest of the request body after {@code alreadyRead} bytes, failing with {@link BodyTooLarge}
   * past the size limit.
   */
  private InputStream body(Request request, long alreadyRead) {
    InputStream raw = Content.Source.asInputStream(request);
    SlowUploadGuard.Upload upload =
        slowUploads.watch(
            () -> request.getConnectionMetaData().getConnection().getEndPoint().close());
    return new FilterInputStream(raw) {
      private long seen = alreadyRead;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        upload.reading();
        int n = super.read(b, off, len);
        upload.received(n);
        if (n > 0 && (seen += n) > maxBodyBytes) {
          throw new BodyTooLarge();
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        upload.close();
        super.close();
      }
    };
  }

  private ServingException tooLarge(String size) {
    return new ServingException(
        ErrorCode.INVALID_ARGUMENT,
        413,
        "The request body ("
            + size
            + ") is over the limit of "
            + maxBodyBytes
            + " bytes (--max_body_bytes)",
        null);
  }
}
