package io.jkeras.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Click rows streamed from a file in batches, for files larger than memory: a background thread
 * parses the file, shuffles rows through a fixed-size buffer and keeps a few batches ready while
 * the model trains on the current one. Memory is bounded by {@code shuffleBuffer + prefetch *
 * batchSize} rows, whatever the file's length.
 *
 * <p>Each {@link #iterator()} is one pass over the file (an epoch); pass {@code e} (counted from 0)
 * shuffles with {@code seed + e}, so epochs differ and a run repeats exactly. With a shuffle buffer
 * of {@code n} rows, a row leaves the buffer at a uniformly chosen slot when a new row arrives (as
 * {@code tf.data.Dataset.shuffle} does): a buffer as large as the file is a full shuffle, 0 keeps
 * the file's order.
 *
 * <p>{@link Builder#build()} reads the file once to check every line (the same checks and messages,
 * naming file, line and field, as {@link LibfmReader} and {@link CsvReader}) and to count its rows,
 * so that no training starts on a file that turns out to be bad half-way. {@code
 * validateFirst(false)} skips that pass; a bad line then ends the pass that reaches it with the
 * same {@link DataFormatException}.
 *
 * <pre>{@code
 * LibfmReader reader = LibfmReader.builder().fields(26).idBound(1 << 20).build();
 * ClickStream train = ClickStream.libfm(Path.of("clicks.libfm"), reader)
 *     .batchSize(1024).shuffleBuffer(100_000).seed(42).build();
 * for (int epoch = 0; epoch < 3; epoch++) {
 *   try (ClickStream.Batches batches = train.iterator()) {
 *     while (batches.hasNext()) {
 *       ClickData batch = batches.next();   // batch.inputs(), batch.labels()
 *     }
 *   }
 * }
 * }</pre>
 */
public final class ClickStream implements Iterable<ClickData> {

  /** Parses a file, handing each row to a sink: the two readers' scans. */
  private interface Scan {
    long run(RowSink sink);
  }

  private final Path file;
  private final Scan scan;
  private final int batchSize;
  private final int shuffleBuffer;
  private final int prefetch;
  private final long seed;
  private final long rows;
  private int idBound = -1;
  private int epoch;

  private ClickStream(Builder b) {
    this.file = b.file;
    this.scan = b.scan;
    this.batchSize = b.batchSize;
    this.shuffleBuffer = b.shuffleBuffer;
    this.prefetch = b.prefetch;
    this.seed = b.seed;
    this.rows = b.validateFirst ? checkRows() : -1;
  }

  /** A stream of the libfm rows of {@code file}, parsed and checked by {@code reader}. */
  public static Builder libfm(Path file, LibfmReader reader) {
    return new Builder(file, sink -> reader.scan(file, sink));
  }

  /** A stream of the CSV/TSV rows of {@code file}, with the vocabularies of {@code fitted}. */
  public static Builder csv(Path file, CsvReader.Fitted fitted) {
    return new Builder(file, sink -> fitted.scanRows(file, sink));
  }

  /** The checking pass: every line parsed; returns the number of rows, notes the largest id. */
  private long checkRows() {
    int[] max = {-1};
    long n =
        scan.run(
            (ids, numeric, label) -> {
              for (int id : ids) {
                max[0] = Math.max(max[0], id);
              }
            });
    if (n == 0) {
      throw new DataFormatException(file, 0, -1, "the file holds no rows");
    }
    idBound = max[0] + 1;
    return n;
  }

  /** The file's number of rows, or -1 when the stream was built without the checking pass. */
  public long rows() {
    return rows;
  }

  /**
   * The largest id in the file plus one (the id space a libfm file needs), or -1 when the stream
   * was built without the checking pass.
   */
  public int idBound() {
    return idBound;
  }

  /** The batch size. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Batches per pass ({@code ceil(rows / batchSize)}), or -1 when the number of rows is unknown.
   */
  public long batchesPerEpoch() {
    return rows < 0 ? -1 : (rows + batchSize - 1) / batchSize;
  }

  /**
   * Starts the next pass over the file on a background thread. Close the returned iterator if the
   * pass is left before its end, so that the thread stops.
   */
  @Override
  public synchronized Batches iterator() {
    return new Batches(seed + epoch++);
  }

  /**
   * One pass over the file. {@link #next()} waits for the background thread's next batch and
   * rethrows its failure (a {@link DataFormatException} for a bad line).
   */
  public final class Batches implements Iterator<ClickData>, AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(prefetch);
    private final Thread producer;
    private volatile boolean closed;
    private Object head;

    private Batches(long passSeed) {
      producer = new Thread(() -> produce(passSeed), "jkeras-click-stream " + file.getFileName());
      producer.setDaemon(true);
      producer.start();
    }

    private void produce(long passSeed) {
      Object last = END;
      try {
        Shuffler shuffler = new Shuffler(passSeed, this::put);
        scan.run(shuffler);
        shuffler.finish();
      } catch (Cancelled e) {
        return;
      } catch (RuntimeException | Error e) {
        last = e;
      }
      try {
        put(last);
      } catch (Cancelled e) {
        // closed by the consumer: nothing waits for the end marker
      }
    }

    private void put(Object item) {
      try {
        while (!ready.offer(item, 50, TimeUnit.MILLISECONDS)) {
          if (closed) {
            throw new Cancelled();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Cancelled();
      }
      if (closed) {
        throw new Cancelled();
      }
    }

    @Override
    public boolean hasNext() {
      if (head == null) {
        if (closed) {
          return false;
        }
        try {
          head = ready.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("ClickStream: interrupted while waiting for " + file, e);
        }
      }
      if (head instanceof RuntimeException e) {
        closed = true;
        throw e;
      }
      if (head instanceof Error e) {
        closed = true;
        throw e;
      }
      return head != END;
    }

    @Override
    public ClickData next() {
      if (!hasNext()) {
        throw new NoSuchElementException("ClickStream: the pass over " + file + " has ended");
      }
      ClickData batch = (ClickData) head;
      head = null;
      return batch;
    }

    /** Stops the background thread and drops the batches it had ready. */
    @Override
    public void close() {
      closed = true;
      ready.clear();
      try {
        producer.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Thrown inside the producer thread when the consumer closed the pass. */
  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super(null, null, false, false);
    }
  }

  /**
   * Rows in, batches out: a buffer of {@code shuffleBuffer} rows emits a uniformly chosen row for
   * each new one, then the rest in random order at the end of the file.
   */
  private final class Shuffler implements RowSink {
    private final Random random;
    private final Consumer<ClickData> out;
    private int fields = -1;
    private int nums;
    private int[] bufIds;
    private float[] bufNum;
    private float[] bufLabel;
    private int buffered;
    private int[] batchIds;
    private float[] batchNum;
    private float[] batchLabel;
    private int inBatch;

    Shuffler(long seed, Consumer<ClickData> out) {
      this.random = new Random(seed);
      this.out = out;
    }

    @Override
    public void row(int[] ids, float[] numeric, float label) {
      if (fields < 0) {
        fields = ids.length;
        nums = numeric.length;
        bufIds = new int[shuffleBuffer * fields];
        bufNum = new float[shuffleBuffer * nums];
        bufLabel = new float[shuffleBuffer];
        startBatch();
      }
      if (shuffleBuffer <= 1) {
        emit(ids, 0, numeric, 0, label);
        return;
      }
      if (buffered < shuffleBuffer) {
        store(buffered++, ids, numeric, label);
        return;
      }
      int slot = random.nextInt(shuffleBuffer);
      emit(bufIds, slot * fields, bufNum, slot * nums, bufLabel[slot]);
      store(slot, ids, numeric, label);
    }

    private void store(int slot, int[] ids, float[] numeric, float label) {
      System.arraycopy(ids, 0, bufIds, slot * fields, fields);
      System.arraycopy(numeric, 0, bufNum, slot * nums, nums);
      bufLabel[slot] = label;
    }

    private void startBatch() {
      batchIds = new int[batchSize * fields];
      batchNum = new float[batchSize * nums];
      batchLabel = new float[batchSize];
      inBatch = 0;
    }

    private void emit(int[] ids, int idFrom, float[] numeric, int numFrom, float label) {
      System.arraycopy(ids, idFrom, batchIds, inBatch * fields, fields);
      System.arraycopy(numeric, numFrom, batchNum, inBatch * nums, nums);
      batchLabel[inBatch++] = label;
      if (inBatch == batchSize) {
        out.accept(new ClickData(fields, nums, batchIds, batchNum, batchLabel));
        startBatch();
      }
    }

    /** Called after the last row: the buffer's rows in random order, then the partial batch. */
    void finish() {
      if (fields < 0) {
        return;
      }
      for (int i = buffered - 1; i >= 0; i--) {
        int j = random.nextInt(i + 1);
        emit(bufIds, j * fields, bufNum, j * nums, bufLabel[j]);
        // move the last unsent row into the sent slot
        System.arraycopy(bufIds, i * fields, bufIds, j * fields, fields);
        System.arraycopy(bufNum, i * nums, bufNum, j * nums, nums);
        bufLabel[j] = bufLabel[i];
      }
      buffered = 0;
      if (inBatch > 0) {
        out.accept(
            new ClickData(
                fields,
                nums,
                Arrays.copyOf(batchIds, inBatch * fields),
                Arrays.copyOf(batchNum, inBatch * nums),
                Arrays.copyOf(batchLabel, inBatch)));
      }
    }
  }

  /** Options of a {@link ClickStream}. */
  public static final class Builder {
    private final Path file;
    private final Scan scan;
    private int batchSize = 32;
    private int shuffleBuffer;
    private int prefetch = 2;
    private long seed;
    private boolean validateFirst = true;

    private Builder(Path file, Scan scan) {
      this.file = file;
      this.scan = scan;
    }

    /** Rows per batch (default 32, Keras's default); the last batch of a pass may be smaller. */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("ClickStream: batchSize must be > 0, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Rows held for shuffling (default 0: the file's order). */
    public Builder shuffleBuffer(int rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("ClickStream: shuffleBuffer must be >= 0, got " + rows);
      }
      this.shuffleBuffer = rows;
      return this;
    }

    /** Batches the background thread keeps ready (default 2). */
    public Builder prefetch(int batches) {
      if (batches <= 0) {
        throw new IllegalArgumentException("ClickStream: prefetch must be > 0, got " + batches);
      }
      this.prefetch = batches;
      return this;
    }

    /** The shuffling seed of the first pass (default 0); pass e uses {@code seed + e}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Whether {@link #build()} checks every line and counts the rows first (default true). */
    public Builder validateFirst(boolean validateFirst) {
      this.validateFirst = validateFirst;
      return this;
    }

    /** The stream; reads the whole file once first unless {@code validateFirst(false)}. */
    public ClickStream build() {
      return new ClickStream(this);
    }
  }
}
