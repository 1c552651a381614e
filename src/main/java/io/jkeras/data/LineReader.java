package io.jkeras.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * Lines of a text file as {@link java.io.BufferedReader#readLine} splits them ({@code \n}, {@code
 * \r\n} or {@code \r}), except that a line longer than a limit is refused before it is held in
 * memory: a file without line breaks must not take the heap.
 */
final class LineReader {

  private final Reader in;
  private final Path file;
  private final int maxChars;
  private final char[] buffer = new char[1 << 16];
  private int pos;
  private int end;
  private boolean skipLf;

  LineReader(Reader in, Path file, int maxChars) {
    this.in = in;
    this.file = file;
    this.maxChars = maxChars;
  }

  /**
   * The next line without its break, or null at the end of the file.
   *
   * @param lineNo the 1-based number of the line, for the error message
   * @throws DataFormatException when the line is longer than the limit
   */
  String next(long lineNo) throws IOException {
    StringBuilder line = null;
    while (true) {
      if (pos == end) {
        end = in.read(buffer);
        pos = 0;
        if (end <= 0) {
          end = 0;
          return line == null ? null : line.toString();
        }
      }
      if (skipLf) {
        skipLf = false;
        if (buffer[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < end && buffer[pos] != '\n' && buffer[pos] != '\r') {
        pos++;
      }
      int length = (line == null ? 0 : line.length()) + pos - start;
      if (length > maxChars) {
        throw new DataFormatException(
            file,
            lineNo,
            -1,
            "the line is longer than "
                + maxChars
                + " characters (the reader's maxLineLength); is the file text with line breaks?");
      }
      if (pos < end) {
        skipLf = buffer[pos] == '\r';
        pos++;
        if (line == null) {
          return new String(buffer, start, pos - 1 - start);
        }
        return line.append(buffer, start, pos - 1 - start).toString();
      }
      if (line == null) {
        line = new StringBuilder();
      }
      line.append(buffer, start, pos - start);
    }
  }
}
