package io.jkeras.callbacks;

import io.jkeras.optimizers.Optimizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes training curves as TensorBoard event files, as Keras's {@code keras.callbacks.TensorBoard}
 * lays them out: {@code logDir/train} and {@code logDir/validation}, each with one {@code
 * events.out.tfevents.*} file of scalar summaries: {@code epoch_loss}, {@code epoch_auc}, ... at
 * step = epoch (validation values without their {@code val_} prefix, in the validation folder;
 * {@code epoch_learning_rate}, the optimizer's, in the train folder), and with {@code
 * updateFreq("batch")} also {@code batch_loss}, ... at step = the global batch count (1 for the
 * first batch).
 *
 * <p>Files are TFRecord streams of {@code tensorflow.Event} protocol buffers (simple_value
 * scalars), written by this class without a protobuf dependency, flushed at every epoch end and
 * closed when training ends. Run {@code tensorboard --logdir logs}.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(10).callbacks(TensorBoard.builder(Path.of("logs")).build()));
 * }</pre>
 */
public class TensorBoard implements Callback {

  private final Path logDir;
  private final boolean perBatch;
  private EventFile train;
  private EventFile validation;
  private long globalBatch;
  private Optimizer optimizer;

  private TensorBoard(Path logDir, boolean perBatch) {
    this.logDir = logDir;
    this.perBatch = perBatch;
  }

  /**
   * A builder for event files under {@code logDir}, with Keras's default {@code update_freq}
   * "epoch".
   *
   * <pre>{@code
   * TensorBoard tb = TensorBoard.builder(Path.of("logs")).updateFreq("batch").build();
   * }</pre>
   *
   * @param logDir the folder TensorBoard reads ({@code tensorboard --logdir logs})
   * @return a new builder
   */
  public static Builder builder(Path logDir) {
    return new Builder(logDir);
  }

  /**
   * Keras's {@code TensorBoard} arguments jkeras writes: the log folder and {@code update_freq}.
   *
   * <pre>{@code
   * TensorBoard.builder(Path.of("logs")).build();
   * }</pre>
   */
  public static final class Builder {
    private final Path logDir;
    private boolean perBatch;

    private Builder(Path logDir) {
      this.logDir = logDir;
    }

    /**
     * {@code "epoch"} (the default) writes epoch scalars; {@code "batch"} also per-batch ones.
     *
     * @param updateFreq {@code "epoch"} or {@code "batch"}
     * @return this builder
     */
    public Builder updateFreq(String updateFreq) {
      if (!updateFreq.equals("epoch") && !updateFreq.equals("batch")) {
        throw new IllegalArgumentException(
            "TensorBoard: update_freq must be \"epoch\" or \"batch\", got \"" + updateFreq + "\"");
      }
      this.perBatch = updateFreq.equals("batch");
      return this;
    }

    /**
     * The callback.
     *
     * @return a new TensorBoard
     */
    public TensorBoard build() {
      return new TensorBoard(logDir, perBatch);
    }
  }

  @Override
  public void onTrainBegin(TrainingRun run) {
    close();
    optimizer = run.model().optimizer();
    train = new EventFile(logDir.resolve("train"));
    validation = new EventFile(logDir.resolve("validation"));
    globalBatch = 0;
  }

  @Override
  public void onBatchEnd(int batch, Map<String, Double> logs) {
    // As Keras, which counts the batch when it begins: the first batch is step 1.
    globalBatch++;
    if (perBatch && train != null) {
      for (Map.Entry<String, Double> e : logs.entrySet()) {
        train.scalar("batch_" + e.getKey(), globalBatch, e.getValue());
      }
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (train == null) {
      return;
    }
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      String key = e.getKey();
      if (key.equals("learning_rate")) {
        continue;
      }
      if (key.startsWith("val_")) {
        validation.scalar("epoch_" + key.substring(4), epoch, e.getValue());
      } else {
        train.scalar("epoch_" + key, epoch, e.getValue());
      }
    }
    // As Keras: the optimizer's learning rate with every epoch's train scalars.
    train.scalar("epoch_learning_rate", epoch, optimizer.currentLearningRate());
    train.flush();
    validation.flush();
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    close();
  }

  private void close() {
    if (train != null) {
      train.close();
      validation.close();
      train = null;
      validation = null;
    }
  }

  /** One events file: TFRecord framing around serialized {@code Event} messages. */
  private static final class EventFile {
    private static int counter;
    private final Path path;
    private final OutputStream out;

    EventFile(Path dir) {
      try {
        Files.createDirectories(dir);
        String host;
        try {
          host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
          host = "localhost";
        }
        int n;
        synchronized (EventFile.class) {
          n = counter++;
        }
        path =
            dir.resolve(
                String.format(
                    Locale.ROOT,
                    "events.out.tfevents.%d.%s.%d.%d.v2",
                    System.currentTimeMillis() / 1000,
                    host,
                    ProcessHandle.current().pid(),
                    n));
        out = Files.newOutputStream(path);
        // The first record names the format version, as TensorFlow's writers do.
        ByteArrayOutputStream event = header();
        string(event, 3, "brain.Event:2");
        record(event.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException("TensorBoard: cannot write events under " + dir, e);
      }
    }

    void scalar(String tag, long step, double value) {
      // Value { tag = 1; simple_value = 2 (float) }
      ByteArrayOutputStream v = new ByteArrayOutputStream();
      string(v, 1, tag);
      v.write(0x15);
      v.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) value).array());
      // Summary { repeated Value value = 1 }
      ByteArrayOutputStream summary = new ByteArrayOutputStream();
      bytes(summary, 1, v.toByteArray());
      // Event { wall_time = 1; step = 2; summary = 5 }
      ByteArrayOutputStream event = header();
      event.write(0x10);
      varint(event, step);
      bytes(event, 5, summary.toByteArray());
      try {
        record(event.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException("TensorBoard: cannot write " + path, e);
      }
    }

    private static ByteArrayOutputStream header() {
      ByteArrayOutputStream event = new ByteArrayOutputStream();
      event.write(0x09); // wall_time, a little-endian double
      event.writeBytes(
          ByteBuffer.allocate(8)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putDouble(System.currentTimeMillis() / 1000.0)
              .array());
      return event;
    }

    /** TFRecord: length, masked CRC-32C of the length, data, masked CRC-32C of the data. */
    private void record(byte[] data) throws IOException {
      byte[] len =
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
      out.write(len);
      out.write(maskedCrc(len));
      out.write(data);
      out.write(maskedCrc(data));
    }

    private static byte[] maskedCrc(byte[] data) {
      CRC32C crc = new CRC32C();
      crc.update(data);
      int c = (int) crc.getValue();
      int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
      return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(masked).array();
    }

    private static void string(ByteArrayOutputStream out, int field, String s) {
      bytes(out, field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
      varint(out, ((long) field << 3) | 2);
      varint(out, b.length);
      out.writeBytes(b);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("TensorBoard: cannot write " + path, e);
      }
    }

    void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("TensorBoard: cannot close " + path, e);
      }
    }
  }
}
