package io.jkeras.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files under the shared folder beside the repository ({@code ../shared}, as CI clones it), or
 * under {@code $JKERAS_SHARED} when set (a git worktree elsewhere). A missing file fails the test.
 */
public final class SharedFiles {

  private SharedFiles() {}

  /** {@code relative} under the shared folder; fails the test when it does not exist. */
  public static Path get(String relative) {
    String env = System.getenv("JKERAS_SHARED");
    Path root =
        env != null && !env.isEmpty()
            ? Path.of(env)
            : PythonKeras.repoRoot().resolve("../shared").normalize();
    Path p = root.resolve(relative);
    if (!Files.exists(p)) {
      fail("shared file missing: " + p + " (../shared beside the repository, or $JKERAS_SHARED)");
    }
    return p;
  }
}
