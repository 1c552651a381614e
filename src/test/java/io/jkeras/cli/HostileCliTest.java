package io.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file commands under hostile or careless input (issue 13): every failure is exit code 2 and
 * one {@code jkeras:} line on standard error naming the file or input, never a stack trace, and
 * nothing allocates what a file merely claims.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileCliTest {

  static final Path DIR = ModelCommandsTest.DIR;

  @TempDir Path dir;

  /** Exit code and standard error of one command. */
  private record Outcome(int code, String err) {}

  private static Outcome run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Exit 2, one "jkeras:" line holding every {@code part}, no stack trace. */
  private static void refused(Outcome o, String... parts) {
    assertEquals(2, o.code(), o.err());
    String line = o.err().strip();
    assertTrue(line.startsWith("jkeras: "), o.err());
    assertFalse(line.contains("\n"), "more than one line: " + o.err());
    assertFalse(line.contains("\tat ") || line.contains("Exception:"), o.err());
    for (String p : parts) {
      assertTrue(line.contains(p), "\"" + p + "\" not in: " + line);
    }
  }

  /** A .npy file of the given header dictionary and data bytes. */
  private Path npy(String name, String header, long dataBytes) throws Exception {
    Path f = dir.resolve(name);
    int unpadded = 10 + header.length() + 1;
    String padded = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + padded.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII)).flip();
    try (FileChannel ch =
        FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(b);
      if (dataBytes > 0) {
        // A sparse file: the size NumPy would expect, without writing it.
        ch.write(ByteBuffer.wrap(new byte[1]), ch.position() + dataBytes - 1);
      }
    }
    return f;
  }

  private Path floats(float... tokens) throws Exception {
    float[] row = new float[50];
    System.arraycopy(tokens, 0, row, 0, tokens.length);
    Path f = dir.resolve("floats-" + System.nanoTime() + ".npy");
    NpyFile.write(f, NpyArray.ofFloats(new long[] {1, 50}, row));
    return f;
  }

  @Test
  void deeplyNestedNpyHeaderIsRefused() throws Exception {
    Path f = npy("nested.npy", "{'descr': '<f4', 'x': " + "[".repeat(5000) + "}", 0);
    refused(run("predict", DIR.resolve("model.keras").toString(), f.toString(), "o.npy"), "nested");
  }

  @Test
  void npyDeclaringMoreThanTheHeapIsRefusedBeforeAllocating() throws Exception {
    long n = Runtime.getRuntime().maxMemory() / 4 + (1L << 20);
    Path f =
        npy(
            "huge.npy",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", 1), }",
            n * 4);
    refused(
        run("predict", DIR.resolve("model.keras").toString(), f.toString(), "o.npy"),
        "huge.npy",
        "Java heap");
  }

  @Test
  void batchSizeZeroIsAUsageError() {
    refused(
        run(
            "predict",
            DIR.resolve("model.keras").toString(),
            DIR.resolve("input.npy").toString(),
            dir.resolve("o.npy").toString(),
            "--batch-size",
            "0"),
        "--batch-size");
  }

  @Test
  void floatsThatAreNotWholeIdsAreRefusedForEveryModelFormat() throws Exception {
    for (String model : new String[] {"model.keras", "model.h5", "saved_model/1"}) {
      for (float bad : new float[] {Float.NaN, 3.7f, Float.POSITIVE_INFINITY}) {
        Path in = floats(1, 2, bad);
        refused(
            run("predict", DIR.resolve(model).toString(), in.toString(), "o.npy"),
            in.getFileName().toString(),
            "tokens",
            "int32");
      }
      // Whole floats are ids, as in Keras.
      Path in = floats(1, 2, 3);
      Path out = dir.resolve("y.npy");
      Files.deleteIfExists(out);
      assertEquals(
          0, run("predict", DIR.resolve(model).toString(), in.toString(), out.toString()).code());
      assertArrayEquals(new long[] {1, 1}, NpyFile.read(out).shape());
    }
  }

  @Test
  void idsOutOfRangeNameTheInputTheRangeAndTheLayer() throws Exception {
    int[] row = new int[50];
    row[3] = 123456789;
    Path in = dir.resolve("ids.npy");
    NpyFile.write(in, NpyArray.ofInts(new long[] {1, 50}, row));
    for (String model : new String[] {"model.keras", "saved_model/1"}) {
      refused(
          run("predict", DIR.resolve(model).toString(), in.toString(), "o.npy"),
          "tokens",
          "123456789",
          "[0, 1000)");
    }
  }

  @Test
  void inspectOfANonModelStopsAfterAFewBytes() throws Exception {
    long t0 = System.nanoTime();
    refused(run("inspect", "/dev/zero"), "/dev/zero");
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "inspect /dev/zero took too long");
    Path text = dir.resolve("notes.keras");
    Files.writeString(text, "hello");
    refused(run("inspect", text.toString()), "notes.keras");
  }

  @Test
  void debugShowsTheStackTrace() throws Exception {
    Path f = npy("nested2.npy", "{'descr': '<f4', 'x': " + "[".repeat(100) + "}", 0);
    Outcome o =
        run("predict", DIR.resolve("model.keras").toString(), f.toString(), "o.npy", "--debug");
    assertEquals(2, o.code());
    assertTrue(o.err().startsWith("jkeras: "), o.err());
  }
}
