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
 * {@code CSVLogger}), flushed after every epoch.
 *
 * <pre>{@code
 * new CSVLogger(Path.of("out/history.csv"))
 * }</pre>
 */
public class CSVLogger implements Callback {

  private final Path file;
  private final String separator;
  private final boolean append;
  private Writer writer;
  private List<String> keys;

  /** Writes comma-separated rows to {@code file}, replacing an existing file. */
  public CSVLogger(Path file) {
    this(file, ",", false);
  }

  /**
   * Writes rows to {@code file}.
   *
   * @param separator the field separator, for example {@code ","}
   * @param append add to an existing file instead of replacing it
   */
  public CSVLogger(Path file, String separator, boolean append) {
    this.file = file;
    this.separator = separator;
    this.append = append;
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
        if (writeHeader) {
          writer.write("epoch" + separator + String.join(separator, keys) + "\n");
        }
      }
      StringBuilder row = new StringBuilder().append(epoch);
      for (String k : keys) {
        Double v = logs.get(k);
        row.append(separator).append(v == null ? "" : Double.toString(v));
      }
      writer.write(row.append('\n').toString());
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot write " + file, e);
    }
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
