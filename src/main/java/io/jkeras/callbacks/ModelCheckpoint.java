package io.jkeras.callbacks;

import io.jkeras.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the model during training, as Keras's {@code ModelCheckpoint}: the whole model to a {@code
 * .keras} file (config, weights and optimizer state, which Python's {@code load_model} reads), or
 * with {@code saveWeightsOnly} the weights and optimizer state to a {@code .weights.h5} file.
 * Keras's defaults: monitor {@code "val_loss"}, save_best_only false, mode "auto" (minimize losses,
 * follow a compiled metric's direction otherwise), save_freq "epoch".
 *
 * <p>The path may hold {@code {epoch}} (from 1), {@code {batch}} (from 1, when saving every {@code
 * n} batches) and any logged value, with a format: {@code
 * ckpt/model-{epoch:02d}-{val_loss:.2f}.keras} becomes {@code ckpt/model-03-0.41.keras}. Missing
 * folders are created; files are replaced atomically. With {@code saveBestOnly}, a file is written
 * only when the monitored value improved on the best so far (or on {@code initialValueThreshold});
 * when the value is not logged, the model is saved anyway, as in Keras. As in Keras, the best so
 * far is kept from one {@code fit} to the next with the same callback.
 *
 * <pre>{@code
 * ModelCheckpoint best =
 *     ModelCheckpoint.builder(Path.of("best.keras")).monitor("val_auc").saveBestOnly(true).build();
 * model.fit(x, y, FitOptions.epochs(20).validationSplit(0.2).callbacks(best));
 * }</pre>
 */
public class ModelCheckpoint implements Callback {

  private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);
  private static final Pattern FIELD = Pattern.compile("\\{(\\w+)(?::([^}]*))?}");

  private final String pattern;
  private final Monitor monitor;
  private final boolean saveBestOnly;
  private final boolean saveWeightsOnly;
  private final int saveFreq;
  private Model model;
  private Double best;
  private int epoch;
  private int batchesSinceSave;

  /**
   * Saves after every epoch to {@code file}: the whole model for a {@code .keras} path, weights and
   * optimizer state for a {@code .weights.h5} path.
   *
   * <pre>{@code
   * new ModelCheckpoint(Path.of("ckpt/epoch-{epoch:02d}.weights.h5"))
   * }</pre>
   *
   * @param file the path pattern
   */
  public ModelCheckpoint(Path file) {
    this(builder(file));
  }

  private ModelCheckpoint(Builder b) {
    String p = b.file.toString();
    boolean weightsFile = p.endsWith(".weights.h5");
    boolean weightsOnly = b.saveWeightsOnly != null ? b.saveWeightsOnly : weightsFile;
    if (weightsOnly && !weightsFile) {
      throw new IllegalArgumentException(
          "ModelCheckpoint: with saveWeightsOnly the path must end in .weights.h5, got \""
              + p
              + "\"");
    }
    if (!weightsOnly && !p.endsWith(".keras")) {
      throw new IllegalArgumentException(
          "ModelCheckpoint: the path must end in .keras (the whole model) or .weights.h5 (the"
              + " weights, with saveWeightsOnly), got \""
              + p
              + "\"");
    }
    this.pattern = p;
    this.monitor = new Monitor("ModelCheckpoint", b.monitor, b.mode, 0);
    this.saveBestOnly = b.saveBestOnly;
    this.saveWeightsOnly = weightsOnly;
    this.saveFreq = b.saveFreq;
    this.best = b.initialValueThreshold;
  }

  /**
   * A builder for checkpoints at {@code file} (a path pattern), with Keras's defaults.
   *
   * <pre>{@code
   * ModelCheckpoint c = ModelCheckpoint.builder(Path.of("m-{epoch:02d}-{val_loss:.2f}.keras")).build();
   * }</pre>
   *
   * @param file the path pattern, ending in {@code .keras} or {@code .weights.h5}
   * @return a new builder
   */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    model = run.model();
    batchesSinceSave = 0;
  }

  @Override
  public void onEpochBegin(int epoch) {
    this.epoch = epoch;
  }

  @Override
  public void onBatchEnd(int batch, Map<String, Double> logs) {
    if (saveFreq > 0 && ++batchesSinceSave >= saveFreq) {
      batchesSinceSave = 0;
      save(batch, logs);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    monitor.resolve(model);
    if (saveFreq == 0) {
      save(-1, logs);
    }
  }

  /** Saves for {@code batch} (-1 at epoch end) when the rules say so. */
  private void save(int batch, Map<String, Double> logs) {
    Map<String, Object> fields = new LinkedHashMap<>(logs);
    fields.put("epoch", epoch + 1);
    if (batch >= 0) {
      fields.put("batch", batch + 1);
    }
    Path file = Path.of(format(pattern, fields));
    if (saveBestOnly) {
      Double current = logs.get(monitor.name());
      if (current == null) {
        LOG.warn(
            "ModelCheckpoint: can save the best model only with \"{}\" logged; saving anyway",
            monitor.name());
      } else {
        monitor.resolve(model);
        if (!monitor.isImprovement(current, best)) {
          return;
        }
        LOG.info(
            "Epoch {}: {} improved from {} to {}, saving the model to {}",
            epoch + 1,
            monitor.name(),
            best,
            current,
            file);
        best = current;
      }
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint: cannot create the folder of " + file, e);
    }
    if (saveWeightsOnly) {
      model.saveWeights(file);
    } else {
      model.save(file);
    }
  }

  /**
   * Fills {@code {name}} and {@code {name:spec}} fields as Python's {@code str.format} does ({@code
   * 02d}, {@code 03}, {@code .4f}, {@code .3}, {@code >5}...); a float without a spec is written as
   * Python's {@code str} writes it.
   */
  static String format(String pattern, Map<String, ?> values) {
    Matcher m = FIELD.matcher(pattern);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String spec = m.group(2);
      Object value = values.get(name);
      if (value == null) {
        throw new IllegalStateException(
            "ModelCheckpoint: no value \""
                + name
                + "\" to fill the path \""
                + pattern
                + "\"; logged values are "
                + values.keySet());
      }
      String text;
      try {
        text = PythonFormat.format(value, spec == null ? "" : spec);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "ModelCheckpoint: cannot format "
                + name
                + " = "
                + value
                + " with \""
                + spec
                + "\" in \""
                + pattern
                + "\": "
                + e.getMessage(),
            e);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(text));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * Keras's {@code ModelCheckpoint} arguments, with its defaults.
   *
   * <pre>{@code
   * ModelCheckpoint.builder(Path.of("best.weights.h5"))
   *     .monitor("val_accuracy").mode("max").saveBestOnly(true).build();
   * }</pre>
   */
  public static final class Builder {
    private final Path file;
    private String monitor = "val_loss";
    private String mode = "auto";
    private boolean saveBestOnly;
    private Boolean saveWeightsOnly;
    private int saveFreq;
    private Double initialValueThreshold;

    private Builder(Path file) {
      this.file = file;
    }

    /**
     * The logged value {@code saveBestOnly} compares ({@code "val_loss"} by default).
     *
     * @param monitor a log name
     * @return this builder
     */
    public Builder monitor(String monitor) {
      this.monitor = monitor;
      return this;
    }

    /**
     * {@code "min"}, {@code "max"} or {@code "auto"} (the default).
     *
     * @param mode the direction of improvement
     * @return this builder
     */
    public Builder mode(String mode) {
      this.mode = mode;
      return this;
    }

    /**
     * Whether to save only when the monitored value improved (false by default).
     *
     * @param saveBestOnly whether to keep only improvements
     * @return this builder
     */
    public Builder saveBestOnly(boolean saveBestOnly) {
      this.saveBestOnly = saveBestOnly;
      return this;
    }

    /**
     * Whether to save only weights and optimizer state ({@code .weights.h5}); by default decided by
     * the path's extension.
     *
     * @param saveWeightsOnly whether to skip the model config
     * @return this builder
     */
    public Builder saveWeightsOnly(boolean saveWeightsOnly) {
      this.saveWeightsOnly = saveWeightsOnly;
      return this;
    }

    /**
     * Keras's {@code save_freq}: {@code "epoch"} (the default) saves at the end of every epoch.
     *
     * @param saveFreq {@code "epoch"}
     * @return this builder
     */
    public Builder saveFreq(String saveFreq) {
      if (!saveFreq.equals("epoch")) {
        throw new IllegalArgumentException(
            "ModelCheckpoint: save_freq must be \"epoch\" or a number of batches, got \""
                + saveFreq
                + "\"");
      }
      this.saveFreq = 0;
      return this;
    }

    /**
     * Keras's integer {@code save_freq}: saves after every {@code batches} training batches
     * (counted across epochs) instead of at epoch ends.
     *
     * @param batches at least 1
     * @return this builder
     */
    public Builder saveFreq(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException(
            "ModelCheckpoint: save_freq must be at least 1 batch, got " + batches);
      }
      this.saveFreq = batches;
      return this;
    }

    /**
     * The value the first saved checkpoint must beat with {@code saveBestOnly}.
     *
     * @param threshold the initial best value
     * @return this builder
     */
    public Builder initialValueThreshold(double threshold) {
      this.initialValueThreshold = threshold;
      return this;
    }

    /**
     * The callback.
     *
     * @return a new ModelCheckpoint
     * @throws IllegalArgumentException for a path or mode Keras refuses
     */
    public ModelCheckpoint build() {
      return new ModelCheckpoint(this);
    }
  }
}
