package io.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.data.SyntheticClicks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jkeras ctr --stream}: training from disk learns what training in memory learns. */
class CtrStreamTest {

  @TempDir Path dir;

  private static double testAuc(Path results) throws IOException {
    Matcher m = Pattern.compile("\"test_auc\": ([0-9.]+)").matcher(Files.readString(results));
    assertTrue(m.find(), Files.readString(results));
    return Double.parseDouble(m.group(1));
  }

  private List<String> job(Path train, Path test, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ctr",
                "--train",
                train.toString(),
                "--test",
                test.toString(),
                "--models",
                "fm",
                "--emb",
                "4",
                "--epochs",
                "3",
                "--batch-size",
                "256",
                "--learning-rate",
                "0.01",
                "--verbose",
                "0",
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void streamedTrainingMatchesInMemoryTrainingOnTsvAndLibfm() throws IOException {
    int[] vocab = {40, 40, 40, 40, 40, 40, 40, 40};
    for (String ext : List.of("tsv", "libfm")) {
      Path train = dir.resolve("train." + ext);
      Path valid = dir.resolve("valid." + ext);
      Path test = dir.resolve("test." + ext);
      SyntheticClicks.Builder b =
          SyntheticClicks.builder().seed(5).vocabularySizes(vocab).numericColumns(2);
      List<SyntheticClicks> parts =
          List.of(
              b.rows(14_400).firstRow(0).build(),
              b.rows(1_600).firstRow(14_400).build(),
              b.rows(4_000).firstRow(16_000).build());
      if (ext.equals("tsv")) {
        parts.get(0).writeTsv(train);
        parts.get(1).writeTsv(valid);
        parts.get(2).writeTsv(test);
      } else {
        parts.get(0).writeLibfm(train);
        parts.get(1).writeLibfm(valid);
        parts.get(2).writeLibfm(test);
      }
      String[] csv =
          ext.equals("tsv")
              ? new String[] {
                "--label", "label", "--categorical", "C1,C2,C3,C4,C5,C6,C7,C8", "--numeric", "I1,I2"
              }
              : new String[0];
      Path memoryOut = dir.resolve("memory-" + ext);
      List<String> memory = job(train, test, memoryOut, csv);
      assertEquals(0, Main.run(memory.toArray(String[]::new)));
      Path streamOut = dir.resolve("stream-" + ext);
      List<String> streamed = job(train, test, streamOut, csv);
      streamed.addAll(List.of("--stream", "--valid", valid.toString(), "--shuffle-buffer", "4000"));
      assertEquals(0, Main.run(streamed.toArray(String[]::new)));
      double inMemory = testAuc(memoryOut.resolve("results.json"));
      double fromDisk = testAuc(streamOut.resolve("results.json"));
      System.out.printf(
          "CtrStreamTest %s: test AUC in memory %.4f, streamed %.4f%n", ext, inMemory, fromDisk);
      assertTrue(inMemory > 0.7, ext + " in memory: " + inMemory);
      assertEquals(inMemory, fromDisk, 0.02, ext + ": streamed vs in memory");
    }
  }

  @Test
  void streamingNeedsValidationRows() throws IOException {
    Path train = dir.resolve("t.libfm");
    SyntheticClicks.builder().rows(100).vocabularySizes(5, 5).build().writeLibfm(train);
    List<String> args = job(train, train, dir.resolve("o"), "--stream");
    assertEquals(2, Main.run(args.toArray(String[]::new)));
  }
}
