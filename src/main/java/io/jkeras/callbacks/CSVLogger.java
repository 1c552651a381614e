package io.jkeras.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one CSV row per epoch ({@code epoch} then the logged values, sorted by name, as Keras's
 * {@code CSVLogger}), flushed after every epoch. When the first epoch logs no {@code val_} value, a
 * {@code val_} column follows for every key, as in Keras; a value not logged is written {@code NA}.
 * The text is what Keras's Python writes: numbers as Python's {@code str} ({@code 0.0005}, {@code
 * 1e-05}), lines ended by {@code \r\n} and fields quoted as its csv module's excel dialect does.
 * Keras's defaults: separator {@code ","}, append false (the file is replaced).
 *
 * <pre>{@code
 * new CSVLogger(Path.of("out/history.csv"))
 * CSVLogger.builder(Path.of("out/history.tsv")).separator("\t").append(true).build()
 * }</pre>
 */
public class CSVLogger implements Callback {

  private final Path file;
  private final String separator;
  private final boolean append;
  private Writer writer;
  private List<String> keys;

  /**
   * Writes to {@code file} with Keras's defaults (comma-separated, replacing the file).
   *
   * <pre>{@code
   * model.fit(x, y, FitOptions.epochs(5).callbacks(new CSVLogger(Path.of("history.csv"))));
   * }</pre>
   *
   * @param file the CSV file; its folder is created when missing
   */
  public CSVLogger(Path file) {
    this(file, ",", false);
  }

  private CSVLogger(Path file, String separator, boolean append) {
    this.file = file;
    this.separator = separator;
    this.append = append;
  }

  /**
   * A builder for a logger writing to {@code file}.
   *
   * <pre>{@code
   * CSVLogger log = CSVLogger.builder(Path.of("history.csv")).append(true).build();
   * }</pre>
   *
   * @param file the CSV file
   * @return a new builder
   */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /**
   * Keras's {@code CSVLogger} arguments, with its defaults.
   *
   * <pre>{@code
   * CSVLogger.builder(Path.of("history.csv")).separator(";").build();
   * }</pre>
   */
  public static final class Builder {
    private final Path file;
    private String separator = ",";
    private boolean append;

    private Builder(Path file) {
      this.file = file;
    }

    /**
     * The field separator ({@code ","} by default).
     *
     * @param separator the separator
     * @return this builder
     */
    public Builder separator(String separator) {
      this.separator = separator;
      return this;
    }

    /**
     * Whether to add rows to an existing file (keeping its header) instead of replacing it.
     *
     * @param append whether to append
     * @return this builder
     */
    public Builder append(boolean append) {
      this.append = append;
      return this;
    }

    /**
     * The callback.
     *
     * @return a new CSVLogger
     */
    public CSVLogger build() {
      return new CSVLogger(file, separator, append);
    }
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      boolean hasHeader = append && Files.exists(file) && Files.size(file) > 0;
      writer =
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      keys = hasHeader ? List.of() : null;
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot open " + file, e);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    try {
      if (keys == null || keys.isEmpty()) {
        boolean writeHeader = keys == null;
        keys = new ArrayList<>(logs.keySet());
        keys.sort(null);
        // As Keras: without val_ values in the first epoch, a val_ column for every key (NA).
        if (keys.stream().noneMatch(k -> k.startsWith("val_"))) {
          keys.addAll(keys.stream().map(k -> "val_" + k).toList());
        }
        if (writeHeader) {
          StringBuilder header = new StringBuilder("epoch");
          for (String k : keys) {
            header.append(separator).append(quoted(k));
          }
          writer.write(header.append("\r\n").toString());
        }
      }
      StringBuilder row = new StringBuilder().append(epoch);
      for (String k : keys) {
        Double v = logs.get(k);
        row.append(separator).append(v == null ? "NA" : PythonFormat.str(v));
      }
      writer.write(row.append("\r\n").toString());
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot write " + file, e);
    }
  }

  /**
   * As Python's csv module (excel dialect): quoted when holding the separator, a quote or a line
   * end.
   */
  private String quoted(String field) {
    if (!field.contains(separator)
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    try {
      if (writer != null) {
        writer.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot close " + file, e);
    }
  }
}
