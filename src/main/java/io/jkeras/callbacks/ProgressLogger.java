package io.jkeras.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras 3's progress output for {@code fit}: "Epoch 1/2", then either a live bar redrawn on a
 * terminal ({@code verbose = 1}: {@code 782/782 ━━━━━━━━━━━━━━━━━━━━ 13s 17ms/step - accuracy:
 * 0.7700 - loss: 0.4500}) or one line per epoch for logs and CI ({@code verbose = 2}).
 *
 * <p>jkeras is a library, so by default {@code fit} writes no console output: its progress goes to
 * the SLF4J logger {@code io.jkeras.callbacks.ProgressLogger} at INFO level, one line per epoch
 * (configure it in your logging set-up). Pass a {@code ProgressLogger} with a {@link PrintStream}
 * among the callbacks to print to a console instead, as the {@code jkeras} command line does; fit
 * then adds no logger of its own.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(2));                         // progress to SLF4J
 * model.fit(x, y, FitOptions.epochs(2).callbacks(new ProgressLogger(1, System.out)));  // console
 * }</pre>
 */
public class ProgressLogger implements Callback {

  private static final int WIDTH = 20;

  private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);

  private final PrintStream out;
  private final int verbose;
  private int epochs;
  // Steps per epoch, or 0 while unknown (streamed data before its first full pass).
  private int steps;
  private int stepsSeen;
  private long epochStart;
  private long lastDraw;
  private int previousWidth;

  /** {@code verbose}: 1 for the live bar, 2 for a line per epoch, printed to {@code out}. */
  public ProgressLogger(int verbose, PrintStream out) {
    this.verbose = verbose;
    this.out = out;
  }

  /**
   * Progress to the SLF4J logger {@code io.jkeras.callbacks.ProgressLogger} at INFO level, one line
   * per epoch (a redrawn bar does not belong in a log).
   *
   * <pre>{@code
   * model.fit(x, y, FitOptions.epochs(2).callbacks(ProgressLogger.toLog()));
   * }</pre>
   */
  public static ProgressLogger toLog() {
    return new ProgressLogger(2, null);
  }

  private void line(String text) {
    if (out != null) {
      out.println(text);
    } else {
      LOG.info(text);
    }
  }

  /** Keras's "auto": the bar when standard output is a terminal, else a line per epoch. */
  public static int autoVerbosity() {
    return System.console() != null ? 1 : 2;
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    epochs = run.epochs();
    steps = Math.max(0, run.stepsPerEpoch());
  }

  @Override
  public void onEpochBegin(int epoch) {
    line("Epoch " + (epoch + 1) + "/" + epochs);
    epochStart = System.nanoTime();
    lastDraw = 0;
    previousWidth = 0;
    stepsSeen = 0;
  }

  @Override
  public void onBatchEnd(int batch, Map<String, Double> logs) {
    stepsSeen = batch + 1;
    if (verbose != 1 || out == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < 50_000_000L && (steps == 0 || batch + 1 < steps)) {
      return;
    }
    lastDraw = now;
    double elapsed = (now - epochStart) / 1e9;
    double perStep = elapsed / (batch + 1);
    if (steps == 0) {
      // As Keras's bar for data of unknown length: a count and the time so far.
      String line =
          String.format(Locale.ROOT, "%7d/Unknown %.0fs", batch + 1, elapsed)
              + formatStep(perStep)
              + values(logs);
      String pad = " ".repeat(Math.max(0, previousWidth - line.length()));
      out.print("\r" + line + pad);
      out.flush();
      previousWidth = line.length();
      return;
    }
    int done = (int) ((double) WIDTH * (batch + 1) / steps);
    String count = String.format(Locale.ROOT, "%" + digits(steps) + "d/%d", batch + 1, steps);
    String bar = count + " " + "━".repeat(done) + " ".repeat(WIDTH - done);
    String eta = formatEta(perStep * (steps - batch - 1));
    String line = bar + " " + eta + formatStep(perStep) + values(logs);
    String pad = " ".repeat(Math.max(0, previousWidth - line.length()));
    out.print("\r" + line + pad);
    out.flush();
    previousWidth = line.length();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (steps == 0) {
      // The first pass over streamed data tells its length.
      steps = stepsSeen;
    }
    double elapsed = (System.nanoTime() - epochStart) / 1e9;
    double perStep = elapsed / Math.max(1, steps);
    String count = String.format(Locale.ROOT, "%" + digits(steps) + "d/%d", steps, steps);
    if (verbose == 1 && out != null) {
      String line =
          count
              + " "
              + "━".repeat(WIDTH)
              + " "
              + String.format(Locale.ROOT, "%.0fs", elapsed)
              + formatStep(perStep)
              + values(logs);
      String pad = " ".repeat(Math.max(0, previousWidth - line.length()));
      out.print("\r" + line + pad + "\n");
      out.flush();
    } else {
      line(
          count
              + " - "
              + String.format(Locale.ROOT, "%.0fs", elapsed)
              + " -"
              + formatStep(perStep)
              + values(logs));
    }
  }

  private static int digits(int n) {
    return Integer.toString(Math.max(1, n)).length();
  }

  private static String values(Map<String, Double> logs) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      double v = e.getValue();
      sb.append(" - ")
          .append(e.getKey())
          .append(": ")
          .append(
              Math.abs(v) > 1e-3
                  ? String.format(Locale.ROOT, "%.4f", v)
                  : String.format(Locale.ROOT, "%.4e", v));
    }
    return sb.toString();
  }

  private static String formatStep(double seconds) {
    if (seconds >= 1) {
      return String.format(Locale.ROOT, " %.0fs/step", seconds);
    }
    if (seconds >= 1e-3) {
      return String.format(Locale.ROOT, " %.0fms/step", seconds * 1e3);
    }
    return String.format(Locale.ROOT, " %.0fus/step", seconds * 1e6);
  }

  private static String formatEta(double eta) {
    if (eta > 3600) {
      return String.format(
          Locale.ROOT,
          "%d:%02d:%02d",
          (long) eta / 3600,
          ((long) eta % 3600) / 60,
          (long) eta % 60);
    }
    if (eta > 60) {
      return String.format(Locale.ROOT, "%d:%02d", (long) eta / 60, (long) eta % 60);
    }
    return String.format(Locale.ROOT, "%ds", (long) eta);
  }
}
