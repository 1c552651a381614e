package io.jkeras.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Lines of a UTF-8 text file as {@link java.io.BufferedReader#readLine} splits them ({@code \n},
 * {@code \r\n} or {@code \r}), except that a line longer than a limit is refused before it is held
 * in memory (a file without line breaks must not take the heap) and that bytes that are not UTF-8
 * are reported with the line they are on.
 */
final class LineReader {

  private final InputStream in;
  private final Path file;
  private final int maxChars;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
  private boolean endOfBytes;
  private final char[] buffer = new char[1 << 16];
  private int pos;
  private int end;
  private boolean skipLf;

  LineReader(InputStream in, Path file, int maxChars) {
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
        pos = 0;
        end = decode(lineNo);
        if (end == 0) {
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

  /**
   * Decodes the next characters into {@code buffer}; returns how many, 0 at the end of the file.
   * Characters before a malformed byte are returned first, so the error comes with its own line.
   */
  private int decode(long lineNo) throws IOException {
    CharBuffer out = CharBuffer.wrap(buffer);
    while (true) {
      CoderResult r = utf8.decode(bytes, out, endOfBytes);
      if (r.isError() && out.position() == 0) {
        throw new DataFormatException(
            file,
            lineNo,
            -1,
            String.format(
                "not UTF-8 text: byte 0x%02x cannot start or continue a character here (save the"
                    + " file as UTF-8)",
                bytes.get(bytes.position()) & 0xff));
      }
      if (out.position() > 0 && (r.isError() || r.isOverflow() || !endOfBytes)) {
        return out.position();
      }
      if (endOfBytes) {
        return out.position(); // UTF-8 keeps no state to flush
      }
      bytes.compact();
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) {
        endOfBytes = true;
      } else {
        bytes.position(bytes.position() + n);
      }
      bytes.flip();
    }
  }
}
