package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes charts, reads them back with ImageIO and looks for the expected pixels. */
class HistoryChartTest {

  @TempDir Path dir;

  static Map<String, List<Double>> history(double acc0, double loss0, int epochs) {
    Map<String, List<Double>> h = new LinkedHashMap<>();
    List<Double> acc = new ArrayList<>();
    List<Double> valAcc = new ArrayList<>();
    List<Double> loss = new ArrayList<>();
    List<Double> valLoss = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      acc.add(Math.min(0.99, acc0 + 0.08 * e));
      valAcc.add(Math.min(0.95, acc0 + 0.05 * e + 0.02));
      loss.add(loss0 / (1 + e));
      valLoss.add(loss0 / (1 + 0.6 * e) + 0.03);
    }
    h.put("accuracy", acc);
    h.put("loss", loss);
    h.put("val_accuracy", valAcc);
    h.put("val_loss", valLoss);
    return h;
  }

  static Map<String, Map<String, List<Double>>> twoModels(int epochs) {
    Map<String, Map<String, List<Double>>> m = new LinkedHashMap<>();
    m.put("baseline", history(0.72, 0.55, epochs));
    m.put("fm", history(0.66, 0.62, epochs));
    return m;
  }

  /** Pixels within a small distance of {@code c}, antialiasing aside. */
  static int countNear(BufferedImage img, Color c) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int dr = ((rgb >> 16) & 0xff) - c.getRed();
        int dg = ((rgb >> 8) & 0xff) - c.getGreen();
        int db = (rgb & 0xff) - c.getBlue();
        if (dr * dr + dg * dg + db * db < 12 * 12) {
          n++;
        }
      }
    }
    return n;
  }

  /** Pixels of {@code c} in the left half and in the right half of the image. */
  static int[] countNearByHalf(BufferedImage img, Color c) {
    int w = img.getWidth() / 2;
    return new int[] {
      countNear(img.getSubimage(0, 0, w, img.getHeight()), c),
      countNear(img.getSubimage(w, 0, img.getWidth() - w, img.getHeight()), c)
    };
  }

  BufferedImage writeAndRead(String name, Map<String, Map<String, List<Double>>> h)
      throws IOException {
    Path png = dir.resolve(name);
    HistoryChart.write(png, "IMDB: baseline vs FM", h);
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img, "ImageIO could not decode " + png);
    assertEquals(HistoryChart.DEFAULT_WIDTH, img.getWidth());
    assertEquals(HistoryChart.DEFAULT_HEIGHT, img.getHeight());
    return img;
  }

  @Test
  void drawsEveryModelInBothPanels() throws IOException {
    BufferedImage img = writeAndRead("chart.png", twoModels(8));
    for (int model = 0; model < 2; model++) {
      int[] halves = countNearByHalf(img, HistoryChart.colorOf(model));
      assertTrue(halves[0] > 100, "model " + model + " accuracy pixels: " + halves[0]);
      assertTrue(halves[1] > 100, "model " + model + " loss pixels: " + halves[1]);
    }
    int dark = countNear(img, new Color(20, 20, 20));
    assertTrue(dark > 200, "text and axes: " + dark + " dark pixels");
    int white = countNear(img, Color.WHITE);
    assertTrue(white > img.getWidth() * img.getHeight() / 2, "mostly white background");
  }

  @Test
  void drawsASingleEpochAsPoints() throws IOException {
    BufferedImage img = writeAndRead("one.png", twoModels(1));
    for (int model = 0; model < 2; model++) {
      int[] halves = countNearByHalf(img, HistoryChart.colorOf(model));
      // Legend samples plus one filled and one hollow marker per panel.
      assertTrue(halves[0] > 60, "model " + model + ": " + halves[0]);
      assertTrue(halves[1] > 60, "model " + model + ": " + halves[1]);
    }
    // The points themselves: with one epoch they sit at the horizontal middle of each panel.
    int[] plotPixels = new int[2];
    for (int model = 0; model < 2; model++) {
      Color c = HistoryChart.colorOf(model);
      for (int half = 0; half < 2; half++) {
        int cx = half * img.getWidth() / 2 + img.getWidth() / 4;
        plotPixels[model] += countNear(img.getSubimage(cx - 40, 50, 120, 360), c);
      }
      assertTrue(plotPixels[model] > 20, "model " + model + " markers: " + plotPixels[model]);
    }
  }

  @Test
  void toleratesMissingValuesEmptyPanelsAndManyEpochs() throws IOException {
    Map<String, Map<String, List<Double>>> h = new LinkedHashMap<>();
    List<Double> loss = new ArrayList<>();
    for (int e = 0; e < 120; e++) {
      loss.add(
          e == 40 ? Double.valueOf(Double.NaN) : e == 41 ? null : Double.valueOf(2.0 / (1 + e)));
    }
    Map<String, List<Double>> only = new LinkedHashMap<>();
    only.put("loss", loss);
    h.put("lossOnly", only);
    BufferedImage img = writeAndRead("losses.png", h);
    int[] halves = countNearByHalf(img, HistoryChart.colorOf(0));
    assertTrue(halves[1] > 100, "loss curve: " + halves[1]);
    assertTrue(halves[0] < 5, "empty accuracy panel: " + halves[0]);

    BufferedImage none = writeAndRead("empty.png", new LinkedHashMap<>());
    assertTrue(countNear(none, new Color(20, 20, 20)) > 100, "axes and labels still drawn");
  }

  @Test
  void replacesTheFileAtomically() throws IOException {
    Path png = dir.resolve("out/chart.png");
    HistoryChart.write(png, "first", twoModels(2), 400, 300);
    HistoryChart.write(png, "second", twoModels(3), 640, 360);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(640, img.getWidth());
    assertEquals(360, img.getHeight());
    try (Stream<Path> files = Files.list(png.getParent())) {
      assertEquals(List.of(png), files.toList());
    }
  }

  @Test
  void rejectsTinyImages() {
    assertThrows(
        IllegalArgumentException.class, () -> HistoryChart.render("t", twoModels(2), 100, 100));
  }

  @Test
  void picksRoundTickSteps() {
    assertEquals(0.05, HistoryChart.niceStep(0.031), 1e-12);
    assertEquals(0.2, HistoryChart.niceStep(0.11), 1e-12);
    assertEquals(1, HistoryChart.niceStep(1), 1e-12);
    assertEquals(50, HistoryChart.niceStep(23), 1e-9);
    assertEquals(1, HistoryChart.niceStep(0), 0);
    assertTrue(
        Arrays.stream(new int[] {0, 1, 9, 10, -1})
            .mapToObj(HistoryChart::colorOf)
            .allMatch(c -> c != null));
  }

  @Test
  void runsHeadless() {
    assertNotNull(HistoryChart.colorOf(0)); // initializes the class, which sets the property
    assertEquals("true", System.getProperty("java.awt.headless"));
    assertTrue(java.awt.GraphicsEnvironment.isHeadless());
  }
}
