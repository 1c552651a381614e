package io.jkeras.data;

import java.nio.file.Path;

/**
 * A data file that cannot be read as declared: an empty file, a ragged or malformed line, a label
 * that is not ±1/0/1, an id out of range. The message names the file, the line (1-based) and the
 * field (0-based) when there is one, and says what was expected and what was found. Readers throw
 * it before returning any rows, so nothing trains on part of a file.
 *
 * <pre>{@code
 * try {
 *   ClickData d = LibfmReader.builder().read(path);
 * } catch (DataFormatException e) {
 *   System.err.println(e.getMessage()); // frappe.test.libfm:17: field 3: id 9999 is out of range...
 * }
 * }</pre>
 */
public final class DataFormatException extends IllegalArgumentException {

  private final Path file;
  private final long line;
  private final int field;

  /** A problem at {@code line} (1-based; 0 for the whole file), in {@code field} (or -1). */
  public DataFormatException(Path file, long line, int field, String problem) {
    super(describe(file, line, field, problem));
    this.file = file;
    this.line = line;
    this.field = field;
  }

  private static String describe(Path file, long line, int field, String problem) {
    StringBuilder sb = new StringBuilder(String.valueOf(file));
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (field >= 0) {
      sb.append("field ").append(field).append(": ");
    }
    return sb.append(problem).toString();
  }

  /** The file whose content is malformed. */
  public Path file() {
    return file;
  }

  /** The 1-based line, or 0 when the problem is the whole file. */
  public long line() {
    return line;
  }

  /** The 0-based field (pair or column), or -1 when the problem is not one field. */
  public int field() {
    return field;
  }
}
