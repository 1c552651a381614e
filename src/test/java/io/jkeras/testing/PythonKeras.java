package io.jkeras.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python code with the project's pinned Keras (the venv that {@code python-interop/setup}
 * creates), so tests can check files against real Keras. A missing venv fails the test: the Python
 * round trips must never be skipped silently.
 *
 * <p>Scripts live under {@code src/test/python/}. The child process gets {@code
 * TF_CPP_MIN_LOG_LEVEL=3}; a non-zero exit or a timeout fails the test with everything the process
 * printed.
 *
 * <pre>{@code
 * PythonKeras.Result r = PythonKeras.runScript("saving/keras_loads_java_weights.py", file.toString());
 * String version = PythonKeras.runCode("import keras; print(keras.__version__)").stdout().trim();
 * }</pre>
 */
public final class PythonKeras {

  /** Long enough for TensorFlow's import plus a small fit on a busy two-core machine. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private PythonKeras() {}

  /** What a finished Python process printed. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** The repository root: the first folder at or above {@code user.dir} with python-interop/. */
  public static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("python-interop/requirements.txt"))) {
        return d;
      }
    }
    return fail("No python-interop/requirements.txt at or above user.dir " + dir);
  }

  /** The venv's python; fails the test (never skips) when the venv has not been created. */
  public static Path python() {
    Path root = repoRoot();
    Path python = root.resolve("python-interop/.venv/bin/python");
    if (!Files.isExecutable(python)) {
      fail(
          "The Python Keras environment is missing ("
              + python
              + "). Run "
              + root.resolve("python-interop/setup")
              + " once (./run-tests does it), then test again.");
    }
    return python;
  }

  /** A script under {@code src/test/python/}. */
  public static Path script(String relativePath) {
    Path p = repoRoot().resolve("src/test/python").resolve(relativePath);
    if (!Files.isRegularFile(p)) {
      fail("No Python test script " + p);
    }
    return p;
  }

  /** Runs a script under {@code src/test/python/} with these arguments. */
  public static Result runScript(String relativePath, String... args) {
    return runScript(script(relativePath), DEFAULT_TIMEOUT, args);
  }

  /** Runs a script file with these arguments. */
  public static Result runScript(Path script, Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(python().toString());
    command.add(script.toString());
    command.addAll(List.of(args));
    return run(command, timeout);
  }

  /** Runs inline code ({@code python -c code args...}). */
  public static Result runCode(String code, String... args) {
    List<String> command = new ArrayList<>();
    command.add(python().toString());
    command.add("-c");
    command.add(code);
    command.addAll(List.of(args));
    return run(command, DEFAULT_TIMEOUT);
  }

  private static Result run(List<String> command, Duration timeout) {
    Path out = null;
    Path err = null;
    Process process = null;
    try {
      out = Files.createTempFile("jkeras-python-", ".out");
      err = Files.createTempFile("jkeras-python-", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(repoRoot().toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
      pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      pb.environment().put("KERAS_BACKEND", "tensorflow");
      process = pb.start();
      process.getOutputStream().close();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (!finished) {
        fail(
            "Python timed out after "
                + timeout.toSeconds()
                + " s: "
                + describe(command)
                + output(stdout, stderr));
      }
      Result result = new Result(process.exitValue(), stdout, stderr);
      if (result.exitCode() != 0) {
        fail(
            "Python exited with "
                + result.exitCode()
                + ": "
                + describe(command)
                + output(stdout, stderr));
      }
      return result;
    } catch (IOException e) {
      return fail("Could not run Python: " + describe(command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("Interrupted while running Python: " + describe(command), e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static String describe(List<String> command) {
    List<String> shown = new ArrayList<>(command);
    int c = shown.indexOf("-c");
    if (c >= 0 && c + 1 < shown.size()) {
      shown.set(c + 1, "<inline code>\n" + shown.get(c + 1) + "\n");
    }
    return String.join(" ", shown);
  }

  private static String output(String stdout, String stderr) {
    return "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // A leftover temp file is harmless.
      }
    }
  }
}
