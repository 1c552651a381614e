package io.jkeras.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a half
 * written one: the content goes to a hidden temporary file in the same folder, is forced to disk,
 * and then replaces the target by an atomic rename, after which the folder is forced to disk too
 * (so a power loss leaves the old file or the new one, not an empty one). On any failure the
 * temporary file is removed and the target is left as it was. The temporary file's name holds the
 * writer's process id: a process killed mid-write leaves it behind, and the next write in the same
 * folder removes it (but never the file of a writer that is still running, unless it is a day old).
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
    /**
     * Writes the whole content to {@code temporary}; the file only replaces the target after this
     * returns.
     *
     * @param temporary a path in the target's folder that does not exist yet
     * @throws IOException if writing fails; the target is then left as it was
     */
    void writeTo(Path temporary) throws IOException;
  }

  private AtomicFile() {}

  /** Temporary files older than this are stale even if their process id is in use again. */
  private static final java.time.Duration STALE_AGE = java.time.Duration.ofHours(24);

  /**
   * The hidden name of a temporary sibling of {@code target}: {@code .NAME.PID-RANDOM.tmpSUFFIX},
   * so that {@link #removeStaleTemporaries} can tell whose it is.
   */
  public static String temporaryName(Path target, String suffix) {
    return "."
        + target.getFileName()
        + "."
        + ProcessHandle.current().pid()
        + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
        + ".tmp"
        + suffix;
  }

  /**
   * Deletes the temporary siblings of {@code target} that a killed writer left behind: those whose
   * process is no longer running, or that are older than a day. A live writer's file is kept. The
   * whole folder is swept (see {@link #removeStaleTemporariesIn}), so the leftovers of other
   * targets in it go too.
   */
  public static void removeStaleTemporaries(Path target) {
    removeStaleTemporariesIn(target.toAbsolutePath().getParent());
  }

  /**
   * Deletes the temporary files and folders named by {@link #temporaryName} in {@code folder} whose
   * writer is no longer running, or that are older than a day; a live writer's are kept, and so is
   * everything not named like a temporary (a missing name part, a process id that is not a number).
   * Best effort: what cannot be read or deleted stays.
   *
   * <pre>{@code
   * AtomicFile.removeStaleTemporariesIn(Path.of("export")); // before exporting export/2
   * }</pre>
   */
  public static void removeStaleTemporariesIn(Path folder) {
    long now = System.currentTimeMillis();
    long self = ProcessHandle.current().pid();
    try (java.nio.file.DirectoryStream<Path> entries =
        Files.newDirectoryStream(folder, ".*.tmp*")) {
      for (Path p : entries) {
        java.util.regex.Matcher m = TEMPORARY.matcher(p.getFileName().toString());
        if (!m.matches()) {
          continue; // not one of ours
        }
        long pid;
        try {
          pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
          continue;
        }
        boolean dead = pid != self && ProcessHandle.of(pid).isEmpty();
        boolean old =
            now - Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis()
                > STALE_AGE.toMillis();
        if (dead || old) {
          deleteTree(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a leftover temporary file does no harm to the next write.
    }
  }

  /** {@code .NAME.PID-HEX.tmpSUFFIX}: group 1 is the writer's process id. */
  private static final java.util.regex.Pattern TEMPORARY =
      java.util.regex.Pattern.compile("\\..+\\.(\\d{1,18})-[0-9a-f]+\\.tmp.*");

  /** Deletes a file, or a folder with everything in it (links are removed, not followed). */
  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (java.util.stream.Stream<Path> walk = Files.walk(p)) {
        for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(q);
        }
      }
    } else {
      Files.deleteIfExists(p);
    }
  }

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
    removeStaleTemporaries(absolute);
    Path tmp = dir.resolve(temporaryName(absolute, ""));
    boolean moved = false;
    try {
      try {
        content.writeTo(tmp);
      } catch (IOException e) {
        // "No space left on device" alone does not say which file.
        throw new IOException("cannot write " + absolute + ": " + e.getMessage(), e);
      }
      durability.force(tmp);
      try {
        Files.move(
            tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      durability.force(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Forces a finished file, or a folder and everything in it, to disk before it is renamed into
   * place, so that the rename never publishes content still held in memory. Writers of whole
   * folders (a SavedModel export) call it on their temporary folder, then {@link #forceFolder} on
   * the folder they renamed it into.
   *
   * <pre>{@code
   * AtomicFile.forceTree(temporaryExport);
   * Files.move(temporaryExport, target, StandardCopyOption.ATOMIC_MOVE);
   * AtomicFile.forceFolder(target.getParent());
   * }</pre>
   *
   * @throws IOException if a file cannot be forced to disk
   */
  public static void forceTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      // Deepest first: each folder after the entries in it.
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        durability.force(p);
      }
    }
  }

  /**
   * Forces a folder's entries (a rename into it) to disk. Best effort where the platform cannot
   * open a folder (Windows), as {@link #write} does after its rename.
   *
   * @throws IOException if the folder's entries cannot be forced to disk
   */
  public static void forceFolder(Path folder) throws IOException {
    durability.force(folder);
  }

  /** Forces one file or folder to disk; replaced by tests to see the order of the calls. */
  @FunctionalInterface
  interface Durability {
    void force(Path fileOrFolder) throws IOException;
  }

  static volatile Durability durability = AtomicFile::fsync;

  /**
   * fsync(2) of a file (opened for writing, which Windows needs to flush it) or a folder (opened
   * for reading, which only POSIX systems allow: elsewhere the rename's durability is the file
   * system's).
   */
  private static void fsync(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (java.nio.channels.FileChannel c =
          java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ)) {
        c.force(true);
      } catch (IOException e) {
        if (!isWindows()) {
          throw e;
        }
      }
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      try (java.nio.channels.FileChannel c =
          java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
        c.force(true);
      }
    }
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").startsWith("Windows");
  }
}
