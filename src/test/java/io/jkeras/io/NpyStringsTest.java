package io.jkeras.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NumPy string arrays as {@code numpy.save} lays them out (version 1.0 header, fixed-width elements
 * padded with NULs): {@code <U} (UCS-4) and {@code |S} (bytes) read as byte strings, object arrays
 * refused with a hint. The Python-written files of StringLayersInteropTest cover NumPy's own
 * output.
 */
class NpyStringsTest {

  /** A version 1.0 .npy file with this header dictionary and data. */
  private static byte[] npy(String dict, byte[] data) {
    StringBuilder h = new StringBuilder(dict);
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(h.length() & 0xff);
    out.write(h.length() >> 8);
    out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    return out.toByteArray();
  }

  @Test
  void unicodeArraysReadAsUtf8WithoutPadding(@TempDir Path dir) throws Exception {
    // np.array([["é", "ab", ""], ["日本", "xyz", "q"]]) is <U3: 3 code points of 4 bytes each.
    String[] values = {"é", "ab", "", "日本", "xyz", "q"};
    ByteBuffer data = ByteBuffer.allocate(6 * 12).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      int[] cps = values[i].codePoints().toArray();
      for (int k = 0; k < cps.length; k++) {
        data.putInt(i * 12 + k * 4, cps[k]);
      }
    }
    Path f = dir.resolve("u.npy");
    Files.write(
        f, npy("{'descr': '<U3', 'fortran_order': False, 'shape': (2, 3), }", data.array()));
    NpyArray a = NpyFile.read(f);
    assertEquals("str", a.dtype());
    assertArrayEquals(new long[] {2, 3}, a.shape());
    for (int i = 0; i < values.length; i++) {
      assertArrayEquals(values[i].getBytes(StandardCharsets.UTF_8), a.asStrings()[i], values[i]);
    }
    var e = assertThrows(IllegalStateException.class, a::asFloats);
    assertTrue(e.getMessage().contains("asStrings"), e.getMessage());
    var w =
        assertThrows(IllegalArgumentException.class, () -> NpyFile.write(dir.resolve("o.npy"), a));
    assertTrue(w.getMessage().contains("string arrays"), w.getMessage());
  }

  @Test
  void byteArraysKeepTheirBytes(@TempDir Path dir) throws Exception {
    // np.array([b"a\xff", b"", b"xy"]) is |S2; trailing NULs are padding, inner bytes stay.
    byte[] data = {'a', (byte) 0xff, 0, 0, 'x', 'y'};
    Path f = dir.resolve("s.npy");
    Files.write(f, npy("{'descr': '|S2', 'fortran_order': False, 'shape': (3,), }", data));
    NpyArray a = NpyFile.read(f);
    assertEquals("bytes", a.dtype());
    assertArrayEquals(new byte[] {'a', (byte) 0xff}, a.asStrings()[0]);
    assertArrayEquals(new byte[0], a.asStrings()[1]);
    assertArrayEquals(new byte[] {'x', 'y'}, a.asStrings()[2]);
  }

  @Test
  void objectArraysAndBadCodePointsAreRefused(@TempDir Path dir) throws Exception {
    Path o = dir.resolve("o.npy");
    Files.write(o, npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
    var e = assertThrows(NpyFormatException.class, () -> NpyFile.read(o));
    assertTrue(e.getMessage().contains("x.astype(str)"), e.getMessage());
    ByteBuffer bad = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xD800);
    Path u = dir.resolve("bad.npy");
    Files.write(u, npy("{'descr': '<U1', 'fortran_order': False, 'shape': (1,), }", bad.array()));
    var s = assertThrows(NpyFormatException.class, () -> NpyFile.read(u));
    assertTrue(s.getMessage().contains("not a Unicode character"), s.getMessage());
    Path t = dir.resolve("short.npy");
    Files.write(t, npy("{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }", new byte[12]));
    var shortFile = assertThrows(NpyFormatException.class, () -> NpyFile.read(t));
    assertTrue(shortFile.getMessage().contains("truncated"), shortFile.getMessage());
  }
}
