package io.jkeras.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs small Python scripts from tests, for checks against the real NumPy. The interpreter is
 * {@code $JKERAS_PYTHON}, or {@code python3} on the PATH.
 *
 * <pre>{@code
 * assumeTrue(Python.hasModule("numpy"), "numpy is not installed for " + Python.command());
 * String out = Python.run("import numpy as np, sys; print(np.load(sys.argv[1]).sum())", path);
 * }</pre>
 */
public final class Python {

  private static final long TIMEOUT_SECONDS = 120;

  private Python() {}

  /** The interpreter command. */
  public static String command() {
    String env = System.getenv("JKERAS_PYTHON");
    return env == null || env.isBlank() ? "python3" : env;
  }

  /** True if the interpreter runs and can import {@code module}. */
  public static boolean hasModule(String module) {
    try {
      return exec("import " + module, List.of()).exitCode == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs {@code script} with {@code args} as {@code sys.argv[1:]} and returns its standard output.
   *
   * @throws AssertionError if the script exits with a non-zero status, with its output and errors
   */
  public static String run(String script, Object... args) throws IOException {
    List<String> list = new ArrayList<>();
    for (Object a : args) {
      list.add(String.valueOf(a));
    }
    Result r = exec(script, list);
    if (r.exitCode != 0) {
      throw new AssertionError(
          "python exited with " + r.exitCode + "\n--- stdout\n" + r.out + "\n--- stderr\n" + r.err);
    }
    return r.out;
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result exec(String script, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(command(), "-c", script));
    cmd.addAll(args);
    Path out = Files.createTempFile("python-out", ".txt");
    Path err = Files.createTempFile("python-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      boolean done;
      try {
        done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException("interrupted while waiting for python", e);
      }
      if (!done) {
        p.destroyForcibly();
        throw new IOException("python did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
