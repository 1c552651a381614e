package io.jkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarReaderTest {

  private static final String LONG = "aclImdb/" + "very-long-folder-name/".repeat(6) + "file.txt";

  /** Reads every regular file: name -> content. */
  private static Map<String, String> readAll(byte[] tar) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    try (TarReader r = new TarReader(new ByteArrayInputStream(tar), "test.tar")) {
      for (TarReader.Entry e = r.next(); e != null; e = r.next()) {
        if (e.isFile()) {
          files.put(e.name(), new String(r.readContent(), StandardCharsets.UTF_8));
        }
      }
      assertNull(r.next(), "next() after the end stays null");
    }
    return files;
  }

  @Test
  void readsNamesOfAllFlavoursAndSkipsUnreadContent() throws IOException {
    assertTrue(LONG.length() > 100);
    byte[] tar =
        new TarBuilder()
            .dir("aclImdb/")
            .file("aclImdb/a.txt", "alpha")
            .file("aclImdb/big.bin", "x".repeat(1500))
            .file(LONG, "long")
            .paxFile("aclImdb/from-pax.txt", "pax")
            .prefixFile("aclImdb/prefixed", "b.txt", "beta")
            .file("aclImdb/empty.txt", "")
            .file("aclImdb/exact.txt", "y".repeat(512))
            .tar();
    Map<String, String> files = readAll(tar);
    assertEquals(
        List.of(
            "aclImdb/a.txt",
            "aclImdb/big.bin",
            LONG,
            "aclImdb/from-pax.txt",
            "aclImdb/prefixed/b.txt",
            "aclImdb/empty.txt",
            "aclImdb/exact.txt"),
        new ArrayList<>(files.keySet()));
    assertEquals("alpha", files.get("aclImdb/a.txt"));
    assertEquals("long", files.get(LONG));
    assertEquals("pax", files.get("aclImdb/from-pax.txt"));
    assertEquals("beta", files.get("aclImdb/prefixed/b.txt"));
    assertEquals("", files.get("aclImdb/empty.txt"));

    // Skipping the content without reading it must land on the next header.
    List<String> names = new ArrayList<>();
    try (TarReader r = new TarReader(new ByteArrayInputStream(tar), "test.tar")) {
      for (TarReader.Entry e = r.next(); e != null; e = r.next()) {
        names.add(e.name() + ":" + e.type() + ":" + e.size());
      }
    }
    assertEquals(
        List.of(
            "aclImdb/:5:0",
            "aclImdb/a.txt:0:5",
            "aclImdb/big.bin:0:1500",
            LONG + ":0:4",
            "aclImdb/from-pax.txt:0:3",
            "aclImdb/prefixed/b.txt:0:4",
            "aclImdb/empty.txt:0:0",
            "aclImdb/exact.txt:0:512"),
        names);
  }

  @Test
  void acceptsAStreamEndingWithoutZeroBlocks() throws IOException {
    byte[] tar = new TarBuilder().file("a.txt", "abc").tar();
    byte[] noTrailer = Arrays.copyOf(tar, tar.length - 1024);
    assertEquals(Map.of("a.txt", "abc"), readAll(noTrailer));
  }

  @Test
  void corruptHeaderChecksumIsReported() {
    byte[] tar = new TarBuilder().file("a.txt", "abc").file("b.txt", "def").tar();
    tar[1024 + 3] ^= 0x20; // the name of the second header (after a's header and data block)
    IOException e = assertThrows(IOException.class, () -> readAll(tar));
    assertTrue(
        e.getMessage().startsWith("test.tar: corrupt tar header at offset 1024"), e.getMessage());
  }

  @Test
  void truncationInsideDataOrHeaderIsReported() {
    byte[] tar = new TarBuilder().file("a.txt", "z".repeat(700)).file("b.txt", "def").tar();
    IOException inData =
        assertThrows(IOException.class, () -> readAll(Arrays.copyOf(tar, 512 + 300)));
    assertTrue(
        inData.getMessage().contains("truncated archive: entry a.txt declares 700 bytes"),
        inData.getMessage());
    IOException inHeader =
        assertThrows(IOException.class, () -> readAll(Arrays.copyOf(tar, 1536 + 100)));
    assertTrue(
        inHeader.getMessage().contains("ends inside the header at offset 1536"),
        inHeader.getMessage());
    // Skipping (not reading) a truncated entry is reported too.
    IOException skipping =
        assertThrows(
            IOException.class,
            () -> {
              try (TarReader r =
                  new TarReader(new ByteArrayInputStream(Arrays.copyOf(tar, 600)), "t")) {
                r.next();
                r.next();
              }
            });
    assertTrue(skipping.getMessage().contains("ends inside entry a.txt"), skipping.getMessage());
  }

  @Test
  void base256SizeIsDecoded() throws IOException {
    byte[] tar = new TarBuilder().file("a.txt", "hello").tar();
    // Rewrite the size field as GNU base-256 and fix the checksum.
    Arrays.fill(tar, 124, 136, (byte) 0);
    tar[124] = (byte) 0x80;
    tar[135] = 5;
    Arrays.fill(tar, 148, 156, (byte) ' ');
    int sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[i] & 0xff;
    }
    byte[] chk = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(chk, 0, tar, 148, 6);
    tar[154] = 0;
    assertEquals(Map.of("a.txt", "hello"), readAll(tar));
  }

  @Test
  void longNameContentIsExact() throws IOException {
    byte[] payload = new byte[3000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    byte[] tar = new TarBuilder().file(LONG, payload).file("next.txt", "n").tar();
    try (TarReader r = new TarReader(new ByteArrayInputStream(tar), "t")) {
      TarReader.Entry e = r.next();
      assertEquals(LONG, e.name());
      assertArrayEquals(payload, r.readContent());
      assertEquals("next.txt", r.next().name());
    }
  }
}
