package io.jkeras.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Writes small tar archives for tests: POSIX ustar, GNU long names, pax paths, ustar prefixes. */
public final class TarBuilder {

  private static final int BLOCK = 512;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A directory entry. */
  public TarBuilder dir(String name) {
    header(name, "", 0, '5', false);
    return this;
  }

  /** A regular file; names over 100 bytes get a GNU {@code ././@LongLink} entry first. */
  public TarBuilder file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  TarBuilder file(String name, byte[] content) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      byte[] longName = Arrays.copyOf(nameBytes, nameBytes.length + 1); // NUL-terminated
      header("././@LongLink", "", longName.length, 'L', true);
      data(longName);
      header(name.substring(0, 100), "", content.length, '0', true);
    } else {
      header(name, "", content.length, '0', false);
    }
    data(content);
    return this;
  }

  /** A regular file whose real name is only in a preceding pax {@code path} record. */
  TarBuilder paxFile(String name, String content) {
    String record = " path=" + name + "\n";
    int len = record.length() + 1;
    while (String.valueOf(len).length() + record.length() != len) {
      len++;
    }
    byte[] pax = (len + record).getBytes(StandardCharsets.UTF_8);
    header("PaxHeaders.0/entry", "", pax.length, 'x', false);
    data(pax);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    header("decoy-name-overridden-by-pax.txt", "", bytes.length, '0', false);
    data(bytes);
    return this;
  }

  /** A regular file stored with the ustar prefix field. */
  TarBuilder prefixFile(String prefix, String name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    header(name, prefix, bytes.length, '0', false);
    data(bytes);
    return this;
  }

  /** The tar bytes, ending with the two zero blocks. */
  byte[] tar() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(new byte[2 * BLOCK]);
    return copy.toByteArray();
  }

  byte[] tarGz() {
    return gzip(tar());
  }

  public Path writeTarGz(Path file) throws IOException {
    Files.write(file, tarGz());
    return file;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void header(String name, String prefix, long size, char type, boolean gnu) {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name);
    put(h, 100, 8, "0000644");
    put(h, 108, 8, "0000000");
    put(h, 116, 8, "0000000");
    put(h, 124, 12, String.format("%011o", size));
    put(h, 136, 12, String.format("%011o", 1_306_886_400L));
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    if (gnu) {
      put(h, 257, 8, "ustar  ");
    } else {
      put(h, 257, 6, "ustar");
      put(h, 263, 2, "00");
      put(h, 345, 155, prefix);
    }
    put(h, 265, 32, "root");
    put(h, 297, 32, "root");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 6, String.format("%06o", sum));
    h[154] = 0;
    out.writeBytes(h);
  }

  private void data(byte[] content) {
    out.writeBytes(content);
    int rest = content.length % BLOCK;
    if (rest != 0) {
      out.writeBytes(new byte[BLOCK - rest]);
    }
  }

  private static void put(byte[] h, int off, int len, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > len) {
      throw new IllegalArgumentException("field too long: " + value);
    }
    System.arraycopy(bytes, 0, h, off, bytes.length);
  }
}
