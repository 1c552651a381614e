package io.jkeras.backend;

import org.tensorflow.proto.ConfigProto;

/**
 * How TensorFlow runs a model's graph: thread pools, device placement and an operation timeout.
 * Immutable; set it per model with {@code model.sessionOptions(...)} or for every model created
 * (and SavedModel loaded) afterwards with {@link #setDefaults}.
 *
 * <pre>{@code
 * SessionOptions one = SessionOptions.builder().intraOpThreads(1).interOpThreads(1).build();
 * model.sessionOptions(one);                      // this model
 * SessionOptions.setDefaults(one);                // every model created from now on
 * }</pre>
 *
 * <p>The defaults are TensorFlow's (thread pools sized by TensorFlow from the cores, soft placement
 * on, no timeout). TensorFlow sizes its thread pools once per process, from the first session
 * created: set threads with {@link #setDefaults} before the first model runs (a later model asking
 * for other sizes runs on the first pools, and jkeras logs a warning). Measured on a 2-core machine
 * (docs/speed.md): models of small ops, such as CTR models of embeddings and dense layers (DeepFM,
 * DCN-v2), train 1.2-1.6x faster with {@code intraOpThreads(1)}, where independent ops run side by
 * side instead of each op splitting across the cores; models with large convolutions or products
 * (the IMDB Conv1D models, xDeepFM's CIN) run 1.3-1.4x slower with it. {@code jkeras ctr} chooses
 * per run.
 *
 * <p>Two settings the {@code ./jkeras} launcher applies live outside the JVM and cannot be set from
 * Java: {@code TF_ENABLE_ONEDNN_OPTS=0} (read when TensorFlow's native library loads) and {@code
 * GLIBC_TUNABLES=glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=536870912:glibc.malloc.arena_max=1}
 * (read when the process starts): ~1.5x faster training at small batches, and 4x faster IMDB
 * training and 7x faster predict at batch 1024 (docs/speed.md). Java cannot change its own
 * environment, so a program using the library sets them where it starts the JVM (shell, Maven
 * surefire's {@code environmentVariables}, Gradle's {@code environment}, a container's {@code
 * ENV}); {@link #environmentAdvice()} says which are missing. The same holds for {@code
 * TF_CPP_MIN_LOG_LEVEL} (2 hides TensorFlow's native start-up lines).
 */
public record SessionOptions(
    int intraOpThreads,
    int interOpThreads,
    String device,
    boolean allowSoftPlacement,
    boolean logDevicePlacement,
    long operationTimeoutMillis) {

  private static volatile SessionOptions defaults = builder().build();

  /** Checks the values; use {@link #builder()} to create options. */
  public SessionOptions {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException(
          "SessionOptions: intraOpThreads must be >= 0 (0: TensorFlow chooses), got "
              + intraOpThreads);
    }
    if (interOpThreads < -1) {
      throw new IllegalArgumentException(
          "SessionOptions: interOpThreads must be >= -1 (0: TensorFlow chooses, -1: every op on"
              + " the calling thread), got "
              + interOpThreads);
    }
    if (operationTimeoutMillis < 0) {
      throw new IllegalArgumentException(
          "SessionOptions: operationTimeoutMillis must be >= 0 (0: none), got "
              + operationTimeoutMillis);
    }
    if (device != null) {
      GraphSession.parseDevice(device);
    }
  }

  /**
   * A builder starting from TensorFlow's defaults.
   *
   * <pre>{@code
   * SessionOptions o = SessionOptions.builder().device("/GPU:0").logDevicePlacement(true).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options.
   *
   * <pre>{@code
   * SessionOptions single = SessionOptions.defaults().toBuilder().intraOpThreads(1).build();
   * }</pre>
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.intraOpThreads = intraOpThreads;
    b.interOpThreads = interOpThreads;
    b.device = device;
    b.allowSoftPlacement = allowSoftPlacement;
    b.logDevicePlacement = logDevicePlacement;
    b.operationTimeoutMillis = operationTimeoutMillis;
    return b;
  }

  /**
   * The options of models that set none themselves.
   *
   * <pre>{@code
   * int threads = SessionOptions.defaults().intraOpThreads();  // 0: TensorFlow chooses
   * }</pre>
   */
  public static SessionOptions defaults() {
    return defaults;
  }

  /**
   * Replaces the options of models created from now on that set none themselves (models already
   * running keep theirs). Thread counts take effect only before the process's first session, which
   * sizes TensorFlow's thread pools.
   *
   * <pre>{@code
   * SessionOptions.setDefaults(SessionOptions.builder().intraOpThreads(4).build());
   * }</pre>
   */
  public static void setDefaults(SessionOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("SessionOptions.setDefaults: options must not be null");
    }
    defaults = options;
  }

  /**
   * These options as TensorFlow's session {@code ConfigProto}.
   *
   * <pre>{@code
   * ConfigProto proto = SessionOptions.defaults().toConfigProto();
   * }</pre>
   */
  public ConfigProto toConfigProto() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setAllowSoftPlacement(allowSoftPlacement)
        .setLogDevicePlacement(logDevicePlacement)
        .setOperationTimeoutInMs(operationTimeoutMillis)
        .build();
  }

  /**
   * The process-level settings of the {@code ./jkeras} launcher missing from this JVM's
   * environment, as {@code NAME=value} lines to set before starting it, or an empty string.
   *
   * <pre>{@code
   * String missing = SessionOptions.environmentAdvice();
   * if (!missing.isEmpty()) System.err.println("For faster CPU training set:\n" + missing);
   * }</pre>
   */
  public static String environmentAdvice() {
    StringBuilder sb = new StringBuilder();
    if (System.getenv("TF_ENABLE_ONEDNN_OPTS") == null) {
      sb.append("TF_ENABLE_ONEDNN_OPTS=0\n");
    }
    if (System.getenv("GLIBC_TUNABLES") == null
        && System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      sb.append(
          "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=268435456"
              + ":glibc.malloc.trim_threshold=536870912:glibc.malloc.arena_max=1\n");
    }
    if (System.getenv("TF_CPP_MIN_LOG_LEVEL") == null) {
      sb.append("TF_CPP_MIN_LOG_LEVEL=2\n");
    }
    return sb.toString();
  }

  /** Builds {@link SessionOptions}; every setter returns the builder. */
  public static final class Builder {
    private int intraOpThreads;
    private int interOpThreads;
    private String device;
    private boolean allowSoftPlacement = true;
    private boolean logDevicePlacement;
    private long operationTimeoutMillis;

    private Builder() {}

    /** Threads one op may use (matrix products, convolutions); 0 lets TensorFlow choose. */
    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * Independent ops run at once; 0 lets TensorFlow choose; -1 runs every op on the thread that
     * runs the model, one after the other (no hand-off to TensorFlow's pool: with {@code
     * intraOpThreads(1)}, the fastest choice for many small concurrent runs such as a server's).
     */
    public Builder interOpThreads(int threads) {
      this.interOpThreads = threads;
      return this;
    }

    /** Places the model's ops on a device such as {@code "/GPU:0"}; null lets TensorFlow place. */
    public Builder device(String device) {
      this.device = device;
      return this;
    }

    /** Runs an op on the CPU when its device is absent (default true). */
    public Builder allowSoftPlacement(boolean allow) {
      this.allowSoftPlacement = allow;
      return this;
    }

    /** Logs (to TensorFlow's native log) the device each op is placed on (default false). */
    public Builder logDevicePlacement(boolean log) {
      this.logDevicePlacement = log;
      return this;
    }

    /** Fails a blocking op after this many milliseconds; 0 (default) waits forever. */
    public Builder operationTimeoutMillis(long millis) {
      this.operationTimeoutMillis = millis;
      return this;
    }

    /** The immutable options; throws IllegalArgumentException on a bad value. */
    public SessionOptions build() {
      return new SessionOptions(
          intraOpThreads,
          interOpThreads,
          device,
          allowSoftPlacement,
          logDevicePlacement,
          operationTimeoutMillis);
    }
  }
}
