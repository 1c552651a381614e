package io.jkeras.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming reader of tar archives (POSIX ustar, GNU and pax flavours), just enough to
 * walk the entries of a dataset archive and read the small files in it.
 *
 * <p>Supported: 512-byte headers with octal or GNU base-256 sizes, the ustar {@code prefix} field,
 * GNU long names ({@code 'L'}) and pax extended headers ({@code 'x'}: {@code path} and {@code
 * size}). Global pax headers and GNU long link names are read and ignored. Every header checksum is
 * verified, so a corrupt or truncated archive ends in an {@link IOException} that names the source
 * and the entry, never in garbage entries or a hang.
 *
 * <pre>{@code
 * try (TarReader tar = new TarReader(in, "archive.tar")) {
 *   for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
 *     if (e.isFile()) {
 *       byte[] content = tar.readContent();
 *     }
 *   }
 * }
 * }</pre>
 */
final class TarReader implements AutoCloseable {

  static final int BLOCK = 512;

  /** Upper bound for metadata entries (long names, pax headers) we buffer in memory. */
  private static final int MAX_META_SIZE = 1 << 20;

  /** One entry header. */
  record Entry(String name, long size, char type) {
    /** True for regular files ({@code '0'}, NUL and contiguous {@code '7'}). */
    boolean isFile() {
      return type == '0' || type == '\0' || type == '7';
    }
  }

  private final InputStream in;
  private final String source;
  private final byte[] header = new byte[BLOCK];

  /** Data bytes of the current entry not yet consumed. */
  private long remaining;

  /** Zero bytes after the current entry's data up to the next block boundary. */
  private long padding;

  /** Offset in the uncompressed stream, for messages. */
  private long offset;

  private Entry current;
  private boolean finished;

  /**
   * @param in the uncompressed tar stream (buffer it; the reader does many 512-byte reads)
   * @param source a name for messages, usually the archive path
   */
  TarReader(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  /**
   * Advances to the next entry, skipping the unread content of the current one.
   *
   * @return the next entry, or null at the end of the archive
   * @throws IOException if the archive is truncated or a header is corrupt
   */
  Entry next() throws IOException {
    if (finished) {
      return null;
    }
    skipRest();
    current = null;
    String longName = null;
    String paxPath = null;
    long paxSize = -1;
    while (true) {
      long headerOffset = offset;
      int n = readBlock(header);
      if (n == 0) {
        // The stream ended on a block boundary without the end-of-archive zero blocks; some
        // writers do this, and nothing is lost.
        finished = true;
        return null;
      }
      if (n < BLOCK) {
        throw corrupt(
            (headerOffset == 0 ? "not a tar or tar.gz archive" : "truncated archive")
                + ": the stream ends inside the header at offset "
                + headerOffset
                + " ("
                + n
                + " of "
                + BLOCK
                + " bytes)");
      }
      if (isZero(header)) {
        finished = true;
        return null;
      }
      verifyChecksum(headerOffset);
      char type = (char) (header[156] & 0xff);
      long size = parseNumber(124, 12, "size", headerOffset);
      String name = headerName();
      long dataSize = hasData(type) ? size : 0;
      switch (type) {
        case 'L' -> longName = cString(readMeta(name, dataSize, headerOffset));
        case 'x' -> {
          String[] pax = parsePax(readMeta(name, dataSize, headerOffset), headerOffset);
          if (pax[0] != null) {
            paxPath = pax[0];
          }
          if (pax[1] != null) {
            paxSize = parsePaxSize(pax[1], headerOffset);
          }
        }
        case 'K', 'g' -> readMeta(name, dataSize, headerOffset);
        default -> {
          String entryName = paxPath != null ? paxPath : longName != null ? longName : name;
          long entrySize = paxSize >= 0 && hasData(type) ? paxSize : dataSize;
          current = new Entry(entryName, entrySize, type);
          remaining = entrySize;
          padding = paddingOf(entrySize);
          return current;
        }
      }
    }
  }

  /**
   * Reads the whole content of the current entry.
   *
   * @throws IOException if the archive ends before the entry's declared size
   */
  byte[] readContent() throws IOException {
    if (current == null) {
      throw new IllegalStateException("no current entry");
    }
    if (remaining > Integer.MAX_VALUE - 16) {
      throw corrupt(
          "entry "
              + current.name()
              + " is too large to read into memory ("
              + remaining
              + " bytes)");
    }
    byte[] data = new byte[(int) remaining];
    int n = readFully(data, data.length);
    if (n < data.length) {
      throw corrupt(
          "truncated archive: entry "
              + current.name()
              + " declares "
              + current.size()
              + " bytes but the stream ends after "
              + (current.size() - remaining + n));
    }
    remaining = 0;
    return data;
  }

  /**
   * Reads whatever follows the end-of-archive marker up to the end of the stream, so that a
   * compressed stream gets to check its trailer (a gzip CRC or length mismatch, or a truncated
   * trailer, then surfaces here as an exception).
   */
  void drain() throws IOException {
    skipRest();
    byte[] buf = new byte[8192];
    while (readFully(buf, buf.length) == buf.length) {
      // discard
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void skipRest() throws IOException {
    long toSkip = remaining + padding;
    if (toSkip == 0) {
      return;
    }
    String what = current != null ? "entry " + current.name() : "entry";
    try {
      in.skipNBytes(toSkip);
    } catch (EOFException e) {
      throw corrupt("truncated archive: the stream ends inside " + what, e);
    } catch (IOException e) {
      throw corrupt("cannot read " + what + ": " + reason(e), e);
    }
    offset += toSkip;
    remaining = 0;
    padding = 0;
  }

  /** Reads a metadata entry's content and its padding. */
  private byte[] readMeta(String name, long size, long headerOffset) throws IOException {
    if (size > MAX_META_SIZE) {
      throw corrupt(
          "tar header at offset "
              + headerOffset
              + " ("
              + name
              + ") declares "
              + size
              + " bytes of metadata; at most "
              + MAX_META_SIZE
              + " are accepted");
    }
    byte[] data = new byte[(int) size];
    if (readFully(data, data.length) < data.length) {
      throw corrupt(
          "truncated archive: the stream ends inside the metadata entry at offset " + headerOffset);
    }
    long pad = paddingOf(size);
    byte[] skip = new byte[(int) pad];
    if (readFully(skip, skip.length) < skip.length) {
      throw corrupt(
          "truncated archive: the stream ends inside the metadata entry at offset " + headerOffset);
    }
    return data;
  }

  /** Reads one block; returns the number of bytes read (less than a block only at the end). */
  private int readBlock(byte[] block) throws IOException {
    return readFully(block, BLOCK);
  }

  private int readFully(byte[] buf, int len) throws IOException {
    int n;
    try {
      n = in.readNBytes(buf, 0, len);
    } catch (EOFException e) {
      throw corrupt("truncated archive: " + reason(e) + where(), e);
    } catch (IOException e) {
      throw corrupt("cannot read the archive: " + reason(e) + where(), e);
    }
    offset += n;
    return n;
  }

  private static String reason(IOException e) {
    if (e.getMessage() != null) {
      return e.getMessage();
    }
    return e instanceof EOFException
        ? "unexpected end of the compressed stream"
        : e.getClass().getSimpleName();
  }

  private String where() {
    return current != null
        ? " (while reading entry " + current.name() + ")"
        : " (at offset " + offset + ")";
  }

  private static long paddingOf(long size) {
    long rest = size % BLOCK;
    return rest == 0 ? 0 : BLOCK - rest;
  }

  /** Entry types whose size field counts data blocks that follow the header. */
  private static boolean hasData(char type) {
    return !(type >= '1' && type <= '6');
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private void verifyChecksum(long headerOffset) throws IOException {
    long stored = parseNumber(148, 8, "checksum", headerOffset);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += b & 0xff;
      signed += (byte) b;
    }
    if (stored != unsigned && stored != signed) {
      throw corrupt(
          (headerOffset == 0 ? "not a tar or tar.gz archive: " : "")
              + "corrupt tar header at offset "
              + headerOffset
              + ": checksum is "
              + stored
              + " but the header sums to "
              + unsigned);
    }
  }

  /** Name from the header: ustar prefix + name for POSIX archives, the name field otherwise. */
  private String headerName() {
    String name = cString(header, 0, 100);
    boolean posixUstar =
        header[257] == 'u'
            && header[258] == 's'
            && header[259] == 't'
            && header[260] == 'a'
            && header[261] == 'r'
            && header[262] == 0;
    if (posixUstar) {
      String prefix = cString(header, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  /** Parses an octal field (NUL/space terminated) or a GNU base-256 field. */
  private long parseNumber(int off, int len, String field, long headerOffset) throws IOException {
    if ((header[off] & 0x80) != 0) {
      if ((header[off] & 0x40) != 0) {
        throw corrupt("corrupt tar header at offset " + headerOffset + ": negative " + field);
      }
      long value = header[off] & 0x3f;
      for (int i = 1; i < len; i++) {
        if ((value >>> 55) != 0) {
          throw corrupt(
              "corrupt tar header at offset " + headerOffset + ": " + field + " out of range");
        }
        value = (value << 8) | (header[off + i] & 0xff);
      }
      return value;
    }
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end; i++) {
      int b = header[i];
      if (b == ' ' || b == 0) {
        break;
      }
      if (b < '0' || b > '7') {
        throw corrupt(
            "corrupt tar header at offset "
                + headerOffset
                + ": "
                + field
                + " field is not octal: \""
                + printable(off, len)
                + "\"");
      }
      value = (value << 3) | (b - '0');
      digits++;
    }
    if (digits == 0 && !field.equals("size")) {
      throw corrupt("corrupt tar header at offset " + headerOffset + ": empty " + field + " field");
    }
    return value;
  }

  private String printable(int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = off; i < off + len; i++) {
      int b = header[i] & 0xff;
      sb.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
    }
    return sb.toString();
  }

  /** Returns {path, size} from pax records "{@code <len> <key>=<value>\n}"; absent ones null. */
  private String[] parsePax(byte[] data, long headerOffset) throws IOException {
    String[] result = new String[2];
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break; // trailing NUL padding written by some tools
      }
      int space = pos;
      int len = 0;
      while (space < data.length && data[space] >= '0' && data[space] <= '9' && len < 1 << 24) {
        len = len * 10 + (data[space] - '0');
        space++;
      }
      if (space == pos
          || space >= data.length
          || data[space] != ' '
          || len <= space - pos + 1
          || pos + len > data.length
          || data[pos + len - 1] != '\n') {
        throw corrupt(
            "corrupt pax header at offset " + headerOffset + ": bad record at byte " + pos);
      }
      String record = new String(data, space + 1, pos + len - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq <= 0) {
        throw corrupt(
            "corrupt pax header at offset "
                + headerOffset
                + ": record without '=' at"
                + " byte "
                + pos);
      }
      String key = record.substring(0, eq);
      String value = record.substring(eq + 1);
      if (key.equals("path")) {
        result[0] = value;
      } else if (key.equals("size")) {
        result[1] = value;
      }
      pos += len;
    }
    return result;
  }

  private long parsePaxSize(String value, long headerOffset) throws IOException {
    try {
      long size = Long.parseLong(value);
      if (size >= 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw corrupt("corrupt pax header at offset " + headerOffset + ": bad size \"" + value + "\"");
  }

  private static String cString(byte[] data) {
    return cString(data, 0, data.length);
  }

  private static String cString(byte[] data, int off, int len) {
    int end = off;
    int limit = off + len;
    while (end < limit && data[end] != 0) {
      end++;
    }
    return new String(data, off, end - off, StandardCharsets.UTF_8);
  }

  private IOException corrupt(String message) {
    return new IOException(source + ": " + message);
  }

  private IOException corrupt(String message, Throwable cause) {
    return new IOException(source + ": " + message, cause);
  }
}
