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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The file commands under hostile or careless input (issue 13): every failure is exit code 2 and
 * one {@code jkeras:} line on standard error naming the file or input, never a stack trace, and
 * nothing allocates what a file merely claims.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileCliTest {

  static final Path DIR = ModelCommandsTest.DIR;

  @TempDir Path dir;

  /**
   * Starts SLF4J before any standard error is captured: its one-time notes (several providers on
   * the test class path) would otherwise land in the first captured command's output.
   */
  @BeforeAll
  static void startLogging() {
    LoggerFactory.getLogger(HostileCliTest.class);
  }

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

  /** The names in {@code dir}, hidden temporary files included. */
  private List<String> filesIn(Path folder) throws Exception {
    try (var files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void clicksRowsMustBeAPositiveWholeNumber() throws Exception {
    Path out = dir.resolve("clicks.tsv");
    for (String rows : new String[] {"0", "-5", "many", "1.5", ""}) {
      refused(
          run("clicks", "--rows", rows, "--out", out.toString()),
          "clicks: --rows: expected a whole number >= 1",
          "got \"" + rows + "\"");
    }
    refused(
        run("clicks", "--rows", "3", "--vocab", "0", "--out", out.toString()),
        "--vocab: expected a whole number from 1 to 2147483647, got \"0\"");
    refused(
        run("clicks", "--rows", "3", "--zipf", "steep", "--out", out.toString()),
        "--zipf: expected a number > 0, got \"steep\"");
    assertEquals(List.of(), filesIn(dir));
    // The same command with good values writes the header and every row.
    assertEquals(0, run("clicks", "--rows", "1_0", "--out", out.toString()).code());
    assertEquals(11, Files.readAllLines(out).size());
  }

  @Test
  void clicksOutThatCannotBeWrittenIsRefusedAndLeavesNoFile() throws Exception {
    Path missing = dir.resolve("no-such-folder").resolve("clicks.tsv");
    refused(
        run("clicks", "--rows", "10", "--out", missing.toString()),
        "--out: expected an existing folder",
        dir.resolve("no-such-folder").toString(),
        "does not exist");
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "a file, not a folder");
    refused(
        run("clicks", "--rows", "10", "--out", file.resolve("clicks.libfm").toString()),
        "--out: expected an existing folder",
        "is not a folder");
    Path folder = Files.createDirectory(dir.resolve("taken.tsv"));
    refused(
        run("clicks", "--rows", "10", "--out", folder.toString()),
        "--out: expected a file, got the folder");
    // The folder exists, but the file system refuses the name: the write itself fails.
    Path tooLong = dir.resolve("c".repeat(300) + ".tsv");
    refused(
        run("clicks", "--rows", "100000", "--out", tooLong.toString()),
        "clicks: --out: cannot write",
        "File name too long");
    assertEquals(List.of("notes.txt", "taken.tsv"), filesIn(dir));
    assertEquals(List.of(), filesIn(folder));
  }

  @Test
  void ctrWithAnUnknownStrategyOrNegativeThreadsIsAUsageErrorBeforeAnythingIsWritten()
      throws Exception {
    Path out = dir.resolve("ctr-out");
    refused(
        run("ctr", "--strategy", "nosuch", "--models", "fm", "--out", out.toString()),
        "--strategy: expected multi_worker_mirrored or parameter_server, got \"nosuch\"");
    refused(
        run("ctr", "--strategy", "Mirrored", "--out", out.toString()),
        "--strategy",
        "got \"Mirrored\"");
    assertFalse(Files.exists(out));
    refused(
        run("ctr", "--intra-op-threads", "-1", "--out", out.toString()),
        "--intra-op-threads: expected 0 or more, got -1");
    assertFalse(Files.exists(out));
    refused(
        run("ctr", "--min-shard-bytes", "4096", "--out", out.toString()),
        "--min-shard-bytes: only --strategy parameter_server splits tables; no --strategy given");
    refused(
        run(
            "ctr",
            "--strategy",
            "multi_worker_mirrored",
            "--models",
            "fm",
            "--min-shard-bytes",
            "4096",
            "--out",
            out.toString()),
        "--min-shard-bytes: only --strategy parameter_server splits tables, got --strategy"
            + " multi_worker_mirrored");
    for (String bad : List.of("0", "-5", "1e6", "lots")) {
      refused(
          run(
              "ctr",
              "--strategy",
              "parameter_server",
              "--min-shard-bytes",
              bad,
              "--out",
              out.toString()),
          "--min-shard-bytes: expected a positive number of bytes, got \"" + bad + "\"");
    }
    assertFalse(Files.exists(out));
  }

  @Test
  void debugShowsTheStackTrace() throws Exception {
    Path f = npy("nested2.npy", "{'descr': '<f4', 'x': " + "[".repeat(100) + "}", 0);
    Outcome o =
        run("predict", DIR.resolve("model.keras").toString(), f.toString(), "o.npy", "--debug");
    assertEquals(2, o.code());
    assertTrue(o.err().startsWith("jkeras: "), o.err());
  }

  @Test
  void aFlagGivenAValueIsRefusedNotTakenAsSet() {
    Path out = dir.resolve("trained.keras");
    refused(
        run(
            "fit",
            DIR.resolve("model.keras").toString(),
            DIR.resolve("input.npy").toString(),
            DIR.resolve("expected.npy").toString(),
            out.toString(),
            "--no-shuffle=false"),
        "fit: option --no-shuffle takes no value, got \"--no-shuffle=false\"");
    assertFalse(Files.exists(out));
    refused(run("inspect", "--help=yes"), "inspect: option --help takes no value");
  }

  @Test
  void dashHIsHelpForEveryCommandAsForJkerasItself() {
    for (String command :
        List.of("inspect", "convert", "predict", "fit", "imdb", "ctr", "clicks")) {
      PrintStream out = System.out;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int code;
      try {
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        code = Main.run(new String[] {command, "-h"});
      } finally {
        System.setOut(out);
      }
      assertEquals(0, code, command);
      assertTrue(
          buf.toString(StandardCharsets.UTF_8).startsWith("usage: jkeras " + command), command);
    }
  }
}
