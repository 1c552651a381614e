package io.jkeras.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TIntegral;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow variable of a {@link GraphSession} with the ops to read it and to overwrite it from
 * the host: layer weights and optimizer state both live in these.
 *
 * <p>A lookup table that the distribution splits by rows ({@link Distribution#rowPartition}) is one
 * TensorFlow variable per shard, each on its own device; {@link #readFloats()} and {@link
 * #write(float[])} then join and split the whole value (for saving and loading, not per step), and
 * {@link #gather} looks rows up shard by shard, so only the rows asked for travel.
 *
 * <pre>{@code
 * GraphVariable<TFloat32> v = GraphVariable.floats(g, tf.withSubScope("adam"), "m", Shape.of(3));
 * v.write(new float[] {0, 0, 0});
 * }</pre>
 */
public final class GraphVariable<T extends TType> {

  private final GraphSession graph;
  private final Shape shape;
  private final RowPartition partition;
  private final List<Variable<T>> shards = new ArrayList<>();
  private final List<Placeholder<T>> inputs = new ArrayList<>();
  private final List<Assign<T>> assigns = new ArrayList<>();
  private final List<Ops> placed = new ArrayList<>();
  private final List<DeviceSpec> devices = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<RowWriter<T>> rowWriters = new ArrayList<>();
  private final List<Assign<T>> fills = new ArrayList<>();
  private Placeholder<TFloat32> fillValue;

  /**
   * The most values one session run writes into a row shard while {@link #initialize(Consumer)}
   * streams a split variable: 4 MB of float32 per piece.
   */
  static final int PIECE_VALUES = 1 << 20;

  private GraphVariable(
      GraphSession graph,
      Ops ops,
      String name,
      String group,
      Shape shape,
      Class<T> type,
      RowPartition partition) {
    this.graph = graph;
    this.shape = shape;
    this.partition = partition;
    if (partition == null) {
      DeviceSpec device = graph.distribution().variableDevice(group, shape);
      create(device == null ? ops : ops.withDevice(device), name, shape, type, device);
    } else {
      Ops scope = ops.withSubScope(name);
      for (int s = 0; s < partition.shards(); s++) {
        Shape part = partition.shardShape(s, shape);
        DeviceSpec device =
            graph.distribution().variableDevice(RowPartition.shardGroup(group, s), part);
        create(device == null ? scope : scope.withDevice(device), "part_" + s, part, type, device);
      }
    }
  }

  /** One variable with its host read and write ops, all on {@code scoped}'s device. */
  private void create(Ops scoped, String name, Shape shape, Class<T> type, DeviceSpec device) {
    Variable<T> v = scoped.withName(name).variable(shape, type);
    Placeholder<T> in =
        scoped.withName(name + "_value").placeholder(type, Placeholder.shape(shape));
    shards.add(v);
    inputs.add(in);
    assigns.add(scoped.withName(name + "_assign").assign(v, in));
    placed.add(scoped);
    devices.add(device);
    names.add(name);
  }

  /** A float32 variable named {@code name} in the op scope of {@code scoped}. */
  public static GraphVariable<TFloat32> floats(
      GraphSession g, Ops scoped, String name, Shape shape) {
    return new GraphVariable<>(g, scoped, name, name, shape, TFloat32.class, null);
  }

  /**
   * A float32 variable placed with the other variables of {@code group} (a weight's path: the
   * weight and its optimizer slots are updated by one op, so they live on one device).
   */
  public static GraphVariable<TFloat32> floats(
      GraphSession g, Ops scoped, String name, String group, Shape shape) {
    return new GraphVariable<>(g, scoped, name, group, shape, TFloat32.class, null);
  }

  /**
   * A float32 variable of {@code group} split into the row shards of {@code partition} (null: one
   * whole variable), each shard placed with shard {@link RowPartition#shardGroup} of the group: how
   * an optimizer keeps the slots of a weight that is split by rows.
   *
   * <pre>{@code
   * GraphVariable<TFloat32> acc =
   *     GraphVariable.floats(g, scoped, "accumulator", w.path(), w.shape(), w.rowPartition());
   * }</pre>
   */
  public static GraphVariable<TFloat32> floats(
      GraphSession g, Ops scoped, String name, String group, Shape shape, RowPartition partition) {
    if (partition != null && (shape.numDimensions() < 1 || shape.size(0) != partition.rows())) {
      throw new IllegalArgumentException(
          "Variable "
              + name
              + " of shape "
              + shape
              + " cannot be split into the "
              + partition
              + " of its group "
              + group);
    }
    return new GraphVariable<>(g, scoped, name, group, shape, TFloat32.class, partition);
  }

  /**
   * A float32 lookup table (read only by {@link #gather}) of {@code group}: split by rows when the
   * graph's distribution says so ({@link Distribution#rowPartition}), else one variable as {@link
   * #floats(GraphSession, Ops, String, String, Shape)}.
   *
   * <pre>{@code
   * GraphVariable<TFloat32> table = GraphVariable.table(g, scoped, "embeddings", path, shape);
   * }</pre>
   */
  public static GraphVariable<TFloat32> table(
      GraphSession g, Ops scoped, String name, String group, Shape shape) {
    RowPartition p = shape.numDimensions() < 1 ? null : g.distribution().rowPartition(group, shape);
    return floats(g, scoped, name, group, shape, p == null || p.shards() < 2 ? null : p);
  }

  /** An int64 variable (for example an optimizer's iteration count). */
  public static GraphVariable<TInt64> longs(GraphSession g, Ops scoped, String name, Shape shape) {
    return new GraphVariable<>(g, scoped, name, name, shape, TInt64.class, null);
  }

  /**
   * The TensorFlow variable, for ops that read or update it in the graph.
   *
   * @throws IllegalStateException if the variable is split into row shards (see {@link #shard})
   */
  public Variable<T> variable() {
    if (partition != null) {
      throw new IllegalStateException(
          "Variable "
              + shards.get(0).op().name().replaceFirst("/part_0$", "")
              + " is split into "
              + partition.shards()
              + " row shards by the distribution: read it by row lookups (gather), update it shard"
              + " by shard");
    }
    return shards.get(0);
  }

  /** How the variable is split by rows, or null when it is one variable. */
  public RowPartition partition() {
    return partition;
  }

  /** The variable of row shard {@code shard} (shard 0 of an unsplit variable is the variable). */
  public Variable<T> shard(int shard) {
    return shards.get(shard);
  }

  /**
   * Every TensorFlow variable holding this value: the variable, or the row shards in order.
   *
   * <pre>{@code
   * List<Variable<TFloat32>> parts = table.shards(); // one unless split by rows
   * }</pre>
   */
  public List<Variable<T>> shards() {
    return List.copyOf(shards);
  }

  /** The device of row shard {@code shard}, or null (placed as every other op). */
  public DeviceSpec shardDevice(int shard) {
    return devices.get(shard);
  }

  /**
   * The device the distribution placed this variable on, or null (placed as every other op, or
   * split into row shards on several devices: see {@link #shardDevice}).
   */
  public DeviceSpec device() {
    return partition == null ? devices.get(0) : null;
  }

  /** The variable's static shape (of the whole table when split into row shards). */
  public Shape shape() {
    return shape;
  }

  /**
   * The rows {@code ids} of this table, of shape {@code ids.shape + shape[1:]}, looked up where the
   * rows live: on the variable's device, or, when split, each shard's rows on its shard's device
   * (the ids are split by shard here, and the rows put back in the ids' order), so only the rows
   * asked for travel. Ops are built with {@code tf} (its control dependencies included).
   *
   * <pre>{@code
   * Operand<TFloat32> vectors = table.gather(tf, ids); // (batch, fields, width)
   * }</pre>
   */
  public Operand<T> gather(Ops tf, Operand<? extends TIntegral> ids) {
    if (partition == null) {
      Ops at = devices.get(0) == null ? tf : tf.withDevice(devices.get(0));
      return at.gather(shards.get(0), ids, tf.constant(0));
    }
    Operand<TInt64> flat =
        tf.reshape(tf.dtypes.cast(ids, TInt64.class), tf.constant(new int[] {-1}));
    Operand<TInt32> which = partition.shardIndices(tf, flat);
    List<Operand<TInt64>> parts = partition.split(tf, flat, which);
    Operand<TInt32> positions = tf.range(tf.constant(0), tf.size(flat), tf.constant(1));
    List<Operand<TInt32>> where = partition.split(tf, positions, which);
    List<Operand<T>> rows = new ArrayList<>();
    for (int s = 0; s < partition.shards(); s++) {
      Operand<TInt64> local = partition.local(tf, parts.get(s), s);
      Ops at = devices.get(s) == null ? tf : tf.withDevice(devices.get(s));
      rows.add(at.gather(shards.get(s), local, tf.constant(0)));
    }
    Operand<T> stitched = tf.dynamicStitch(where, rows);
    long[] width = new long[shape.numDimensions() - 1];
    for (int d = 0; d < width.length; d++) {
      width[d] = shape.size(d + 1);
    }
    Operand<TInt64> outShape =
        tf.concat(List.of(tf.shape(ids, TInt64.class), tf.constant(width)), tf.constant(0));
    return tf.reshape(stitched, outShape);
  }

  /**
   * Writes the initial value, unless the variable is shared with other processes (see {@link
   * Distribution#sharesVariables()}) and another one already initialized it.
   */
  public void initialize(float[] values) {
    if (!initializedElsewhere()) {
      write(values);
    }
  }

  /** {@link #initialize(float[])} for int64 variables. */
  public void initialize(long[] values) {
    if (!initializedElsewhere()) {
      write(values);
    }
  }

  /**
   * True when the variable is shared with other processes (see {@link
   * Distribution#sharesVariables()}) and every part of it already holds a value there: then the
   * {@code initialize} methods write nothing.
   *
   * <pre>{@code
   * boolean continues = table.initializedElsewhere(); // a restarted worker of a ps cluster
   * }</pre>
   */
  public boolean initializedElsewhere() {
    if (!graph.distribution().sharesVariables()) {
      return false;
    }
    Session.Runner runner = graph.session().runner();
    for (int s = 0; s < shards.size(); s++) {
      runner.fetch(placed.get(s).isVariableInitialized(shards.get(s)));
    }
    try (Result r = runner.run()) {
      for (int s = 0; s < shards.size(); s++) {
        if (!((TBool) r.get(s)).getBoolean()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Writes the initial value, as {@link #initialize(float[])}, taking it from {@code next} in
   * row-major order: each call fills its array with the next values. A variable split into row
   * shards is written shard by shard in pieces of whole rows (at most 2^20 values, 4 MB, each, on
   * the shard's device), so the whole value is never on this JVM's heap: how a lookup table larger
   * than one machine's memory gets its initial values. An unsplit variable is filled in one piece.
   *
   * <pre>{@code
   * table.initialize(initializer.stream(shape, random)::fill);
   * }</pre>
   *
   * @param next fills its argument with the next values; called until the whole value is written
   */
  public void initialize(Consumer<float[]> next) {
    if (initializedElsewhere()) {
      return;
    }
    if (partition == null) {
      float[] all = new float[Math.toIntExact(shape.size())];
      next.accept(all);
      write(all);
      return;
    }
    // ScatterUpdate needs an initialized variable: every shard starts at zero where it lives.
    fillShards(0f);
    long width = shape.size() / shape.size(0);
    int pieceRows = (int) Math.max(1, PIECE_VALUES / Math.max(1, width));
    float[] piece = null;
    for (int s = 0; s < shards.size(); s++) {
      RowWriter<T> writer = rowWriter(s);
      long rows = shardShape(s).size(0);
      for (long first = 0; first < rows; first += pieceRows) {
        int n = (int) Math.min(pieceRows, rows - first);
        if (piece == null || piece.length != n * width) {
          piece = new float[Math.toIntExact(n * width)];
        }
        next.accept(piece);
        long[] pieceShape = shardShape(s).asArray();
        pieceShape[0] = n;
        try (TFloat32 t =
                TFloat32.tensorOf(Shape.of(pieceShape), DataBuffers.of(piece, true, false));
            TInt64 at = TInt64.scalarOf(first)) {
          graph
              .session()
              .runner()
              .feed(writer.rows, t)
              .feed(writer.first, at)
              .addTarget(writer.update)
              .run()
              .close();
        }
      }
    }
  }

  /**
   * Sets every value to {@code value} where the variable lives (a {@code Fill} on each shard's
   * device, so nothing but the scalar travels), unless another process already initialized it as
   * {@link #initialize(float[])} says: how an optimizer starts its slots.
   *
   * <pre>{@code
   * accumulator.initializeFilled(0.1f);
   * }</pre>
   *
   * @param value the value of every element
   */
  public void initializeFilled(float value) {
    if (!initializedElsewhere()) {
      fillShards(value);
    }
  }

  /** Sets every element of every shard to {@code value}, on the shards' devices. */
  private void fillShards(float value) {
    if (fillValue == null) {
      fillValue = placed.get(0).withName(names.get(0) + "_fill_value").placeholder(TFloat32.class);
      for (int s = 0; s < shards.size(); s++) {
        Ops at = placed.get(s);
        Operand<TInt64> dims = at.constant(shardShape(s).asArray());
        @SuppressWarnings("unchecked")
        Operand<T> filled = (Operand<T>) at.fill(dims, fillValue);
        fills.add(at.withName(names.get(s) + "_fill").assign(shards.get(s), filled));
      }
    }
    try (TFloat32 v = TFloat32.scalarOf(value)) {
      Session.Runner runner = graph.session().runner().feed(fillValue, v);
      fills.forEach(runner::addTarget);
      runner.run().close();
    }
  }

  /** The ops that overwrite rows {@code first..} of shard {@code s}, made on first use. */
  private RowWriter<T> rowWriter(int s) {
    if (rowWriters.isEmpty()) {
      for (int i = 0; i < shards.size(); i++) {
        Ops at = placed.get(i);
        Variable<T> shard = shards.get(i);
        long[] dims = shardShape(i).asArray();
        dims[0] = -1;
        Placeholder<T> rows =
            at.withName(names.get(i) + "_rows")
                .placeholder(shard.type(), Placeholder.shape(Shape.of(dims)));
        Placeholder<TInt64> first =
            at.withName(names.get(i) + "_first_row").placeholder(TInt64.class);
        Operand<TInt64> count =
            at.gather(at.shape(rows, TInt64.class), at.constant(0), at.constant(0));
        Operand<TInt64> ids = at.range(first, at.math.add(first, count), at.constant(1L));
        rowWriters.add(
            new RowWriter<>(
                rows,
                first,
                at.withName(names.get(i) + "_write_rows").scatterUpdate(shard, ids, rows)));
      }
    }
    return rowWriters.get(s);
  }

  /** A row shard's ops that write a piece of rows: the rows, the first row's index, the update. */
  private record RowWriter<T extends TType>(
      Placeholder<T> rows, Placeholder<TInt64> first, Operand<T> update) {}

  /**
   * Overwrites the float32 variable from the host, as one session run of its assign op (one per
   * shard when split by rows).
   *
   * @param values the new value, row-major, exactly {@code shape().size()} long
   */
  public void write(float[] values) {
    for (int s = 0; s < shards.size(); s++) {
      try (TFloat32 t =
          TFloat32.tensorOf(
              shardShape(s), DataBuffers.of(values, true, false).slice(from(s), count(s)))) {
        feed(s, t);
      }
    }
  }

  /**
   * Overwrites the int64 variable from the host, as one session run of its assign op (one per shard
   * when split by rows).
   *
   * @param values the new value, row-major, exactly {@code shape().size()} long
   */
  public void write(long[] values) {
    for (int s = 0; s < shards.size(); s++) {
      try (TInt64 t =
          TInt64.tensorOf(
              shardShape(s), DataBuffers.of(values, true, false).slice(from(s), count(s)))) {
        feed(s, t);
      }
    }
  }

  private void feed(int s, Tensor t) {
    graph.session().runner().feed(inputs.get(s), t).addTarget(assigns.get(s)).run().close();
  }

  private Shape shardShape(int s) {
    return partition == null ? shape : partition.shardShape(s, shape);
  }

  /** The first value of shard {@code s} in the whole row-major value. */
  private long from(int s) {
    return partition == null ? 0 : partition.offset(s) * (shape.size() / shape.size(0));
  }

  private long count(int s) {
    return shardShape(s).size();
  }

  /** The current value of the float32 variable, copied to the host row-major (shards joined). */
  public float[] readFloats() {
    float[] out = new float[Math.toIntExact(shape.size())];
    for (int s = 0; s < shards.size(); s++) {
      try (Result r = graph.session().runner().fetch(shards.get(s)).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false).slice(from(s), count(s)));
      }
    }
    return out;
  }

  /** The current value of the int64 variable, copied to the host row-major (shards joined). */
  public long[] readLongs() {
    long[] out = new long[Math.toIntExact(shape.size())];
    for (int s = 0; s < shards.size(); s++) {
      try (Result r = graph.session().runner().fetch(shards.get(s)).run()) {
        ((TInt64) r.get(0)).copyTo(DataBuffers.of(out, false, false).slice(from(s), count(s)));
      }
    }
    return out;
  }
}
