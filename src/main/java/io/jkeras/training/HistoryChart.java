package io.jkeras.training;

import io.jkeras.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws Keras training histories as a PNG: metrics such as accuracy in the left panel, losses
 * (every series whose name contains "loss") in the right one, epochs on the x axis counted from 1.
 *
 * <p>Each model gets one color from {@link #colorOf(int)}, in the map's iteration order; training
 * series are solid, validation series ({@code val_...}) dashed. When a panel holds several metrics
 * of one model (say accuracy and auc) they differ by marker shape. Points are marked when there are
 * at most 30 epochs, so a single epoch still shows; non-finite values (NaN, infinities, nulls) are
 * left out and break the line.
 *
 * <p>Rendering uses {@code java.awt} without a display: the class sets {@code
 * java.awt.headless=true} unless the property was already set. The PNG is written to a temporary
 * file in the target's folder and moved over the target atomically.
 *
 * <pre>{@code
 * Map<String, Map<String, List<Double>>> histories = new LinkedHashMap<>();
 * histories.put("baseline", Map.of(
 *     "accuracy", List.of(0.80, 0.91), "val_accuracy", List.of(0.87, 0.89),
 *     "loss", List.of(0.42, 0.23), "val_loss", List.of(0.31, 0.27)));
 * histories.put("fm", fmHistory);
 * HistoryChart.write(Path.of("imdb.png"), "IMDB, 2 epochs", histories);
 * }</pre>
 */
public final class HistoryChart {

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Default image width in pixels. */
  public static final int DEFAULT_WIDTH = 1200;

  /** Default image height in pixels. */
  public static final int DEFAULT_HEIGHT = 560;

  /** Epoch counts up to this one get a marker on every point. */
  static final int MARKER_LIMIT = 30;

  private static final Color[] PALETTE = {
    new Color(31, 119, 180),
    new Color(230, 97, 1),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(140, 86, 75),
    new Color(227, 119, 194),
    new Color(23, 190, 207),
    new Color(188, 189, 34),
    new Color(90, 90, 90),
  };

  private static final Color GRID = new Color(226, 226, 226);
  private static final Color AXIS = new Color(60, 60, 60);
  private static final Color TEXT = new Color(20, 20, 20);
  private static final int MARGIN = 16;
  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
  private static final Font PANEL_TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

  private HistoryChart() {}

  /**
   * The color of the model at {@code index} in the map's iteration order (the palette repeats after
   * ten models).
   */
  public static Color colorOf(int index) {
    return PALETTE[Math.floorMod(index, PALETTE.length)];
  }

  /** Writes the chart at {@link #DEFAULT_WIDTH} x {@link #DEFAULT_HEIGHT}. */
  public static void write(
      Path png, String title, Map<String, Map<String, List<Double>>> historiesByModel)
      throws IOException {
    write(png, title, historiesByModel, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /**
   * Writes the chart as a PNG of the given size, replacing {@code png} atomically; its folder is
   * created if needed.
   *
   * @param historiesByModel model name to that model's history: metric name ({@code "accuracy"},
   *     {@code "val_loss"}, ...) to one value per epoch, as Keras' {@code History.history} holds it
   */
  public static void write(
      Path png,
      String title,
      Map<String, Map<String, List<Double>>> historiesByModel,
      int width,
      int height)
      throws IOException {
    BufferedImage image = render(title, historiesByModel, width, height);
    AtomicFile.writeCreatingFolder(
        png,
        tmp -> {
          if (!ImageIO.write(image, "png", tmp.toFile())) {
            throw new IOException("no PNG writer is available in this JDK");
          }
        });
  }

  /** Draws the chart into a new image, without writing it anywhere. */
  public static BufferedImage render(
      String title,
      Map<String, Map<String, List<Double>>> historiesByModel,
      int width,
      int height) {
    if (width < 300 || height < 200) {
      throw new IllegalArgumentException(
          "the chart needs at least 300 x 200 pixels, got " + width + " x " + height);
    }
    List<Series> metrics = new ArrayList<>();
    List<Series> losses = new ArrayList<>();
    int modelIndex = 0;
    for (Map.Entry<String, Map<String, List<Double>>> model : historiesByModel.entrySet()) {
      Color color = colorOf(modelIndex++);
      Map<String, Integer> shapeOfMetric = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> series : model.getValue().entrySet()) {
        String name = series.getKey();
        boolean validation = name.startsWith("val_");
        String base = validation ? name.substring(4) : name;
        boolean loss = base.contains("loss");
        List<Series> panel = loss ? losses : metrics;
        // Marker shapes tell apart the metrics of one model within one panel.
        int shape =
            shapeOfMetric.computeIfAbsent(
                (loss ? "L:" : "M:") + base,
                k ->
                    (int)
                        shapeOfMetric.keySet().stream()
                            .filter(s -> s.charAt(0) == k.charAt(0))
                            .count());
        panel.add(
            new Series(
                model.getKey() + " " + name, color, validation, shape, toArray(series.getValue())));
      }
    }

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);

      g.setFont(TITLE_FONT);
      g.setColor(TEXT);
      FontMetrics fm = g.getFontMetrics();
      String shown = title == null ? "" : title;
      g.drawString(shown, (width - fm.stringWidth(shown)) / 2, MARGIN + fm.getAscent());
      int top = MARGIN + fm.getHeight() + 8;

      int panelWidth = (width - 3 * MARGIN) / 2;
      int panelHeight = height - top - MARGIN;
      // Both panels reserve the taller legend, so their plot areas line up.
      g.setFont(TICK_FONT);
      int legendRows =
          Math.max(
              legendLayout(g, metrics, panelWidth).rows, legendLayout(g, losses, panelWidth).rows);
      String left = metricsTitle(metrics);
      drawPanel(g, MARGIN, top, panelWidth, panelHeight, left, metrics, false, legendRows);
      drawPanel(
          g,
          2 * MARGIN + panelWidth,
          top,
          panelWidth,
          panelHeight,
          "loss",
          losses,
          true,
          legendRows);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** One line of the chart. */
  private record Series(String label, Color color, boolean validation, int marker, double[] y) {}

  private static double[] toArray(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      Double v = values.get(i);
      out[i] = v == null ? Double.NaN : v;
    }
    return out;
  }

  /** "accuracy" when every left-panel series is an accuracy, else "metrics". */
  private static String metricsTitle(List<Series> metrics) {
    if (metrics.isEmpty()) {
      return "accuracy";
    }
    for (Series s : metrics) {
      if (!s.label().contains("acc")) {
        return "metrics";
      }
    }
    return "accuracy";
  }

  /** Where each legend entry goes: x offset and row, and the number of rows. */
  private record LegendLayout(List<int[]> positions, int rows, int rowHeight) {}

  private static final int LEGEND_SAMPLE = 30;

  private static LegendLayout legendLayout(Graphics2D g, List<Series> series, int width) {
    FontMetrics tm = g.getFontMetrics(TICK_FONT);
    List<int[]> positions = new ArrayList<>();
    int x = 0;
    int row = 0;
    for (Series s : series) {
      int entry = LEGEND_SAMPLE + 6 + tm.stringWidth(s.label()) + 18;
      if (x > 0 && x + entry > width) {
        row++;
        x = 0;
      }
      positions.add(new int[] {x, row});
      x += entry;
    }
    return new LegendLayout(positions, series.isEmpty() ? 0 : row + 1, tm.getHeight() + 4);
  }

  private static void drawPanel(
      Graphics2D g,
      int x0,
      int y0,
      int w,
      int h,
      String title,
      List<Series> series,
      boolean isLoss,
      int legendRows) {
    String yLabel = title;
    Font titleFont = PANEL_TITLE_FONT;
    Font tickFont = TICK_FONT;
    Font labelFont = LABEL_FONT;

    // Data ranges.
    int epochs = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      epochs = Math.max(epochs, s.y().length);
      for (double v : s.y()) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    boolean hasData = lo <= hi;
    if (!hasData) {
      lo = 0;
      hi = 1;
    } else if (!isLoss && lo >= 0 && hi <= 1 && hi - lo < 1e-12) {
      lo = Math.max(0, lo - 0.05);
      hi = Math.min(1, hi + 0.05);
    }
    if (hi - lo < 1e-12) {
      double pad = Math.max(Math.abs(hi) * 0.05, 0.05);
      lo -= pad;
      hi += pad;
    }
    double span = hi - lo;
    lo -= span * 0.05;
    hi += span * 0.05;
    if (hasData && lo < 0 && loValueAtLeast(series, 0)) {
      lo = 0; // accuracies and usual losses are never negative: show no negative ticks
    }
    double yStep = niceStep((hi - lo) / 5);
    double yMin = Math.floor(lo / yStep) * yStep;
    double yMax = Math.ceil(hi / yStep) * yStep;
    int yDecimals = decimals(yStep);

    int xEpochs = Math.max(epochs, 1);
    double xMin = xEpochs == 1 ? 0 : 1 - 0.03 * (xEpochs - 1);
    double xMax = xEpochs == 1 ? 2 : xEpochs + 0.03 * (xEpochs - 1);
    double xStep = Math.max(1, niceStep((xEpochs - 1) / 8.0));

    g.setFont(tickFont);
    FontMetrics tm = g.getFontMetrics();
    LegendLayout legend = legendLayout(g, series, w);
    int rowHeight = legend.rowHeight();
    int sample = LEGEND_SAMPLE;
    int legendHeight = legendRows == 0 ? 0 : legendRows * rowHeight + 6;

    // Panel title.
    g.setFont(titleFont);
    g.setColor(TEXT);
    FontMetrics ttm = g.getFontMetrics();
    g.drawString(title, x0 + (w - ttm.stringWidth(title)) / 2, y0 + ttm.getAscent());

    // Plot rectangle.
    g.setFont(tickFont);
    int tickLabelWidth = 0;
    for (double v = yMin; v <= yMax + yStep / 2; v += yStep) {
      tickLabelWidth = Math.max(tickLabelWidth, tm.stringWidth(format(v, yDecimals)));
    }
    g.setFont(labelFont);
    FontMetrics lm = g.getFontMetrics();
    int left = x0 + lm.getHeight() + 6 + tickLabelWidth + 8;
    int right = x0 + w - 12;
    int plotTop = y0 + ttm.getHeight() + 8;
    int bottom = y0 + h - legendHeight - tm.getHeight() - lm.getHeight() - 16;
    if (bottom - plotTop < 40) {
      bottom = plotTop + 40;
    }
    Rectangle2D plot = new Rectangle2D.Double(left, plotTop, right - left, bottom - plotTop);

    // Grid and ticks.
    g.setFont(tickFont);
    for (int i = 0; ; i++) {
      double v = yMin + i * yStep;
      if (v > yMax + yStep / 2) {
        break;
      }
      int py = (int) Math.round(mapY(v, yMin, yMax, plot));
      g.setColor(GRID);
      g.drawLine(left, py, right, py);
      g.setColor(TEXT);
      String label = format(v, yDecimals);
      g.drawString(label, left - 6 - tm.stringWidth(label), py + tm.getAscent() / 2 - 1);
    }
    for (double e : epochTicks(xEpochs, xStep)) {
      int px = (int) Math.round(mapX(e, xMin, xMax, plot));
      g.setColor(GRID);
      g.drawLine(px, plotTop, px, bottom);
      g.setColor(AXIS);
      g.drawLine(px, bottom, px, bottom + 4);
      g.setColor(TEXT);
      String label = format(e, 0);
      g.drawString(label, px - tm.stringWidth(label) / 2, bottom + 6 + tm.getAscent());
    }
    g.setColor(AXIS);
    g.setStroke(new BasicStroke(1f));
    g.draw(plot);

    // Axis labels.
    g.setFont(labelFont);
    g.setColor(TEXT);
    String xLabel = "epoch";
    g.drawString(
        xLabel,
        (int) (plot.getCenterX() - lm.stringWidth(xLabel) / 2.0),
        bottom + 8 + tm.getHeight() + lm.getAscent());
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(
        yLabel, (int) -(plot.getCenterY() + lm.stringWidth(yLabel) / 2.0), x0 + lm.getAscent());
    g.setTransform(saved);

    if (!hasData) {
      g.setFont(labelFont);
      g.setColor(Color.GRAY);
      String none = "no data";
      g.drawString(
          none, (int) (plot.getCenterX() - lm.stringWidth(none) / 2.0), (int) plot.getCenterY());
    }

    // Series.
    java.awt.Shape clip = g.getClip();
    g.setClip(plot);
    boolean markers = xEpochs <= MARKER_LIMIT;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(stroke(s.validation()));
      Path2D.Double line = new Path2D.Double();
      boolean open = false;
      for (int i = 0; i < s.y().length; i++) {
        double v = s.y()[i];
        if (!Double.isFinite(v)) {
          open = false;
          continue;
        }
        double px = mapX(i + 1, xMin, xMax, plot);
        double py = mapY(v, yMin, yMax, plot);
        if (open) {
          line.lineTo(px, py);
        } else {
          line.moveTo(px, py);
          open = true;
        }
      }
      g.draw(line);
      if (markers) {
        for (int i = 0; i < s.y().length; i++) {
          double v = s.y()[i];
          if (Double.isFinite(v)) {
            drawMarker(g, s, mapX(i + 1, xMin, xMax, plot), mapY(v, yMin, yMax, plot));
          }
        }
      }
    }
    g.setClip(clip);

    // Legend.
    g.setFont(tickFont);
    int legendTop = y0 + h - legendHeight + 4;
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      int ex = x0 + 8 + legend.positions().get(i)[0];
      int ey = legendTop + legend.positions().get(i)[1] * rowHeight + rowHeight / 2;
      g.setColor(s.color());
      g.setStroke(stroke(s.validation()));
      g.drawLine(ex, ey, ex + sample, ey);
      drawMarker(g, s, ex + sample / 2.0, ey);
      g.setColor(TEXT);
      g.drawString(s.label(), ex + sample + 6, ey + tm.getAscent() / 2 - 1);
    }
    g.setStroke(new BasicStroke(1f));
  }

  /** Epoch 1, then the multiples of {@code step} that are not crowded against it. */
  static List<Double> epochTicks(int epochs, double step) {
    List<Double> ticks = new ArrayList<>();
    ticks.add(1.0);
    for (double e = step; e <= epochs + 1e-9; e += step) {
      if (e - 1 >= step / 2) {
        ticks.add(e);
      }
    }
    return ticks;
  }

  private static boolean loValueAtLeast(List<Series> series, double bound) {
    for (Series s : series) {
      for (double v : s.y()) {
        if (Double.isFinite(v) && v < bound) {
          return false;
        }
      }
    }
    return true;
  }

  private static Stroke stroke(boolean dashed) {
    return dashed
        ? new BasicStroke(
            2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f)
        : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  /** Filled marker for training series, white-filled outline for validation series. */
  private static void drawMarker(Graphics2D g, Series s, double x, double y) {
    double r = 4.5;
    Shape shape =
        switch (s.marker() % 4) {
          case 0 -> new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
          case 1 -> new Rectangle2D.Double(x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r);
          case 2 -> polygon(new double[] {x, x + r, x - r}, new double[] {y - r, y + r, y + r});
          default -> polygon(new double[] {x, x + r, x, x - r}, new double[] {y - r, y, y + r, y});
        };
    Stroke saved = g.getStroke();
    g.setStroke(new BasicStroke(1.6f));
    if (s.validation()) {
      g.setColor(Color.WHITE);
      g.fill(shape);
      g.setColor(s.color());
      g.draw(shape);
    } else {
      g.setColor(s.color());
      g.fill(shape);
    }
    g.setStroke(saved);
  }

  private static Shape polygon(double[] xs, double[] ys) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xs[0], ys[0]);
    for (int i = 1; i < xs.length; i++) {
      p.lineTo(xs[i], ys[i]);
    }
    p.closePath();
    return p;
  }

  private static double mapX(double x, double min, double max, Rectangle2D plot) {
    return plot.getX() + (x - min) / (max - min) * plot.getWidth();
  }

  private static double mapY(double y, double min, double max, Rectangle2D plot) {
    return plot.getMaxY() - (y - min) / (max - min) * plot.getHeight();
  }

  /** The smallest 1, 2 or 5 times a power of ten that is at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0) || !Double.isFinite(raw)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / power;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * power;
  }

  private static int decimals(double step) {
    return (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  }

  private static String format(double v, int decimals) {
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
  }
}
