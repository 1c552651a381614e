package io.jkeras.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a half
 * written one: the content goes to a hidden temporary file in the same folder, which then replaces
 * the target by an atomic rename. On any failure the temporary file is removed and the target is
 * left as it was.
 *
 * <pre>{@code
 * AtomicFile.write(Path.of("out/results.json"), tmp -> Files.writeString(tmp, json));
 * }</pre>
 */
public final class AtomicFile {

  /** As {@link #write}, first creating the target's folder (and its parents) if needed. */
  public static void writeCreatingFolder(Path target, Content content) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    write(target, content);
  }

  /** Writes the complete content to {@code temporary}, which does not exist yet. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path temporary) throws IOException;
  }

  private AtomicFile() {}

  /**
   * Writes {@code target} through a temporary sibling.
   *
   * @throws java.nio.file.NoSuchFileException when the target's folder does not exist
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString(), null, "folder does not exist");
    }
    Path tmp =
        dir.resolve(
            "."
                + absolute.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    boolean moved = false;
    try {
      content.writeTo(tmp);
      try {
        Files.move(
            tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
