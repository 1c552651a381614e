package io.jkeras.callbacks;

import io.jkeras.models.Model;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the model's weights (with the optimizer state) after epochs, as Keras's {@code
 * ModelCheckpoint} with {@code save_weights_only=True}: to a {@code .weights.h5} path that may hold
 * {@code {epoch}}, {@code {epoch:02d}} or a logged value such as {@code {val_loss:.4f}}. With
 * {@code saveBestOnly}, only when the monitored value improved (mode auto: max for accuracy and
 * AUC, min otherwise).
 *
 * <pre>{@code
 * new ModelCheckpoint(Path.of("ckpt/fm-{epoch:02d}.weights.h5"))
 * new ModelCheckpoint(Path.of("best.weights.h5"), "val_accuracy", true)
 * }</pre>
 */
public class ModelCheckpoint implements Callback {

  private static final Pattern FIELD = Pattern.compile("\\{(\\w+)(?::([^}]*))?}");

  private final String pattern;
  private final String monitor;
  private final boolean saveBestOnly;
  private final boolean maximize;
  private Model model;
  private double best;

  /**
   * Saves the weights to {@code file} after every epoch.
   *
   * @param file a path ending in {@code .weights.h5}, which may hold {@code {epoch}} fields
   * @throws IllegalArgumentException if the path does not end in {@code .weights.h5}
   */
  public ModelCheckpoint(Path file) {
    this(file, "val_loss", false);
  }

  /**
   * Saves the weights to {@code file} after every epoch, or only when {@code monitor} improved.
   *
   * @param file a path ending in {@code .weights.h5}, which may hold {@code {epoch}} or
   *     logged-value fields
   * @param monitor the logged value compared with {@code saveBestOnly}, for example {@code
   *     "val_loss"}
   * @param saveBestOnly save only after epochs that improved {@code monitor}
   * @throws IllegalArgumentException if the path does not end in {@code .weights.h5}
   */
  public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly) {
    String p = file.toString();
    if (!p.endsWith(".weights.h5")) {
      throw new IllegalArgumentException(
          "ModelCheckpoint: the path must end in .weights.h5"
              + " (weights and optimizer state in Keras 3's layout), got \""
              + p
              + "\"");
    }
    this.pattern = p;
    this.monitor = monitor;
    this.saveBestOnly = saveBestOnly;
    this.maximize = monitor.contains("acc") || monitor.endsWith("auc");
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    model = run.model();
    best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (saveBestOnly) {
      Double current = logs.get(monitor);
      if (current == null) {
        throw new IllegalStateException(
            "ModelCheckpoint: monitor \""
                + monitor
                + "\" is not among the logged values "
                + logs.keySet());
      }
      if (!(maximize ? current > best : current < best)) {
        return;
      }
      best = current;
    }
    model.saveWeights(Path.of(format(pattern, epoch + 1, logs)));
  }

  /** Fills {@code {epoch}} (1-based, as Keras) and {@code {name:format}} fields. */
  static String format(String pattern, int epoch, Map<String, Double> logs) {
    Matcher m = FIELD.matcher(pattern);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String spec = m.group(2);
      Object value = name.equals("epoch") ? (Object) epoch : logs.get(name);
      if (value == null) {
        throw new IllegalStateException(
            "ModelCheckpoint: no value \""
                + name
                + "\" to fill the path; logged values are "
                + logs.keySet());
      }
      String text = spec == null ? value.toString() : String.format(Locale.ROOT, "%" + spec, value);
      m.appendReplacement(sb, Matcher.quoteReplacement(text));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
