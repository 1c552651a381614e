package io.jkeras.spark;

import io.jkeras.io.AtomicFile;
import io.jkeras.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link SparkTrainer#fit} returns: the trained model (the chief's {@code .keras} file, with
 * its optimizer state) and the logs of each epoch, as Keras's {@code History}.
 *
 * <pre>{@code
 * TrainingResult result = trainer.fit(rows);
 * double loss = result.history().get("loss").get(result.epochs() - 1);
 * try (Model model = result.model()) {
 *   float[][] p = model.predict(x);
 * }
 * result.save(Path.of("/models/ctr.keras"));
 * }</pre>
 */
public final class TrainingResult {

  private final List<Map<String, List<Double>>> workerHistories;
  private final Map<String, List<Double>> history;
  private final byte[] kerasFile;
  private final List<Integer> workerRows;
  private final int droppedRows;

  TrainingResult(
      List<Map<String, List<Double>>> workerHistories,
      List<Integer> workerRows,
      byte[] kerasFile,
      int droppedRows) {
    this.workerHistories = List.copyOf(workerHistories);
    this.workerRows = List.copyOf(workerRows);
    this.kerasFile = kerasFile;
    this.droppedRows = droppedRows;
    this.history = mean(workerHistories, workerRows);
  }

  /**
   * Each logged series averaged over the workers epoch by epoch, each weighted by its rows (equal
   * in a mirrored run), as the value over all rows.
   */
  private static Map<String, List<Double>> mean(
      List<Map<String, List<Double>>> histories, List<Integer> rows) {
    long total = rows.stream().mapToLong(Integer::longValue).sum();
    Map<String, List<Double>> out = new LinkedHashMap<>();
    for (String name : histories.get(0).keySet()) {
      List<Double> first = histories.get(0).get(name);
      List<Double> avg = new ArrayList<>();
      for (int e = 0; e < first.size(); e++) {
        double sum = 0;
        for (int w = 0; w < histories.size(); w++) {
          sum += histories.get(w).get(name).get(e) * rows.get(w);
        }
        avg.add(sum / total);
      }
      out.put(name, Collections.unmodifiableList(avg));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Each logged series ({@code loss} and the compiled metrics), one value per epoch, averaged over
   * the workers weighted by their rows: the value over all rows, as Keras reports for a
   * multi-worker run (in a parameter-server run each worker's value is over its own steps, taken
   * while the others trained too).
   *
   * @return series by name
   */
  public Map<String, List<Double>> history() {
    return history;
  }

  /**
   * The series each worker logged over its own shard, by worker index (worker 0 is the chief).
   *
   * @return one map of series per worker
   */
  public List<Map<String, List<Double>>> workerHistories() {
    return workerHistories;
  }

  /**
   * The number of epochs trained.
   *
   * @return the length of every series
   */
  public int epochs() {
    return history.isEmpty() ? 0 : history.values().iterator().next().size();
  }

  /**
   * The fewest rows a worker trained on. In a mirrored run every worker trains on this many (the
   * smallest partition's row count), so that all replicas run the same number of synchronous steps;
   * in a parameter-server run each worker trains on its whole partition ({@link #workerRows()}).
   *
   * @return rows per worker
   */
  public int rowsPerWorker() {
    return workerRows.stream().mapToInt(Integer::intValue).min().orElse(0);
  }

  /**
   * The rows each worker trained on, by worker index (worker 0 is the chief).
   *
   * <pre>{@code
   * int chiefRows = result.workerRows().get(0);
   * }</pre>
   *
   * @return one count per worker
   */
  public List<Integer> workerRows() {
    return workerRows;
  }

  /**
   * The rows left out because their partition held more than the smallest one in a mirrored run; 0
   * when the partitions are equal, and always 0 in a parameter-server run. Repartition the data
   * evenly to train on every row.
   *
   * @return rows not trained on
   */
  public int droppedRows() {
    return droppedRows;
  }

  /**
   * The trained model, loaded in this JVM from the chief's {@code .keras} file (compiled, with its
   * optimizer state, so {@code fit} can continue locally).
   *
   * @return a new model, which the caller closes
   */
  public Model model() {
    try {
      Path tmp = Files.createTempFile("jkeras-spark-", ".keras");
      try {
        Files.write(tmp, kerasFile);
        return Model.load(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("TrainingResult: cannot write a temporary .keras file", e);
    }
  }

  /**
   * Writes the trained model as a {@code .keras} file.
   *
   * @param path the file to write; an existing file is replaced
   */
  public void save(Path path) {
    try {
      AtomicFile.write(path, tmp -> Files.write(tmp, kerasFile));
    } catch (IOException e) {
      throw new UncheckedIOException("TrainingResult: cannot write " + path, e);
    }
  }
}
