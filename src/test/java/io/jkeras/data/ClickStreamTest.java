package io.jkeras.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickStreamTest {

  @TempDir Path dir;

  /**
   * 103 one-hot rows of 3 fields: row r has ids (r, 1000 + r % 7, 2000 + r % 11), label r % 3 == 0.
   */
  private Path libfm(int rows) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      s.append(r % 3 == 0 ? "1" : "-1")
          .append(' ')
          .append(r)
          .append(":1 ")
          .append(1000 + r % 7)
          .append(":1 ")
          .append(2000 + r % 11)
          .append(":1\n");
    }
    Path file = dir.resolve("rows.libfm");
    Files.writeString(file, s);
    return file;
  }

  private static List<ClickData> pass(ClickStream stream) {
    List<ClickData> out = new ArrayList<>();
    try (ClickStream.Batches b = stream.iterator()) {
      while (b.hasNext()) {
        out.add(b.next());
      }
    }
    return out;
  }

  /** The first id of each row of the batches, in order. */
  private static int[] firstIds(List<ClickData> batches) {
    return batches.stream()
        .flatMapToInt(b -> java.util.stream.IntStream.range(0, b.rows()).map(r -> b.id(r, 0)))
        .toArray();
  }

  @Test
  void withoutShufflingBatchesAreTheFileInOrder() throws IOException {
    Path file = libfm(103);
    LibfmReader reader = LibfmReader.builder().fields(3).build();
    ClickStream stream = ClickStream.libfm(file, reader).batchSize(10).build();
    assertEquals(103, stream.rows());
    assertEquals(11, stream.batchesPerEpoch());
    List<ClickData> batches = pass(stream);
    assertEquals(11, batches.size());
    assertEquals(3, batches.get(10).rows());
    ClickData all = reader.read(file);
    int row = 0;
    for (ClickData b : batches) {
      for (int r = 0; r < b.rows(); r++, row++) {
        for (int f = 0; f < 3; f++) {
          assertEquals(all.id(row, f), b.id(r, f));
        }
        assertEquals(all.label(row), b.label(r));
      }
    }
    assertEquals(103, row);
  }

  @Test
  void shufflingKeepsEveryRowOnceAndEachPassHasItsOwnOrder() throws IOException {
    Path file = libfm(103);
    LibfmReader reader = LibfmReader.builder().fields(3).build();
    ClickStream stream =
        ClickStream.libfm(file, reader).batchSize(16).shuffleBuffer(40).seed(5).build();
    int[] first = firstIds(pass(stream));
    int[] second = firstIds(pass(stream));
    int[] identity = java.util.stream.IntStream.range(0, 103).toArray();
    assertFalse(Arrays.equals(identity, first), "a 40-row buffer moves rows");
    assertNotEquals(Arrays.toString(first), Arrays.toString(second), "pass 1 reshuffles");
    int[] sorted = first.clone();
    Arrays.sort(sorted);
    assertArrayEquals(identity, sorted, "every row exactly once");
    sorted = second.clone();
    Arrays.sort(sorted);
    assertArrayEquals(identity, sorted);
    // Rows stay whole: the other fields and the label travel with the first id.
    for (ClickData b : pass(stream)) {
      for (int r = 0; r < b.rows(); r++) {
        int id = b.id(r, 0);
        assertEquals(1000 + id % 7, b.id(r, 1));
        assertEquals(2000 + id % 11, b.id(r, 2));
        assertEquals(id % 3 == 0 ? 1f : 0f, b.label(r));
      }
    }
    // The same seed repeats the same passes.
    ClickStream again =
        ClickStream.libfm(file, reader).batchSize(16).shuffleBuffer(40).seed(5).build();
    assertArrayEquals(first, firstIds(pass(again)));
    // A buffer of 40 rows cannot move a row more than 40 places earlier than its file position.
    for (int i = 0; i < first.length; i++) {
      assertTrue(first[i] <= i + 40, "row " + first[i] + " at position " + i);
    }
  }

  @Test
  void csvRowsStreamAsTheFittedReaderReadsThem() throws IOException {
    Path file = dir.resolve("clicks.tsv");
    Files.writeString(
        file, "y\tuser\tad\tprice\n1\ta\tx\t1.5\n0\tb\ty\t2\n0\ta\tz\t3\n1\tc\tx\t4.25\n");
    CsvReader.Fitted fitted =
        CsvReader.builder()
            .separator('\t')
            .label("y")
            .categorical("user")
            .hashed("ad", 16)
            .numeric("price")
            .build()
            .fit(file);
    ClickData all = fitted.read(file);
    List<ClickData> batches = pass(ClickStream.csv(file, fitted).batchSize(3).build());
    assertEquals(List.of(3, 1), batches.stream().map(ClickData::rows).toList());
    for (int r = 0; r < 4; r++) {
      ClickData b = batches.get(r / 3);
      int i = r % 3;
      assertEquals(all.id(r, 0), b.id(i, 0));
      assertEquals(all.id(r, 1), b.id(i, 1));
      assertEquals(all.label(r), b.label(i));
      assertEquals(all.numeric().valueAt(r), b.numeric().valueAt(i), 0);
    }
  }

  @Test
  void aBadLineFailsBeforeTrainingOrEndsThePassThatReachesIt() throws IOException {
    Path file = libfm(50);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(41, "1 41:1 1006:1");
    Files.write(file, lines);
    LibfmReader reader = LibfmReader.builder().fields(3).build();
    DataFormatException early =
        assertThrows(
            DataFormatException.class, () -> ClickStream.libfm(file, reader).batchSize(8).build());
    assertTrue(early.getMessage().contains("rows.libfm:42:"), early.getMessage());
    ClickStream lazy = ClickStream.libfm(file, reader).batchSize(8).validateFirst(false).build();
    assertEquals(-1, lazy.rows());
    int[] seen = {0};
    try (ClickStream.Batches b = lazy.iterator()) {
      DataFormatException late =
          assertThrows(
              DataFormatException.class,
              () -> {
                while (b.hasNext()) {
                  b.next();
                  seen[0]++;
                }
              });
      assertTrue(late.getMessage().contains("rows.libfm:42:"), late.getMessage());
    }
    assertEquals(5, seen[0], "the 40 good rows before line 42 arrive first, in 5 batches");
  }

  @Test
  void closingAPassEarlyStopsItsThread() throws IOException {
    Path file = libfm(2000);
    ClickStream stream =
        ClickStream.libfm(file, LibfmReader.builder().fields(3).build())
            .batchSize(4)
            .prefetch(1)
            .build();
    String threadName = "jkeras-click-stream rows.libfm";
    try (ClickStream.Batches b = stream.iterator()) {
      b.next();
      assertTrue(threadAlive(threadName), "the producer waits on the full queue");
    }
    assertFalse(threadAlive(threadName), "close() ended the producer");
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  @Test
  void emptyFilesAreRefused() throws IOException {
    Path file = dir.resolve("empty.libfm");
    Files.writeString(file, "\n");
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> ClickStream.libfm(file, LibfmReader.builder().fields(3).build()).build());
    assertTrue(e.getMessage().contains("empty.libfm"), e.getMessage());
  }
}
