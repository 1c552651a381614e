package io.jkeras.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files under {@code ../shared} beside the repository (as CI clones it); missing ones fail. */
public final class SharedFiles {

  private SharedFiles() {}

  /** {@code relative} under the shared folder; fails the test when it does not exist. */
  public static Path get(String relative) {
    Path p = PythonKeras.repoRoot().resolve("../shared").normalize().resolve(relative);
    if (!Files.exists(p)) {
      fail("shared file missing: " + p + " (expected ../shared beside the repository)");
    }
    return p;
  }
}
