package io.jkeras.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes NumPy {@code .npy} files, the format of {@code numpy.save} and {@code
 * numpy.load}.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0 and the element types {@code f4}, {@code f8},
 * {@code i4}, {@code i8}, {@code b1} and {@code u1} in either byte order ({@code <f4} and {@code
 * >f4} alike), and strings: {@code <U<n>} (UCS-4 text, read as UTF-8 bytes) and {@code |S<n>} (byte
 * strings), NumPy's trailing NULs removed. Object arrays ({@code dtype=object}) need Python's
 * pickle and are refused. Writing takes numeric arrays only. Files in Fortran order ({@code
 * 'fortran_order': True}) are read and their elements reordered, so an {@link NpyArray} is always
 * in C (row-major) order with the shape the file declares, just as {@code numpy.load} followed by
 * {@code np.ascontiguousarray} would give.
 *
 * <p>Writing produces what {@code numpy.save} produces for the same C-ordered array, byte for byte:
 * little-endian data, format 1.0 (2.0 only when the header is longer than 65,535 bytes), the header
 * padded with spaces to a multiple of 64 bytes. The file is written to a temporary file in the same
 * folder and then moved over the target with {@link StandardCopyOption#ATOMIC_MOVE}, so readers see
 * either the old file or the complete new one; the folder is created if needed.
 *
 * <p>A file that is not a valid {@code .npy} file, or uses a feature not listed above (structured
 * or object dtypes, other element types), raises {@link NpyFormatException}, an {@link IOException}
 * whose message names the file and what was expected and found.
 *
 * <pre>{@code
 * NpyFile.write(dir.resolve("x_train.npy"), NpyArray.ofInts(data.xTrain()));
 * NpyFile.write(dir.resolve("y_train.npy"),
 *     NpyArray.ofFloats(new long[] {data.yTrain().length}, data.yTrain()));
 *
 * NpyArray x = NpyFile.read(dir.resolve("x_train.npy"));   // int32 (25000, 100)
 * int[] ids = x.asInts();
 * }</pre>
 */
public final class NpyFile {

  /** The first six bytes of every {@code .npy} file. */
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** NumPy aligns the start of the data to this many bytes. */
  private static final int ALIGN = 64;

  /** NumPy leaves room for the first dimension to grow to this many digits. */
  private static final int GROWTH_DIGITS = 21;

  /** Headers longer than this are rejected before anything is allocated for them. */
  private static final int MAX_HEADER_BYTES = 1 << 24;

  /** Data moves between the file and the arrays in pieces of this size. */
  private static final int CHUNK_BYTES = 1 << 20;

  private NpyFile() {}

  /**
   * Reads a {@code .npy} file.
   *
   * @throws NpyFormatException if the file is not a valid {@code .npy} file or uses an unsupported
   *     feature: wrong magic string, unknown version, truncated header or data, a malformed header
   *     dictionary, an unsupported dtype, or more or fewer data bytes than the shape needs
   * @throws IOException if the file cannot be read
   */
  public static NpyArray read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      readUpTo(ch, pre, 0);
      pre.flip();
      checkMagic(file, pre);
      if (pre.remaining() < 8) {
        throw new NpyFormatException(
            file, "truncated header: the file ends after " + size + " bytes, inside the preamble");
      }
      int major = Byte.toUnsignedInt(pre.get(6));
      int minor = Byte.toUnsignedInt(pre.get(7));
      if (!(minor == 0 && (major == 1 || major == 2 || major == 3))) {
        throw new NpyFormatException(
            file,
            "unsupported format version " + major + "." + minor + " (expected 1.0, 2.0 or 3.0)");
      }
      int prefix = major == 1 ? 10 : 12;
      if (pre.remaining() < prefix) {
        throw new NpyFormatException(
            file,
            "truncated header: the file ends after "
                + size
                + " bytes, before the header length (version "
                + major
                + ".0 needs "
                + prefix
                + " bytes of preamble)");
      }
      long headerLength =
          major == 1
              ? Short.toUnsignedLong(pre.getShort(8))
              : Integer.toUnsignedLong(pre.getInt(8));
      if (prefix + headerLength > size) {
        throw new NpyFormatException(
            file,
            "truncated header: expected "
                + headerLength
                + " header bytes after the "
                + prefix
                + "-byte preamble, found "
                + (size - prefix));
      }
      if (headerLength > MAX_HEADER_BYTES) {
        throw new NpyFormatException(
            file,
            "header of "
                + headerLength
                + " bytes is larger than the "
                + MAX_HEADER_BYTES
                + "-byte limit");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readUpTo(ch, headerBytes, prefix);
      headerBytes.flip();
      String text = decodeHeader(file, headerBytes, major);

      NpyHeader header;
      try {
        header = NpyHeader.parse(text);
      } catch (NpyHeader.Invalid e) {
        throw new NpyFormatException(file, e.getMessage());
      }
      NpyDtype dtype = dtypeOf(file, header.descr());
      ByteOrder order = byteOrderOf(header.descr());
      int itemSize =
          dtype.isString() ? stringItemSize(file, header.descr(), dtype) : dtype.itemSize;
      long count;
      try {
        count = NpyArray.elementCount(header.shape());
      } catch (IllegalArgumentException e) {
        throw new NpyFormatException(file, "unsupported shape: " + e.getMessage());
      }

      long dataOffset = prefix + headerLength;
      long expected = count * itemSize;
      long actual = size - dataOffset;
      Runtime rt = Runtime.getRuntime();
      long heapFree = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
      // Strings cost an array header and a reference each beyond their bytes.
      if (expected + (dtype.isString() ? count * 32 : 0) > heapFree) {
        throw new NpyFormatException(
            file,
            "shape "
                + NpyArray.formatShape(header.shape())
                + " of "
                + dtype.numpyName
                + " needs "
                + expected
                + " bytes, more than the "
                + heapFree
                + " bytes free in the Java heap (raise -Xmx, e.g. JKERAS_JAVA_OPTS=-Xmx8g, or"
                + " split the file)");
      }
      if (actual != expected) {
        throw new NpyFormatException(
            file,
            (actual < expected ? "truncated data" : "data size does not match the shape")
                + ": shape "
                + NpyArray.formatShape(header.shape())
                + " of "
                + dtype.numpyName
                + " needs "
                + expected
                + " bytes, found "
                + actual
                + " after the "
                + dataOffset
                + "-byte header");
      }
      Object data = newArray(dtype, (int) count);
      if (dtype.isString()) {
        readStrings(file, ch, dataOffset, dtype, itemSize, order, (byte[][]) data);
      } else {
        readData(file, ch, dataOffset, dtype, order, data, (int) count);
      }
      if (header.fortranOrder() && header.shape().length > 1) {
        data = fortranToC(dtype, header.shape(), data);
      }
      return new NpyArray(header.shape(), dtype, data);
    }
  }

  /**
   * Writes {@code array} as a {@code .npy} file that {@code numpy.load} reads back with the same
   * dtype, shape and values, replacing {@code file} atomically if it exists.
   *
   * @throws IOException if the file cannot be written; the target is then left as it was
   */
  public static void write(Path file, NpyArray array) throws IOException {
    if (array.isStrings()) {
      throw new IllegalArgumentException(
          file + ": writing string arrays is not supported (only numeric .npy files)");
    }
    byte[] header = headerBytes(array);
    AtomicFile.writeCreatingFolder(
        file,
        tmp -> {
          try (FileChannel ch =
              FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(header));
            writeData(ch, array);
            ch.force(true);
          }
        });
  }

  /** The preamble and padded header NumPy writes for this array. */
  static byte[] headerBytes(NpyArray array) {
    long[] shape = array.shape();
    String dict = new NpyHeader(array.npyDtype().descr(), false, shape).format();
    if (shape.length > 0) {
      dict += " ".repeat(Math.max(0, GROWTH_DIGITS - Long.toString(shape[0]).length()));
    }
    byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
    int major = 1;
    int prefix = 10;
    // One byte for the closing newline; NumPy pads by a full ALIGN when already aligned.
    int padding = ALIGN - (prefix + text.length + 1) % ALIGN;
    if (text.length + 1 + padding > 0xFFFF) {
      major = 2;
      prefix = 12;
      padding = ALIGN - (prefix + text.length + 1) % ALIGN;
    }
    int headerLength = text.length + padding + 1;
    ByteBuffer out = ByteBuffer.allocate(prefix + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      out.putShort((short) headerLength);
    } else {
      out.putInt(headerLength);
    }
    out.put(text);
    for (int i = 0; i < padding; i++) {
      out.put((byte) ' ');
    }
    out.put((byte) '\n');
    return out.array();
  }

  private static void checkMagic(Path file, ByteBuffer pre) throws NpyFormatException {
    int n = Math.min(pre.remaining(), MAGIC.length);
    boolean ok = n == MAGIC.length;
    for (int i = 0; i < n && ok; i++) {
      ok = pre.get(i) == MAGIC[i];
    }
    if (!ok) {
      StringBuilder found = new StringBuilder();
      for (int i = 0; i < n; i++) {
        int b = Byte.toUnsignedInt(pre.get(i));
        found.append(b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b));
      }
      throw new NpyFormatException(
          file,
          "not a .npy file: expected the magic string \\x93NUMPY, found "
              + (n == 0 ? "an empty file" : "\"" + found + "\""));
    }
  }

  private static String decodeHeader(Path file, ByteBuffer bytes, int major)
      throws NpyFormatException {
    if (major < 3) {
      return StandardCharsets.ISO_8859_1.decode(bytes).toString();
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new NpyFormatException(
          file, "malformed header: a version 3.0 header must be UTF-8 text, found invalid bytes");
    }
  }

  /** The element type of a descr such as {@code <f4}, {@code >i8} or {@code |b1}. */
  private static NpyDtype dtypeOf(Path file, String descr) throws NpyFormatException {
    String code = descr;
    if (!code.isEmpty() && "<>|=".indexOf(code.charAt(0)) >= 0) {
      code = code.substring(1);
    }
    NpyDtype dtype = null;
    if (code.length() >= 2 && (code.charAt(0) == 'U' || code.charAt(0) == 'S')) {
      return code.charAt(0) == 'U' ? NpyDtype.STR : NpyDtype.BYTES;
    }
    if (code.length() >= 2 && code.substring(1).chars().allMatch(Character::isDigit)) {
      try {
        dtype = NpyDtype.byCode(code.charAt(0), Integer.parseInt(code.substring(1)));
      } catch (NumberFormatException e) {
        dtype = null;
      }
    }
    if (dtype == null) {
      String hint =
          code.startsWith("O")
              ? " (an object array: it needs Python's pickle; save strings with x.astype(str)"
                  + " (<U) or x.astype(bytes) (|S))"
              : "";
      throw new NpyFormatException(
          file,
          "unsupported dtype '"
              + descr
              + "'"
              + hint
              + ": expected one of <f4, <f8, <i4, <i8, |b1, |u1 (or the same with >), <U<n>,"
              + " |S<n>");
    }
    return dtype;
  }

  /** The bytes per element of a {@code <U<n>} (4n) or {@code |S<n>} (n) descr. */
  private static int stringItemSize(Path file, String descr, NpyDtype dtype)
      throws NpyFormatException {
    String digits = descr.substring(descr.indexOf(dtype.kind) + 1);
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      n = -1;
    }
    long size = dtype == NpyDtype.STR ? n * 4 : n;
    if (n < 1 || size > Integer.MAX_VALUE - 8) {
      throw new NpyFormatException(
          file, "unsupported string dtype '" + descr + "': expected a width from 1 up");
    }
    return (int) size;
  }

  /** Reads fixed-width strings, dropping NumPy's trailing NUL padding. */
  private static void readStrings(
      Path file,
      FileChannel ch,
      long offset,
      NpyDtype dtype,
      int itemSize,
      ByteOrder order,
      byte[][] dst)
      throws IOException {
    int perChunk = Math.max(1, CHUNK_BYTES / itemSize);
    ByteBuffer buf =
        ByteBuffer.allocate(Math.min(perChunk, Math.max(dst.length, 1)) * itemSize).order(order);
    for (int done = 0; done < dst.length; ) {
      int n = Math.min(perChunk, dst.length - done);
      buf.clear().limit(n * itemSize);
      if (readUpTo(ch, buf, offset + (long) done * itemSize) < n * itemSize) {
        throw new NpyFormatException(
            file,
            "truncated data: the file ended while reading element " + done + " of " + dst.length);
      }
      for (int e = 0; e < n; e++) {
        int base = e * itemSize;
        if (dtype == NpyDtype.BYTES) {
          int end = itemSize;
          while (end > 0 && buf.get(base + end - 1) == 0) {
            end--;
          }
          byte[] bytes = new byte[end];
          buf.get(base, bytes);
          dst[done + e] = bytes;
          continue;
        }
        int chars = itemSize / 4;
        while (chars > 0 && buf.getInt(base + (chars - 1) * 4) == 0) {
          chars--;
        }
        StringBuilder text = new StringBuilder(chars);
        for (int k = 0; k < chars; k++) {
          int cp = buf.getInt(base + k * 4);
          if (cp < 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw new NpyFormatException(
                file,
                "element "
                    + (done + e)
                    + " holds 0x"
                    + Integer.toHexString(cp)
                    + ", not a Unicode character");
          }
          text.appendCodePoint(cp);
        }
        dst[done + e] = text.toString().getBytes(StandardCharsets.UTF_8);
      }
      done += n;
    }
  }

  private static ByteOrder byteOrderOf(String descr) {
    return switch (descr.isEmpty() ? '=' : descr.charAt(0)) {
      case '<' -> ByteOrder.LITTLE_ENDIAN;
      case '>' -> ByteOrder.BIG_ENDIAN;
      default -> ByteOrder.nativeOrder();
    };
  }

  private static Object newArray(NpyDtype dtype, int count) {
    return switch (dtype) {
      case FLOAT32 -> new float[count];
      case FLOAT64 -> new double[count];
      case INT32 -> new int[count];
      case INT64 -> new long[count];
      case BOOL -> new boolean[count];
      case UINT8 -> new byte[count];
      case STR, BYTES -> new byte[count][];
    };
  }

  private static void readData(
      Path file,
      FileChannel ch,
      long offset,
      NpyDtype dtype,
      ByteOrder order,
      Object dst,
      int count)
      throws IOException {
    int perChunk = CHUNK_BYTES / dtype.itemSize;
    ByteBuffer buf = ByteBuffer.allocate(Math.min(perChunk, Math.max(count, 1)) * dtype.itemSize);
    long pos = offset;
    for (int done = 0; done < count; ) {
      int n = Math.min(perChunk, count - done);
      buf.clear().limit(n * dtype.itemSize);
      if (readUpTo(ch, buf, pos) < n * dtype.itemSize) {
        throw new NpyFormatException(
            file, "truncated data: the file ended while reading element " + done + " of " + count);
      }
      buf.flip();
      buf.order(order);
      switch (dtype) {
        case FLOAT32 -> buf.asFloatBuffer().get((float[]) dst, done, n);
        case FLOAT64 -> buf.asDoubleBuffer().get((double[]) dst, done, n);
        case INT32 -> buf.asIntBuffer().get((int[]) dst, done, n);
        case INT64 -> buf.asLongBuffer().get((long[]) dst, done, n);
        case UINT8 -> buf.get((byte[]) dst, done, n);
        case STR, BYTES -> throw new AssertionError("strings are read by readStrings");
        case BOOL -> {
          boolean[] b = (boolean[]) dst;
          for (int i = 0; i < n; i++) {
            b[done + i] = buf.get(i) != 0;
          }
        }
      }
      done += n;
      pos += (long) n * dtype.itemSize;
    }
  }

  private static void writeData(FileChannel ch, NpyArray array) throws IOException {
    NpyDtype dtype = array.npyDtype();
    Object src = array.data();
    int count = array.size();
    int perChunk = CHUNK_BYTES / dtype.itemSize;
    ByteBuffer buf =
        ByteBuffer.allocate(Math.min(perChunk, Math.max(count, 1)) * dtype.itemSize)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int done = 0; done < count; ) {
      int n = Math.min(perChunk, count - done);
      buf.clear().limit(n * dtype.itemSize);
      switch (dtype) {
        case FLOAT32 -> buf.asFloatBuffer().put((float[]) src, done, n);
        case FLOAT64 -> buf.asDoubleBuffer().put((double[]) src, done, n);
        case INT32 -> buf.asIntBuffer().put((int[]) src, done, n);
        case INT64 -> buf.asLongBuffer().put((long[]) src, done, n);
        case UINT8 -> buf.put((byte[]) src, done, n);
        case STR, BYTES -> throw new AssertionError("string arrays are refused before writing");
        case BOOL -> {
          boolean[] b = (boolean[]) src;
          for (int i = 0; i < n; i++) {
            buf.put(i, b[done + i] ? (byte) 1 : (byte) 0);
          }
        }
      }
      // The typed views above write through without moving this buffer's position.
      buf.position(0).limit(n * dtype.itemSize);
      writeFully(ch, buf);
      done += n;
    }
  }

  /** Reads until {@code buf} is full or the file ends; returns the bytes read. */
  private static int readUpTo(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    int start = buf.position();
    while (buf.hasRemaining()) {
      int r = ch.read(buf, position + buf.position() - start);
      if (r < 0) {
        break;
      }
    }
    return buf.position() - start;
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.write(buf) < 0) {
        throw new EOFException("could not write");
      }
    }
  }

  /**
   * Reorders column-major elements into row-major order: element (i0, ..., iN) sits at {@code
   * sum(ik * fstride[k])} in the file, with {@code fstride[0] = 1} and {@code fstride[k] =
   * fstride[k-1] * shape[k-1]}.
   */
  private static Object fortranToC(NpyDtype dtype, long[] shape, Object src) {
    int n = java.lang.reflect.Array.getLength(src);
    Object dst = newArray(dtype, n);
    if (n == 0) {
      return dst;
    }
    int rank = shape.length;
    long[] fstride = new long[rank];
    fstride[0] = 1;
    for (int k = 1; k < rank; k++) {
      fstride[k] = fstride[k - 1] * shape[k - 1];
    }
    long[] index = new long[rank];
    long f = 0;
    for (int c = 0; c < n; c++) {
      System.arraycopy(src, (int) f, dst, c, 1);
      // Advance the row-major index like an odometer, keeping f in step.
      for (int k = rank - 1; k >= 0; k--) {
        index[k]++;
        f += fstride[k];
        if (index[k] < shape[k]) {
          break;
        }
        f -= shape[k] * fstride[k];
        index[k] = 0;
      }
    }
    return dst;
  }
}
