package io.jkeras.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.PythonKeras;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by the real NumPy read in Java, and Java's files read by NumPy, with the NumPy of
 * python-interop/.venv (never skipped: the test fails when that environment is missing).
 */
class NpyNumpyInteropTest {

  @TempDir Path dir;

  /** Writes one file per case with numpy.lib.format.write_array, in the versions given. */
  static final String WRITE_CASES =
      String.join(
          "\n",
          "import sys, os, numpy as np",
          "from numpy.lib import format as fmt",
          "d = sys.argv[1]",
          "def save(name, a, version=None):",
          "    with open(os.path.join(d, name + '.npy'), 'wb') as f:",
          "        fmt.write_array(f, a, version=version)",
          "save('f4', (np.arange(6, dtype='<f4') * 0.5 - 1).reshape(2, 3))",
          "save('f4_be', np.array([0.1, -2.5, np.inf], dtype='>f4'))",
          "save('f8', np.array([np.pi, -0.0, 1e-300, np.nan]))",
          "save('f8_be', np.arange(5, dtype='>f8') - 2.25)",
          "save('i4', np.array([[-2**31, -1, 0], [1, 2**31 - 1, 7]], dtype='<i4'))",
          "save('i4_be', np.array([-7, 1 << 20], dtype='>i4'))",
          "save('i8', np.array([-2**63, 2**63 - 1, 0, 123456789012], dtype='<i8'))",
          "save('i8_be', np.array([-3 << 40, 5], dtype='>i8'))",
          "save('b1', np.array([True, False, True]))",
          "save('u1', np.array([0, 1, 127, 128, 255], dtype=np.uint8))",
          "save('fortran', np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4)))",
          "save('fortran_i8_be', np.asfortranarray(np.arange(6, dtype='>i8').reshape(3, 2)))",
          "save('scalar', np.array(3.5))",
          "save('empty', np.zeros((0, 3), dtype='<i4'))",
          "save('v2', np.arange(4, dtype='<i4'), version=(2, 0))",
          "save('v3', np.arange(4, dtype='<f8'), version=(3, 0))",
          "save('big', np.arange(300000, dtype='<i4').reshape(3000, 100))");

  @Test
  void readsFilesWrittenByNumpy() throws IOException {
    PythonKeras.runCode(WRITE_CASES, dir.toString());

    NpyArray f4 = read("f4");
    assertEquals("float32", f4.dtype());
    assertArrayEquals(new long[] {2, 3}, f4.shape());
    assertArrayEquals(new float[] {-1, -0.5f, 0, 0.5f, 1, 1.5f}, f4.asFloats());
    assertArrayEquals(new float[] {0.1f, -2.5f, Float.POSITIVE_INFINITY}, read("f4_be").asFloats());

    assertArrayEquals(new double[] {Math.PI, -0.0, 1e-300, Double.NaN}, read("f8").asDoubles());
    assertArrayEquals(new double[] {-2.25, -1.25, -0.25, 0.75, 1.75}, read("f8_be").asDoubles());

    NpyArray i4 = read("i4");
    assertEquals("int32", i4.dtype());
    assertArrayEquals(new long[] {2, 3}, i4.shape());
    assertArrayEquals(new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 7}, i4.asInts());
    assertArrayEquals(new int[] {-7, 1 << 20}, read("i4_be").asInts());

    NpyArray i8 = read("i8");
    assertEquals("int64", i8.dtype());
    assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, 123456789012L}, i8.asLongs());
    assertArrayEquals(new long[] {-3L << 40, 5}, read("i8_be").asLongs());

    NpyArray b1 = read("b1");
    assertEquals("bool", b1.dtype());
    assertArrayEquals(new boolean[] {true, false, true}, b1.asBooleans());
    NpyArray u1 = read("u1");
    assertEquals("uint8", u1.dtype());
    assertArrayEquals(new int[] {0, 1, 127, 128, 255}, u1.asInts());

    NpyArray fortran = read("fortran");
    assertArrayEquals(new long[] {2, 3, 4}, fortran.shape());
    float[] expected = new float[24];
    for (int i = 0; i < 24; i++) {
      expected[i] = i;
    }
    assertArrayEquals(expected, fortran.asFloats());
    assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, read("fortran_i8_be").asLongs());

    NpyArray scalar = read("scalar");
    assertEquals(0, scalar.rank());
    assertArrayEquals(new double[] {3.5}, scalar.asDoubles());
    NpyArray empty = read("empty");
    assertArrayEquals(new long[] {0, 3}, empty.shape());
    assertEquals(0, empty.size());

    assertArrayEquals(new int[] {0, 1, 2, 3}, read("v2").asInts());
    assertArrayEquals(new double[] {0, 1, 2, 3}, read("v3").asDoubles());
    assertEquals(2, Files.readAllBytes(dir.resolve("v2.npy"))[6]);
    assertEquals(3, Files.readAllBytes(dir.resolve("v3.npy"))[6]);

    int[] big = read("big").asInts();
    assertEquals(300000, big.length);
    assertEquals(299999, big[299999]);
    assertEquals(123456, big[123456]);
  }

  private NpyArray read(String name) throws IOException {
    return NpyFile.read(dir.resolve(name + ".npy"));
  }

  /**
   * Loads each file NumPy-side, compares dtype, shape and values with the expected array, and
   * compares the file's bytes with numpy.save's bytes for that array.
   */
  static final String CHECK_CASES =
      String.join(
          "\n",
          "import sys, os, io, numpy as np",
          "d = sys.argv[1]",
          "expected = {",
          "  'f4': np.array([[1.5, -2.0, np.nan], [np.inf, 0.0, 1e-45]], dtype=np.float32),",
          "  'f8': np.array([np.pi, -1e300]),",
          "  'i4': np.arange(-5, 7, dtype=np.int32).reshape(2, 3, 2),",
          "  'i8': np.array([-2**63, 2**63 - 1], dtype=np.int64),",
          "  'b1': np.array([[True, False], [False, True]]),",
          "  'u1': np.array([0, 200, 255], dtype=np.uint8),",
          "  'scalar': np.array(np.float32(2.5)),",
          "  'empty': np.zeros((4, 0), dtype=np.float64),",
          "  'rows': np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32),",
          "}",
          "for name, want in expected.items():",
          "    path = os.path.join(d, name + '.npy')",
          "    got = np.load(path)",
          "    assert got.dtype == want.dtype, (name, got.dtype, want.dtype)",
          "    assert got.shape == want.shape, (name, got.shape, want.shape)",
          "    assert np.array_equal(got, want, equal_nan=want.dtype.kind == 'f'), (name, got)",
          "    buf = io.BytesIO()",
          "    np.save(buf, want)",
          "    raw = open(path, 'rb').read()",
          "    assert raw == buf.getvalue(), (name, raw[:128], buf.getvalue()[:128])",
          "print('checked', len(expected))");

  @Test
  void writesFilesNumpyReadsIdentically() throws IOException {
    write(
        "f4",
        NpyArray.ofFloats(
            new long[] {2, 3},
            new float[] {1.5f, -2, Float.NaN, Float.POSITIVE_INFINITY, 0, 1e-45f}));
    write("f8", NpyArray.ofDoubles(new long[] {2}, new double[] {Math.PI, -1e300}));
    int[] i4 = new int[12];
    for (int i = 0; i < 12; i++) {
      i4[i] = i - 5;
    }
    write("i4", NpyArray.ofInts(new long[] {2, 3, 2}, i4));
    write("i8", NpyArray.ofLongs(new long[] {2}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));
    write("b1", NpyArray.ofBooleans(new long[] {2, 2}, new boolean[] {true, false, false, true}));
    write("u1", NpyArray.ofUnsignedBytes(new long[] {3}, new byte[] {0, (byte) 200, (byte) 255}));
    write("scalar", NpyArray.ofFloats(new long[0], new float[] {2.5f}));
    write("empty", NpyArray.ofDoubles(new long[] {4, 0}, new double[0]));
    write("rows", NpyArray.ofInts(new int[][] {{1, 2, 3}, {4, 5, 6}}));

    String out = PythonKeras.runCode(CHECK_CASES, dir.toString()).stdout();
    assertTrue(out.contains("checked 9"), out);
  }

  private void write(String name, NpyArray a) throws IOException {
    NpyFile.write(dir.resolve(name + ".npy"), a);
  }
}
