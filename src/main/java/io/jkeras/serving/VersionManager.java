package io.jkeras.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the versions of one model loaded, following the numbered folders under its base path the
 * way TensorFlow Serving does ({@code models/fm/1}, {@code models/fm/2}, ...).
 *
 * <p>Policy: every poll lists the numeric subfolders. The newest {@code maxVersions} of them that
 * have not failed to load (all of them when {@code maxVersions} is 0) are kept loaded; the newest
 * loaded one serves requests that name no version, the others stay addressable as {@code
 * /versions/N}. New folders are loaded in the background, newest first, and swapped in atomically:
 * requests already running on the old version finish on it, and it is closed after the last of
 * them. A version whose folder disappears, or that falls out of the newest {@code maxVersions}, is
 * unloaded the same way. A version becomes AVAILABLE only after a warm-up run of its default
 * signature on one instance of zeros succeeds. A version that fails to load or warm up is reported
 * in the status (state {@code END}, error code {@code UNKNOWN}, the loader's message) and in the
 * log; the versions already loaded keep serving, and the failed folder is tried again when its
 * content changes (so write a version elsewhere and rename it into place, or just let the retry
 * happen).
 *
 * <pre>{@code
 * try (VersionManager versions = new VersionManager("fm", Path.of("models/fm"), loader, 0,
 *     metrics, System.err::println)) {
 *   versions.start(Duration.ofSeconds(1));
 *   try (LoadedVersion.Lease lease = versions.acquire(OptionalLong.empty())) {
 *     lease.version().model().run("serving_default", inputs);
 *   }
 * }
 * }</pre>
 */
final class VersionManager implements AutoCloseable {

  private static final Pattern VERSION_DIR = Pattern.compile("\\d{1,18}");

  private final String modelName;
  private final Path basePath;
  private final ModelLoader loader;
  private final int maxVersions;
  private final ServingMetrics metrics;
  private final Consumer<String> log;

  /** Versions that serve: loaded and not retired. */
  private final ConcurrentSkipListMap<Long, LoadedVersion> serving = new ConcurrentSkipListMap<>();

  /** What the status API reports, by version. */
  private final Map<Long, VersionStatus> statuses = new ConcurrentHashMap<>();

  /** Versions that failed to load, with the content fingerprint they failed with. */
  private final Map<Long, String> failed = new ConcurrentHashMap<>();

  /** Versions retired and not yet closed. */
  private final Set<LoadedVersion> closing = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService poller;
  private final ExecutorService closer;
  private volatile Map<Long, Path> lastOnDisk = Map.of();
  private volatile String lastScanError;
  private volatile boolean closed;

  VersionManager(
      String modelName,
      Path basePath,
      ModelLoader loader,
      int maxVersions,
      ServingMetrics metrics,
      Consumer<String> log) {
    this.modelName = modelName;
    this.basePath = basePath;
    this.loader = loader;
    this.maxVersions = maxVersions;
    this.metrics = metrics;
    this.log = log;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "versions"));
    this.closer = Executors.newSingleThreadExecutor(r -> daemon(r, "unload"));
  }

  private Thread daemon(Runnable r, String what) {
    Thread t = new Thread(r, "jkeras-serving-" + what + "-" + modelName);
    t.setDaemon(true);
    return t;
  }

  /**
   * Loads what is on disk now (blocking), then polls every {@code interval} in the background; an
   * interval of zero polls only this once.
   */
  void start(Duration interval) {
    pollOnce();
    if (interval.isZero()) {
      return;
    }
    long ms = Math.max(1, interval.toMillis());
    poller.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void pollQuietly() {
    try {
      pollOnce();
    } catch (RuntimeException | Error e) {
      log.accept("model " + modelName + ": version poll failed: " + e);
    }
  }

  /** One scan of the base path: loads new versions, unloads removed ones. */
  synchronized void pollOnce() {
    if (closed) {
      return;
    }
    Map<Long, Path> onDisk;
    try {
      onDisk = scan();
      lastScanError = null;
    } catch (IOException e) {
      String msg = "cannot list " + basePath + ": " + e.getMessage();
      if (!msg.equals(lastScanError)) {
        log.accept("model " + modelName + ": " + msg + " (keeping the loaded versions)");
      }
      lastScanError = msg;
      return;
    }
    lastOnDisk = onDisk;
    for (Long v : List.copyOf(failed.keySet())) {
      Path dir = onDisk.get(v);
      if (dir == null) {
        failed.remove(v);
        statuses.remove(v);
      } else if (!fingerprint(dir).equals(failed.get(v))) {
        failed.remove(v);
      }
    }
    while (!closed) {
      TreeSet<Long> wanted = wanted(onDisk);
      Long next = null;
      for (Long v : wanted.descendingSet()) {
        if (!serving.containsKey(v)) {
          next = v;
          break;
        }
      }
      if (next == null) {
        break;
      }
      load(next, onDisk.get(next));
    }
    TreeSet<Long> wanted = wanted(onDisk);
    for (Long v : List.copyOf(serving.keySet())) {
      if (!wanted.contains(v)) {
        LoadedVersion lv = serving.remove(v);
        String why =
            onDisk.containsKey(v) ? "older than the newest " + maxVersions : "its folder is gone";
        log.accept("model " + modelName + ": unloading version " + v + " (" + why + ")");
        retire(lv);
      }
    }
  }

  private TreeSet<Long> wanted(Map<Long, Path> onDisk) {
    TreeSet<Long> wanted = new TreeSet<>();
    for (Long v : new TreeSet<>(onDisk.keySet()).descendingSet()) {
      if (maxVersions > 0 && wanted.size() >= maxVersions) {
        break;
      }
      if (!failed.containsKey(v)) {
        wanted.add(v);
      }
    }
    return wanted;
  }

  private Map<Long, Path> scan() throws IOException {
    Map<Long, Path> found = new TreeMap<>();
    try (Stream<Path> s = Files.list(basePath)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (VERSION_DIR.matcher(name).matches() && Files.isDirectory(p)) {
          found.merge(Long.parseLong(name), p, (a, b) -> a);
        }
      }
    }
    return found;
  }

  private void load(long version, Path dir) {
    statuses.put(version, new VersionStatus(version, VersionStatus.LOADING, ErrorCode.OK, ""));
    log.accept("model " + modelName + ": loading version " + version + " from " + dir);
    long t0 = System.nanoTime();
    ServableModel model;
    try {
      model = loader.load(dir);
      if (model == null) {
        throw new IllegalStateException("the loader returned no model");
      }
      if (model.signatures() == null || model.signatures().isEmpty()) {
        try {
          model.close();
        } catch (Exception ignored) {
          // the model is unusable anyway
        }
        throw new IllegalStateException("the model has no signatures");
      }
      warmUp(model);
    } catch (Exception | LinkageError e) {
      String msg =
          "Failed to load version "
              + version
              + " of model "
              + modelName
              + " from "
              + dir
              + ": "
              + (e.getMessage() == null ? e.toString() : e.getMessage());
      failed.put(version, fingerprint(dir));
      statuses.put(version, new VersionStatus(version, VersionStatus.END, ErrorCode.UNKNOWN, msg));
      metrics.recordLoad(false);
      log.accept(
          "model "
              + modelName
              + ": "
              + msg
              + "; still serving "
              + (serving.isEmpty() ? "nothing" : "versions " + serving.keySet()));
      return;
    }
    if (closed) {
      try {
        model.close();
      } catch (Exception ignored) {
        // shutting down
      }
      return;
    }
    LoadedVersion lv = new LoadedVersion(version, model, this::closeLater);
    serving.put(version, lv);
    statuses.put(version, new VersionStatus(version, VersionStatus.AVAILABLE, ErrorCode.OK, ""));
    metrics.recordLoad(true);
    log.accept(
        String.format(
            java.util.Locale.ROOT,
            "model %s: version %d is available (loaded in %.2f s); serving versions %s",
            modelName,
            version,
            (System.nanoTime() - t0) / 1e9,
            serving.descendingKeySet()));
  }

  /**
   * Runs the default signature once on one instance of zeros (TensorFlow Serving's warm-up idea),
   * so that a version that loads but cannot run (a SavedModel without its variables, say) never
   * becomes AVAILABLE. Closes the model and throws when the run fails.
   */
  private static void warmUp(ServableModel model) throws Exception {
    SignatureSpec sig = model.signatures().get(ServableModel.DEFAULT_SIGNATURE);
    if (sig == null) {
      return;
    }
    Map<String, TensorData> inputs = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, TensorSpec> e : sig.inputs().entrySet()) {
      long[] shape = e.getValue().shape();
      if (shape == null || !TensorData.isSupported(e.getValue().dtype())) {
        return;
      }
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shape[i] < 0 ? 1 : shape[i];
      }
      inputs.put(e.getKey(), TensorData.zeros(e.getValue().dtype(), shape));
    }
    try {
      model.run(sig.name(), inputs);
    } catch (Exception | LinkageError e) {
      try {
        model.close();
      } catch (Exception ignored) {
        // the model is unusable anyway
      }
      throw new IllegalStateException(
          "the warm-up run of signature \""
              + sig.name()
              + "\" on one instance of zeros failed: "
              + (e.getMessage() == null ? e.toString() : e.getMessage()),
          e);
    }
  }

  /** Versions on disk that failed to load or warm up, newest first, with their messages. */
  List<VersionStatus> failedVersions() {
    List<VersionStatus> out = new ArrayList<>();
    for (Long v : new TreeSet<>(failed.keySet()).descendingSet()) {
      VersionStatus s = statuses.get(v);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private void retire(LoadedVersion lv) {
    statuses.put(
        lv.version(), new VersionStatus(lv.version(), VersionStatus.UNLOADING, ErrorCode.OK, ""));
    closing.add(lv);
    lv.retire();
  }

  /** Called by the last lease holder; closes the model off the request thread. */
  private void closeLater(LoadedVersion lv) {
    try {
      closer.execute(() -> closeNow(lv));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      closeNow(lv);
    }
  }

  private void closeNow(LoadedVersion lv) {
    try {
      lv.model().close();
    } catch (Exception e) {
      log.accept("model " + modelName + ": closing version " + lv.version() + " failed: " + e);
    }
    long v = lv.version();
    if (!serving.containsKey(v)) {
      if (lastOnDisk.containsKey(v) && !closed) {
        statuses.put(v, new VersionStatus(v, VersionStatus.END, ErrorCode.OK, ""));
      } else {
        statuses.remove(v, statuses.get(v));
      }
    }
    synchronized (closing) {
      closing.remove(lv);
      closing.notifyAll();
    }
  }

  /** A content fingerprint of a version folder: file names, sizes and modification times. */
  private static String fingerprint(Path dir) {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.walk(dir, 8)) {
      s.sorted(Comparator.naturalOrder())
          .forEach(
              p -> {
                try {
                  BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                  sb.append(p)
                      .append(':')
                      .append(a.size())
                      .append(':')
                      .append(a.lastModifiedTime().toMillis())
                      .append(';');
                } catch (IOException e) {
                  sb.append(p).append(":?;");
                }
              });
    } catch (IOException | java.io.UncheckedIOException e) {
      sb.append("unreadable");
    }
    return Integer.toHexString(sb.toString().hashCode()) + ":" + sb.length();
  }

  /**
   * A lease on the requested version (the newest serving one when empty).
   *
   * @throws ServingException NOT_FOUND when no such version serves
   */
  LoadedVersion.Lease acquire(OptionalLong version) throws ServingException {
    if (version.isPresent()) {
      long v = version.getAsLong();
      LoadedVersion lv = serving.get(v);
      LoadedVersion.Lease lease = lv == null ? null : lv.tryAcquire();
      if (lease == null) {
        throw ServingException.notFound(versionMissing(v));
      }
      return lease;
    }
    while (true) {
      Map.Entry<Long, LoadedVersion> e = serving.lastEntry();
      if (e == null) {
        throw ServingException.notFound(noVersion());
      }
      LoadedVersion.Lease lease = e.getValue().tryAcquire();
      if (lease != null) {
        return lease;
      }
      Thread.onSpinWait();
    }
  }

  private String versionMissing(long v) {
    VersionStatus s = statuses.get(v);
    String why;
    if (s == null) {
      why = "there is no folder " + v + " under " + basePath;
    } else if (s.errorCode() != ErrorCode.OK) {
      why = s.errorMessage();
    } else {
      why = "its state is " + s.state();
    }
    return "Version "
        + v
        + " of model "
        + modelName
        + " is not available: "
        + why
        + "; serving versions: "
        + serving.descendingKeySet();
  }

  private String noVersion() {
    if (lastScanError != null) {
      return "Model " + modelName + " has no version available: " + lastScanError;
    }
    if (statuses.isEmpty()) {
      return "Model "
          + modelName
          + " has no version available: no numbered version folder "
          + "under "
          + basePath;
    }
    return "Model " + modelName + " has no version available; versions: " + statuses.values();
  }

  /**
   * The status of one version, or of all known versions (newest first).
   *
   * @throws ServingException NOT_FOUND for an unknown version or a model with none
   */
  List<VersionStatus> status(OptionalLong version) throws ServingException {
    if (version.isPresent()) {
      VersionStatus s = statuses.get(version.getAsLong());
      if (s == null) {
        throw ServingException.notFound(
            "Model "
                + modelName
                + " has no version "
                + version.getAsLong()
                + "; known versions: "
                + new TreeSet<>(statuses.keySet()).descendingSet());
      }
      return List.of(s);
    }
    List<VersionStatus> all = new ArrayList<>(statuses.values());
    if (all.isEmpty()) {
      throw ServingException.notFound(noVersion());
    }
    all.sort(Comparator.comparingLong(VersionStatus::version).reversed());
    return all;
  }

  /** Version numbers that serve now, newest first. */
  NavigableMap<Long, LoadedVersion> serving() {
    return serving.descendingMap();
  }

  String modelName() {
    return modelName;
  }

  Path basePath() {
    return basePath;
  }

  /**
   * Stops polling, takes every version out of service and waits up to {@code timeout} for their
   * requests to finish and their models to close.
   */
  void close(Duration timeout) {
    closed = true;
    poller.shutdownNow();
    try {
      poller.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Long v : List.copyOf(serving.keySet())) {
      LoadedVersion lv = serving.remove(v);
      if (lv != null) {
        retire(lv);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (closing) {
      while (!closing.isEmpty() && System.nanoTime() < deadline) {
        try {
          closing.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (!closing.isEmpty()) {
        log.accept(
            "model "
                + modelName
                + ": "
                + closing.size()
                + " version(s) still in use after "
                + timeout
                + "; not closed");
      }
    }
    closer.shutdown();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
