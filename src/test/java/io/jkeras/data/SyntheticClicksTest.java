package io.jkeras.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.ctr.ClickMetrics;
import io.jkeras.ctr.CtrModels;
import io.jkeras.losses.BinaryCrossentropy;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adam;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticClicksTest {

  @TempDir Path dir;

  @Test
  void tsvHasCriteosColumnsAndIsTheSameForTheSameSeed() throws IOException {
    SyntheticClicks clicks = SyntheticClicks.builder().rows(10_000).seed(3).build();
    Path a = dir.resolve("a.tsv");
    Path b = dir.resolve("b.tsv");
    double rate = clicks.writeTsv(a);
    clicks.writeTsv(b);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    List<String> lines = Files.readAllLines(a);
    assertEquals(10_001, lines.size());
    String[] header = lines.get(0).split("\t");
    assertEquals(1 + 13 + 26, header.length);
    assertEquals("label", header[0]);
    assertEquals("I13", header[13]);
    assertEquals("C26", header[39]);
    assertTrue(lines.get(1).split("\t")[20].matches("[0-9a-f]{8}"), lines.get(1));
    // The bias is calibrated on a separate sample: the written share of clicks is near 0.25.
    assertEquals(0.25, rate, 0.02);
    long ones = lines.stream().skip(1).filter(l -> l.startsWith("1\t")).count();
    assertEquals(rate, ones / 10_000.0, 1e-12);
    // Another seed gives other rows.
    Path c = dir.resolve("c.tsv");
    SyntheticClicks.builder().rows(10_000).seed(4).build().writeTsv(c);
    assertTrue(!Files.readString(a).equals(Files.readString(c)));
    // The TSV streams through CsvReader with hashing.
    CsvReader.Fitted fitted = clicks.csvReader(1 << 12).build().fit(a);
    assertEquals(26, fitted.features().fieldCount());
    assertEquals(10_000, ClickStream.csv(a, fitted).batchSize(512).build().rows());
  }

  @Test
  void idsFollowTheBoundedZipfLaw() throws IOException {
    int n = 1000;
    double s = 1.1;
    int rows = 60_000;
    SyntheticClicks clicks =
        SyntheticClicks.builder()
            .rows(rows)
            .vocabularySizes(n)
            .numericColumns(0)
            .zipfExponent(s)
            .build();
    Path file = dir.resolve("z.libfm");
    clicks.writeLibfm(file);
    ClickData data = LibfmReader.builder().fields(1).idBound(n).read(file);
    int[] counts = new int[n];
    for (int r = 0; r < rows; r++) {
      counts[data.id(r, 0)]++;
    }
    // P(id = r) = F(r + 2) - F(r + 1), F(x) = (x^(1-s) - 1) / ((n+1)^(1-s) - 1): the continuous
    // inverse CDF the generator samples, floored.
    double norm = Math.pow(n + 1.0, 1 - s) - 1;
    for (int r : new int[] {0, 1, 2, 5, 20, 100}) {
      double p = (Math.pow(r + 2.0, 1 - s) - Math.pow(r + 1.0, 1 - s)) / norm;
      double expected = p * rows;
      double sigma = Math.sqrt(rows * p * (1 - p));
      assertEquals(expected, counts[r], 4 * sigma, "id " + r);
    }
    assertTrue(counts[0] > 5 * counts[10], "skewed: " + counts[0] + " vs " + counts[10]);
  }

  @Test
  void labelsCarrySignalAnFmCanLearn() throws IOException {
    int[] sizes = new int[26];
    java.util.Arrays.fill(sizes, 40);
    SyntheticClicks clicks =
        SyntheticClicks.builder().rows(30_000).seed(11).vocabularySizes(sizes).build();
    Path file = dir.resolve("fm.libfm");
    clicks.writeLibfm(file);
    ClickData all =
        LibfmReader.builder().fields(26).idBound((int) clicks.idBound()).build().read(file);
    ClickData[] parts = all.split(0.2, 1);
    Features features = Features.oneHot(26, (int) clicks.idBound(), 4);
    try (Model model = CtrModels.builder("fm", features).build()) {
      model.compile(new Adam(0.01, 0.9, 0.999, 1e-7), new BinaryCrossentropy(), new String[0]);
      model.fit(
          CtrModels.inputs(model, parts[0]),
          List.of(parts[0].labels()),
          FitOptions.epochs(3).batchSize(256).verbose(0));
      var p = model.predict(CtrModels.inputs(model, parts[1]), 1024).get(0);
      float[] scores = new float[parts[1].rows()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = p.getFloat(i, 0);
      }
      double auc = ClickMetrics.auc(parts[1].labelArray(), scores);
      assertTrue(auc > 0.7, "test AUC " + auc + " (0.5 would be labels without signal)");
    }
  }
}
