package io.jkeras.layers;

import io.jkeras.backend.GraphSession;
import io.jkeras.backend.GraphVariable;
import io.jkeras.backend.RowPartition;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TIntegral;

/**
 * A float32 weight of a layer (Keras's {@code Variable}), created by {@link Layer#addWeight}.
 *
 * <p>Until a model runs, the value lives on the Java heap; once a model binds it to its {@link
 * GraphSession}, it lives in a TensorFlow variable and {@link #value()} is the operand that layer
 * code reads. {@link #read()} and {@link #assign(float[])} work in both states. When the graph
 * session closes, the current value is copied back to the heap.
 *
 * <p>A lookup table ({@link Layer#addLookupTable}) draws its initial values only when they are
 * first needed, from a random source split off for it when it was created (so the values are the
 * same as if drawn at once): when a distribution splits it into row shards on parameter servers,
 * the values are streamed into the shards piece by piece and the whole table is never on this JVM's
 * heap. Such a split table is not copied back when its session closes if it is larger than a
 * quarter of the heap ({@link Runtime#maxMemory()}): its value then stays on the parameter servers
 * (a model of the same cluster built with this layer continues from it), and {@link #read()} says
 * so.
 *
 * <pre>{@code
 * Weight kernel = addWeight("kernel", Shape.of(inputDim, units), "glorot_uniform");
 * Operand<TFloat32> y = tf.linalg.matMul(x, kernel.value());
 * }</pre>
 */
public final class Weight {

  private final Layer owner;
  private final String name;
  private final Shape shape;
  private final boolean trainable;
  private final Initializer initializer;
  private final Regularizer regularizer;
  private final Constraint constraint;
  private final boolean lookupTable;

  private float[] hostValue;
  private RandomGenerator pendingRandom;
  private boolean leftOnServers;
  private GraphSession graph;
  private GraphVariable<TFloat32> variable;

  Weight(
      Layer owner,
      String name,
      Shape shape,
      boolean trainable,
      Initializer initializer,
      Regularizer regularizer,
      Constraint constraint,
      float[] initialValue,
      RandomGenerator pendingRandom,
      boolean lookupTable) {
    this.owner = owner;
    this.name = name;
    this.shape = shape;
    this.trainable = trainable;
    this.initializer = initializer;
    this.regularizer = regularizer;
    this.constraint = constraint;
    this.hostValue = initialValue;
    this.pendingRandom = pendingRandom;
    this.lookupTable = lookupTable;
  }

  /** The weight's own name, for example {@code "kernel"}. */
  public String name() {
    return name;
  }

  /** The layer name and weight name, for example {@code "dense/kernel"}. */
  public String path() {
    return owner.path() + "/" + name;
  }

  /** The layer that owns this weight. */
  public Layer layer() {
    return owner;
  }

  /** The weight's shape. */
  public Shape shape() {
    return shape;
  }

  /** The number of values, the product of the shape's dimensions. */
  public long size() {
    return shape.size();
  }

  /** True when the optimizer updates this weight: it was created trainable and its layer is. */
  public boolean isTrainable() {
    return trainable && owner.isTrainable();
  }

  /** The initializer that gave the weight its first value. */
  public Initializer initializer() {
    return initializer;
  }

  /** The regularizer whose penalty on this weight is added to the training loss, or null. */
  public Regularizer regularizer() {
    return regularizer;
  }

  /** The constraint applied to this weight after each optimizer step, or null. */
  public Constraint constraint() {
    return constraint;
  }

  /**
   * The variable holding this weight in the graph it is bound to, for use in layer code.
   *
   * @throws IllegalStateException outside a graph, or for a lookup table the distribution split
   *     into row shards (read it with {@link #gatherRows})
   */
  public synchronized Variable<TFloat32> value() {
    return graphVariable().variable();
  }

  /**
   * The graph variable holding this weight (one variable, or one per row shard), for the training
   * runtime and optimizers.
   *
   * <pre>{@code
   * RowPartition p = weight.graphVariable().partition(); // null unless split by rows
   * }</pre>
   *
   * @throws IllegalStateException while the weight is not in a graph
   */
  public synchronized GraphVariable<TFloat32> graphVariable() {
    if (variable == null) {
      throw new IllegalStateException(
          "Weight " + path() + " is not in a graph yet: layers read weights only inside call()");
    }
    return variable;
  }

  /**
   * Rows {@code ids} of this table (a weight created with {@link Layer#addLookupTable}), of shape
   * {@code ids.shape + shape[1:]}, looked up where the rows live: on a parameter server the rows
   * travel, not the table; a table split into row shards is looked up shard by shard.
   *
   * <pre>{@code
   * Operand<TFloat32> vectors = embeddings.gatherRows(tf, ids);
   * }</pre>
   */
  public synchronized Operand<TFloat32> gatherRows(Ops tf, Operand<? extends TIntegral> ids) {
    return graphVariable().gather(tf, ids);
  }

  /**
   * How a distribution split this lookup table into row shards, or null when it is one variable
   * (always for weights that are not lookup tables, and while the weight is not in a graph).
   */
  public synchronized RowPartition rowPartition() {
    return variable == null ? null : variable.partition();
  }

  /**
   * The device a distribution strategy placed this weight's variable on (a parameter server), or
   * null when it lives with the model's other ops (or is split into row shards on several devices);
   * layers run reads that shrink a weight (a lookup) there, so only the result travels.
   */
  public synchronized DeviceSpec device() {
    return variable == null ? null : variable.device();
  }

  /** True while the weight lives in a graph session's variable rather than on the heap. */
  public synchronized boolean isBound() {
    return graph != null;
  }

  /** The graph session holding the weight's variable, or null while the value is on the heap. */
  public synchronized GraphSession graph() {
    return graph;
  }

  /**
   * Creates this weight's variable in {@code g} under op scope {@code scope} and copies the current
   * value into it. Layers do this for their weights when they are first emitted into a graph.
   */
  synchronized void bind(GraphSession g, String scope) {
    if (graph == g) {
      return;
    }
    if (graph != null) {
      throw new IllegalStateException(
          "Weight "
              + path()
              + " already lives in another open graph; close that model first or build the new"
              + " model from layers that are not in use");
    }
    Ops scoped = g.tf().withSubScope(scope);
    GraphVariable<TFloat32> v =
        lookupTable
            ? GraphVariable.table(g, scoped, name, path(), shape)
            : GraphVariable.floats(g, scoped, name, path(), shape);
    if (v.partition() != null && (regularizer != null || constraint != null)) {
      throw new IllegalArgumentException(
          "Layer \""
              + owner.name()
              + "\" weight \""
              + name
              + "\": the distribution splits it into "
              + v.partition().shards()
              + " row shards, and a "
              + (regularizer != null ? "regularizer" : "constraint")
              + " would read the whole table every step; remove it or keep the table whole");
    }
    variable = v;
    graph = g;
    g.register(this);
    if (pendingRandom != null && v.partition() != null) {
      variable.initialize(initializer.stream(shape.asArray(), pendingRandom)::fill);
    } else if (leftOnServers) {
      if (!variable.initializedElsewhere()) {
        graph = null;
        variable = null;
        throw new IllegalStateException(
            "Weight "
                + path()
                + ": its trained value stayed on the parameter servers of a closed model (too"
                + " large to copy back), and this model's graph does not find it there");
      }
    } else {
      variable.initialize(heapValue());
    }
    hostValue = null;
    pendingRandom = null;
    leftOnServers = false;
  }

  /** The value on the heap, drawing a lookup table's initial values now if not done yet. */
  private float[] heapValue() {
    if (leftOnServers) {
      throw new IllegalStateException(
          "Weight "
              + path()
              + " of shape "
              + KerasShape.format(shape)
              + " ("
              + shape.size() * Float.BYTES
              + " bytes) stayed in row shards on the parameter servers when its model closed:"
              + " it is larger than a quarter of this JVM's heap ("
              + Runtime.getRuntime().maxMemory()
              + " bytes). It lives on in the ps tasks (a model of the same cluster built with this"
              + " layer continues from it) and in the chief's checkpoint"
              + " (ChiefCheckpoint.restore)");
    }
    if (pendingRandom != null) {
      hostValue = initializer.generate(shape.asArray(), pendingRandom);
      pendingRandom = null;
    }
    return hostValue;
  }

  /** Copies the value back to the heap and forgets the variable of {@code g}. */
  public synchronized void unbind(GraphSession g) {
    if (graph != g) {
      return;
    }
    RowPartition split = variable.partition();
    if (split != null && shape.size() * Float.BYTES > Runtime.getRuntime().maxMemory() / 4) {
      hostValue = null;
      leftOnServers = true;
    } else {
      hostValue = readFromGraph();
    }
    graph = null;
    variable = null;
  }

  /** The current value, row-major. */
  public synchronized float[] read() {
    return graph == null ? heapValue().clone() : readFromGraph();
  }

  /** The current value with its shape. */
  public FloatNdArray numpy() {
    return org.tensorflow.ndarray.NdArrays.wrap(shape, DataBuffers.of(read(), true, false));
  }

  /** Replaces the value; {@code values} holds {@link #size()} floats in row-major order. */
  public synchronized void assign(float[] values) {
    if (values.length != shape.size()) {
      throw new IllegalArgumentException(
          "Layer \""
              + owner.name()
              + "\" weight \""
              + name
              + "\": expected "
              + shape.size()
              + " values for shape "
              + KerasShape.format(shape)
              + ", got "
              + values.length);
    }
    if (graph == null) {
      hostValue = values.clone();
      pendingRandom = null;
      leftOnServers = false;
    } else {
      writeToGraph(values);
    }
  }

  /** Replaces the value with an array of exactly this weight's shape. */
  public void assign(FloatNdArray values) {
    if (!values.shape().equals(shape)) {
      throw new IllegalArgumentException(
          "Layer \""
              + owner.name()
              + "\" weight \""
              + name
              + "\": expected shape "
              + KerasShape.format(shape)
              + ", got "
              + KerasShape.format(values.shape()));
    }
    float[] flat = new float[(int) values.size()];
    values.copyTo(DataBuffers.of(flat, false, false));
    assign(flat);
  }

  private void writeToGraph(float[] values) {
    variable.write(values);
  }

  private float[] readFromGraph() {
    return variable.readFloats();
  }

  /**
   * Assigns {@code values} to {@code weights} in order, after checking the count and every shape
   * (so nothing changes when one does not fit); errors name {@code owner}, the layer, the weight
   * and both shapes.
   */
  public static void assignAll(
      String owner, List<Weight> weights, List<? extends FloatNdArray> values) {
    if (values.size() != weights.size()) {
      throw new IllegalArgumentException(
          owner
              + ": expected "
              + weights.size()
              + " weight arrays "
              + weights.stream().map(w -> w.name() + KerasShape.format(w.shape())).toList()
              + ", got "
              + values.size());
    }
    for (int i = 0; i < weights.size(); i++) {
      Weight w = weights.get(i);
      if (!java.util.Arrays.equals(values.get(i).shape().asArray(), w.shape().asArray())) {
        throw new IllegalArgumentException(
            "Layer \""
                + w.layer().name()
                + "\" weight \""
                + w.name()
                + "\": expected shape "
                + KerasShape.format(w.shape())
                + ", got "
                + KerasShape.format(values.get(i).shape()));
      }
    }
    for (int i = 0; i < weights.size(); i++) {
      weights.get(i).assign(values.get(i));
    }
  }

  @Override
  public String toString() {
    return "<Weight path=" + path() + ", shape=" + KerasShape.format(shape) + ">";
  }
}
