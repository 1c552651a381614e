package io.jkeras.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips, hand-built files following the format description, and the error cases. */
class NpyFileTest {

  @TempDir Path dir;

  /** A .npy file from its parts: magic, version, little-endian header length, header, data. */
  static byte[] npy(int major, String header, byte[] data) {
    byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int prefix = major == 1 ? 10 : 12;
    ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length);
    b.order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    return b.put(h).put(data).array();
  }

  /** A header padded the way NumPy pads it, so data starts at a multiple of 64. */
  static String padded(int major, String dict) {
    int prefix = major == 1 ? 10 : 12;
    int len = dict.getBytes(StandardCharsets.UTF_8).length + 1;
    return dict + " ".repeat((64 - (prefix + len) % 64) % 64) + "\n";
  }

  static byte[] floats(ByteOrder order, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  static byte[] doubles(ByteOrder order, double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  static byte[] ints(ByteOrder order, int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  static byte[] longs(ByteOrder order, long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
    for (long x : v) {
      b.putLong(x);
    }
    return b.array();
  }

  Path file(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  NpyArray roundTrip(NpyArray a) throws IOException {
    Path p = dir.resolve("rt.npy");
    NpyFile.write(p, a);
    NpyArray back = NpyFile.read(p);
    assertEquals(a, back);
    assertEquals(a.dtype(), back.dtype());
    assertArrayEquals(a.shape(), back.shape());
    return back;
  }

  // ---- round trips

  @Test
  void roundTripsEveryDtype() throws IOException {
    roundTrip(
        NpyArray.ofFloats(
            new long[] {2, 3}, new float[] {0f, -1.5f, Float.NaN, Float.MAX_VALUE, -0f, 1e-45f}));
    roundTrip(
        NpyArray.ofDoubles(
            new long[] {4}, new double[] {Math.PI, Double.NEGATIVE_INFINITY, -0.0, 1e-300}));
    roundTrip(
        NpyArray.ofInts(
            new long[] {1, 2, 2}, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}));
    roundTrip(NpyArray.ofLongs(new long[] {3}, new long[] {Long.MIN_VALUE, 42, Long.MAX_VALUE}));
    roundTrip(NpyArray.ofBooleans(new long[] {2, 2}, new boolean[] {true, false, false, true}));
    roundTrip(NpyArray.ofUnsignedBytes(new long[] {4}, new byte[] {0, 1, (byte) 128, (byte) 255}));
  }

  @Test
  void roundTripsScalarsAndEmptyArrays() throws IOException {
    NpyArray scalar = roundTrip(NpyArray.ofDoubles(new long[0], new double[] {3.25}));
    assertEquals(0, scalar.rank());
    assertEquals(1, scalar.size());
    NpyArray empty = roundTrip(NpyArray.ofInts(new long[] {0, 3}, new int[0]));
    assertArrayEquals(new long[] {0, 3}, empty.shape());
    roundTrip(NpyArray.ofFloats(new long[] {5, 0, 2}, new float[0]));
  }

  @Test
  void roundTripsAnArrayLargerThanOneChunk() throws IOException {
    int n = 3 * (1 << 20) / 8 + 7; // crosses several 1 MiB pieces, with a partial last one
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = (long) i * 0x9E3779B97F4A7C15L;
    }
    roundTrip(NpyArray.ofLongs(new long[] {n}, v));
  }

  @Test
  void writesTheLayoutNumpyWrites() throws IOException {
    Path p = dir.resolve("a.npy");
    NpyFile.write(p, NpyArray.ofFloats(new long[] {2, 3}, new float[6]));
    byte[] bytes = Files.readAllBytes(p);
    assertEquals(128 + 24, bytes.length);
    assertEquals(1, bytes[6]);
    assertEquals(0, bytes[7]);
    assertEquals(118, (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8);
    String header = new String(bytes, 10, 118, StandardCharsets.ISO_8859_1);
    assertEquals(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(58) + "\n",
        header);
  }

  @Test
  void writesVersion2WhenTheHeaderDoesNotFitVersion1() throws IOException {
    long[] shape = new long[8000]; // "1, " per dimension: a header of about 24,000 bytes
    java.util.Arrays.fill(shape, 1);
    NpyArray a = NpyArray.ofInts(shape, new int[] {7});
    assertEquals(1, NpyFile.headerBytes(a)[6]);
    long[] longer = new long[30000];
    java.util.Arrays.fill(longer, 1);
    NpyArray b = NpyArray.ofInts(longer, new int[] {7});
    byte[] header = NpyFile.headerBytes(b);
    assertEquals(2, header[6]);
    assertEquals(0, header.length % 64);
    roundTrip(b);
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
    Path p = dir.resolve("sub/dir/x.npy");
    NpyFile.write(p, NpyArray.ofInts(new long[] {1}, new int[] {1}));
    NpyFile.write(p, NpyArray.ofInts(new long[] {2}, new int[] {2, 3}));
    assertArrayEquals(new int[] {2, 3}, NpyFile.read(p).asInts());
    try (Stream<Path> files = Files.list(p.getParent())) {
      assertEquals(List.of(p), files.toList());
    }
  }

  // ---- hand-built files

  @Test
  void readsVersion1LittleEndianFloats() throws IOException {
    String h = padded(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
    Path p = file("f4.npy", npy(1, h, floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, -6.5f)));
    NpyArray a = NpyFile.read(p);
    assertEquals("float32", a.dtype());
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, (float[]) a.data());
  }

  @Test
  void readsBigEndianData() throws IOException {
    String h = "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }\n";
    NpyArray a =
        NpyFile.read(file("be8.npy", npy(1, h, doubles(ByteOrder.BIG_ENDIAN, 1.5, -2, 1e300))));
    assertArrayEquals(new double[] {1.5, -2, 1e300}, a.asDoubles());

    String hi = "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }\n";
    NpyArray b = NpyFile.read(file("be4.npy", npy(1, hi, ints(ByteOrder.BIG_ENDIAN, -7, 1 << 20))));
    assertArrayEquals(new int[] {-7, 1 << 20}, b.asInts());

    String hl = "{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }\n";
    NpyArray c = NpyFile.read(file("be8i.npy", npy(1, hl, longs(ByteOrder.BIG_ENDIAN, -3L << 40))));
    assertArrayEquals(new long[] {-3L << 40}, c.asLongs());

    String hf = "{'descr': '>f4', 'fortran_order': False, 'shape': (), }\n";
    NpyArray d = NpyFile.read(file("be4f.npy", npy(1, hf, floats(ByteOrder.BIG_ENDIAN, 0.1f))));
    assertEquals(0, d.rank());
    assertArrayEquals(new float[] {0.1f}, d.asFloats());
  }

  @Test
  void readsVersions2And3() throws IOException {
    String h2 = padded(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }");
    NpyArray a = NpyFile.read(file("v2.npy", npy(2, h2, longs(ByteOrder.LITTLE_ENDIAN, 5, -5))));
    assertArrayEquals(new long[] {5, -5}, a.asLongs());
    // Version 3.0 differs from 2.0 only in decoding the header as UTF-8 instead of Latin-1.
    String h3 = padded(3, "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }");
    NpyArray b = NpyFile.read(file("v3.npy", npy(3, h3, ints(ByteOrder.LITTLE_ENDIAN, 9))));
    assertArrayEquals(new int[] {9}, b.asInts());
  }

  @Test
  void readsBoolAndUint8() throws IOException {
    String hb = "{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }\n";
    NpyArray b = NpyFile.read(file("b.npy", npy(1, hb, new byte[] {1, 0, 0, 1})));
    assertEquals("bool", b.dtype());
    assertArrayEquals(new boolean[] {true, false, false, true}, (boolean[]) b.data());
    assertArrayEquals(new float[] {1, 0, 0, 1}, b.asFloats());

    String hu = "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }\n";
    NpyArray u = NpyFile.read(file("u.npy", npy(1, hu, new byte[] {0, 127, (byte) 255})));
    assertEquals("uint8", u.dtype());
    assertArrayEquals(new int[] {0, 127, 255}, u.asInts());
    assertArrayEquals(new double[] {0, 127, 255}, u.asDoubles());
  }

  @Test
  void reordersFortranOrderedData() throws IOException {
    // A (2, 3, 2) array whose element (i, j, k) is 100i + 10j + k, stored column-major.
    long[] shape = {2, 3, 2};
    float[] fortran = new float[12];
    float[] c = new float[12];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          float v = 100 * i + 10 * j + k;
          fortran[i + 2 * j + 6 * k] = v;
          c[6 * i + 2 * j + k] = v;
        }
      }
    }
    String h = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 2), }\n";
    NpyArray a = NpyFile.read(file("f.npy", npy(1, h, floats(ByteOrder.LITTLE_ENDIAN, fortran))));
    assertArrayEquals(shape, a.shape());
    assertArrayEquals(c, a.asFloats());
  }

  @Test
  void acceptsPythonSpellingVariations() throws IOException {
    // Keys in another order, double quotes, no trailing comma, Python 2 long suffixes.
    String h = "{ \"shape\" : (2L, 1L) , \"fortran_order\":False,'descr':'<i4'}\n";
    NpyArray a = NpyFile.read(file("v.npy", npy(1, h, ints(ByteOrder.LITTLE_ENDIAN, 3, 4))));
    assertArrayEquals(new long[] {2, 1}, a.shape());
    assertArrayEquals(new int[] {3, 4}, a.asInts());
  }

  // ---- conversions and the array type

  @Test
  void convertsBetweenElementTypes() {
    NpyArray f = NpyArray.ofFloats(new long[] {3}, new float[] {1, -2, 3e9f});
    assertArrayEquals(new double[] {1, -2, 3e9}, f.asDoubles());
    assertArrayEquals(new long[] {1, -2, 3_000_000_000L}, f.asLongs());
    ArithmeticException e = assertThrows(ArithmeticException.class, f::asInts);
    assertTrue(e.getMessage().contains("element 2"), e.getMessage());
    NpyArray half = NpyArray.ofDoubles(new long[] {2}, new double[] {1, 0.5});
    assertThrows(ArithmeticException.class, half::asLongs);
    assertThrows(
        ArithmeticException.class,
        () -> NpyArray.ofLongs(new long[] {1}, new long[] {1L << 40}).asInts());
    assertArrayEquals(
        new boolean[] {true, false, true},
        NpyArray.ofInts(new long[] {3}, new int[] {5, 0, -1}).asBooleans());
    assertArrayEquals(
        new float[] {16777216f}, NpyArray.ofInts(new long[] {1}, new int[] {16777217}).asFloats());
  }

  @Test
  void buildsAMatrixFromRows() {
    NpyArray a = NpyArray.ofInts(new int[][] {{1, 2, 3}, {4, 5, 6}});
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, a.asInts());
    assertEquals("NpyArray[int32 (2, 3)]", a.toString());
    assertThrows(IllegalArgumentException.class, () -> NpyArray.ofInts(new int[][] {{1}, {2, 3}}));
  }

  @Test
  void rejectsDataThatDoesNotMatchTheShape() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NpyArray.ofFloats(new long[] {2, 3}, new float[5]));
    assertEquals("shape (2, 3) has 6 elements but the data has 5", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> NpyArray.ofFloats(new long[] {-1}, new float[0]));
  }

  @Test
  void comparesByContent() {
    NpyArray a = NpyArray.ofFloats(new long[] {2}, new float[] {1, Float.NaN});
    assertEquals(a, NpyArray.ofFloats(new long[] {2}, new float[] {1, Float.NaN}));
    assertEquals(
        a.hashCode(), NpyArray.ofFloats(new long[] {2}, new float[] {1, Float.NaN}).hashCode());
    assertNotEquals(a, NpyArray.ofFloats(new long[] {1, 2}, new float[] {1, Float.NaN}));
    assertNotEquals(a, NpyArray.ofDoubles(new long[] {2}, new double[] {1, Double.NaN}));
  }

  // ---- errors

  NpyFormatException bad(String name, byte[] bytes) throws IOException {
    Path p = file(name, bytes);
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyFile.read(p));
    assertEquals(p, e.file());
    assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
    return e;
  }

  static final String F4_3 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n";

  @Test
  void rejectsAWrongMagicString() throws IOException {
    NpyFormatException e =
        bad("x.npy", "PK\u0003\u0004 not numpy".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(
        "not a .npy file: expected the magic string \\x93NUMPY, found \"PK\\x03\\x04 n\"",
        e.problem());
    assertEquals(
        "not a .npy file: expected the magic string \\x93NUMPY, found an empty file",
        bad("empty.npy", new byte[0]).problem());
  }

  @Test
  void rejectsUnknownVersions() throws IOException {
    byte[] b = npy(1, F4_3, new byte[12]);
    b[6] = 4;
    assertEquals(
        "unsupported format version 4.0 (expected 1.0, 2.0 or 3.0)", bad("v.npy", b).problem());
  }

  @Test
  void rejectsTruncatedHeaders() throws IOException {
    byte[] whole = npy(1, F4_3, new byte[12]);
    assertEquals(
        "truncated header: the file ends after 8 bytes, before the header length (version 1.0"
            + " needs 10 bytes of preamble)",
        bad("a.npy", java.util.Arrays.copyOf(whole, 8)).problem());
    assertEquals(
        "truncated header: expected 58 header bytes after the 10-byte preamble, found 20",
        bad("b.npy", java.util.Arrays.copyOf(whole, 30)).problem());
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] whole = npy(1, F4_3, new byte[12]);
    assertEquals(
        "truncated data: shape (3,) of float32 needs 12 bytes, found 7 after the 68-byte header",
        bad("t.npy", java.util.Arrays.copyOf(whole, whole.length - 5)).problem());
  }

  @Test
  void rejectsDataLongerThanTheShape() throws IOException {
    assertEquals(
        "data size does not match the shape: shape (3,) of float32 needs 12 bytes, found 16 after"
            + " the 68-byte header",
        bad("l.npy", npy(1, F4_3, new byte[16])).problem());
  }

  @Test
  void rejectsMalformedHeaderDictionaries() throws IOException {
    assertEquals(
        "malformed header: expected ',' or '}' at character 16, found ''' in \"{'descr': '<f4'"
            + " 'fortran_order': False, 'shape': (3,)}\"",
        bad(
                "m1.npy",
                npy(1, "{'descr': '<f4' 'fortran_order': False, 'shape': (3,)}\n", new byte[12]))
            .problem());
    assertEquals(
        "malformed header: expected the keys [descr, fortran_order, shape], found [descr, shape]"
            + " in \"{'descr': '<f4', 'shape': (3,)}\"",
        bad("m2.npy", npy(1, "{'descr': '<f4', 'shape': (3,)}\n", new byte[12])).problem());
    assertEquals(
        "malformed header: shape must be a tuple of integers, found the integer 3 in"
            + " \"{'descr': '<f4', 'fortran_order': False, 'shape': (3)}\"",
        bad(
                "m3.npy",
                npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3)}\n", new byte[12]))
            .problem());
    assertTrue(
        bad("m4.npy", npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (3,)}", new byte[12]))
            .problem()
            .startsWith(
                "malformed header: fortran_order must be True or False, found the integer 0"));
    assertTrue(
        bad(
                "m5.npy",
                npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, -1)}", new byte[12]))
            .problem()
            .startsWith(
                "malformed header: shape must be a tuple of non-negative integers, found"
                    + " the integer -1 at index 1"));
    assertTrue(
        bad("m6.npy", npy(1, "['descr', '<f4']", new byte[12]))
            .problem()
            .startsWith("malformed header: expected a dictionary, found a list"));
    assertTrue(
        bad(
                "m7.npy",
                npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)", new byte[12]))
            .problem()
            .startsWith("malformed header: expected ',' or '}' at character 54, found the end"));
    assertTrue(
        bad("m8.npy", npy(3, "{'descr': '<f4'}", new byte[] {(byte) 0xff}))
            .problem()
            .startsWith("malformed header: expected the keys"));
  }

  @Test
  void rejectsInvalidUtf8InVersion3Headers() throws IOException {
    byte[] b = npy(3, F4_3, new byte[12]);
    b[13] = (byte) 0xC3; // the 'd' of 'descr' becomes the start of a two-byte sequence
    b[14] = (byte) 0x28;
    assertEquals(
        "malformed header: a version 3.0 header must be UTF-8 text, found invalid bytes",
        bad("u.npy", b).problem());
  }

  @Test
  void rejectsUnsupportedDtypes() throws IOException {
    assertEquals(
        "unsupported dtype '<f2': expected one of <f4, <f8, <i4, <i8, |b1, |u1 (or the same with"
            + " >), <U<n>, |S<n>",
        bad(
                "f2.npy",
                npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }", new byte[6]))
            .problem());
    assertTrue(
        bad(
                "o.npy",
                npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new byte[8]))
            .problem()
            .startsWith("unsupported dtype '|O' (an object array: it needs Python's pickle;"));
    assertTrue(
        bad(
                "s.npy",
                npy(
                    1,
                    "{'descr': [('a', '<i4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,),"
                        + " }",
                    new byte[8]))
            .problem()
            .startsWith("unsupported dtype: structured dtypes (a list descr) are not supported"));
  }

  @Test
  void reportsEveryTruncationAndCorruptionAsAFormatError() throws IOException {
    Path good = dir.resolve("good.npy");
    NpyFile.write(good, NpyArray.ofInts(new long[] {2, 3}, new int[] {1, 2, 3, 4, 5, 6}));
    byte[] whole = Files.readAllBytes(good);
    for (int len = 0; len < whole.length; len++) {
      Path p = file("cut.npy", java.util.Arrays.copyOf(whole, len));
      assertThrows(NpyFormatException.class, () -> NpyFile.read(p), "cut to " + len + " bytes");
    }
    // Any single corrupted byte in the preamble or header either still reads or is reported as
    // a format error: no other exception escapes.
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 128; i++) {
      for (int trial = 0; trial < 4; trial++) {
        byte[] b = whole.clone();
        b[i] = (byte) random.nextInt(256);
        Path p = file("flip.npy", b);
        try {
          NpyFile.read(p);
        } catch (NpyFormatException expected) {
          assertTrue(expected.problem().length() > 10, expected.getMessage());
        }
      }
    }
  }

  @Test
  void reportsShapesTooLargeForJava() throws IOException {
    assertTrue(
        bad(
                "huge.npy",
                npy(
                    1,
                    "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }",
                    new byte[4]))
            .problem()
            .startsWith(
                "unsupported shape: shape (100000, 100000) has 10000000000 elements, more"));
    assertTrue(
        bad(
                "huger.npy",
                npy(
                    1,
                    "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
                    new byte[4]))
            .problem()
            .startsWith("malformed header: expected an integer within 64 bits"));
  }

  @Test
  void reportsAMissingFileAsSuch() {
    assertThrows(NoSuchFileException.class, () -> NpyFile.read(dir.resolve("missing.npy")));
  }

  @Test
  void headerBytesAreAlignedForAnyShape() {
    for (int rank = 0; rank < 40; rank++) {
      long[] shape = new long[rank];
      java.util.Arrays.fill(shape, 1);
      byte[] h = NpyFile.headerBytes(NpyArray.ofBooleans(shape, new boolean[] {true}));
      assertEquals(0, h.length % 64, "rank " + rank);
      assertEquals('\n', h[h.length - 1]);
    }
  }
}
