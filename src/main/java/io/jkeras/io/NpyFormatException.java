package io.jkeras.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid {@code .npy} file, or one that uses a feature {@link NpyFile} does not
 * support. The message names the file and the problem, with the expected and the actual value.
 *
 * <p>It extends {@link IOException} because a bad file is a problem with the input, not with the
 * calling code: callers of {@link NpyFile#read} handle it together with missing files and read
 * errors, and can catch it separately to tell "the bytes are wrong" from "the disk failed".
 *
 * <pre>{@code
 * try {
 *   NpyArray a = NpyFile.read(Path.of("x_train.npy"));
 * } catch (NpyFormatException e) {
 *   System.err.println(e.file() + ": " + e.problem());
 * }
 * }</pre>
 */
public class NpyFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /**
   * @param file the file being read or written
   * @param problem what is wrong, for example {@code "truncated data: expected 40 bytes, found 12"}
   */
  public NpyFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
    this.problem = problem;
  }

  /** The file being read or written. */
  public Path file() {
    return file;
  }

  /** The problem, without the file name. */
  public String problem() {
    return problem;
  }
}
