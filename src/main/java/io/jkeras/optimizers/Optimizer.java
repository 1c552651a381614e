package io.jkeras.optimizers;

import io.jkeras.KerasSerializable;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.GraphVariable;
import io.jkeras.config.ConfigReader;
import io.jkeras.layers.KerasNames;
import io.jkeras.layers.Weight;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The base of jkeras optimizers, with Keras 3's state layout: an {@code iteration} counter, the
 * {@code learning_rate}, then per-weight slot variables (for Adam, each weight's momentum then
 * velocity), so that the state can be saved in, and restored from, Keras weight files.
 *
 * <p>A subclass names its slots and emits the update of one weight from its gradient. Weight
 * constraints are applied after every update, as Keras does.
 *
 * <pre>{@code
 * model.compile(new Adam(0.001), "binary_crossentropy", "accuracy");
 * }</pre>
 */
public abstract class Optimizer implements KerasSerializable {

  private double learningRate;
  private GraphSession graph;
  private GraphVariable<TInt64> iterations;
  private GraphVariable<TFloat32> learningRateVariable;
  private final List<GraphVariable<TFloat32>> slots = new ArrayList<>();

  protected Optimizer(double learningRate) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          className() + ": learning_rate must be a positive number, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  public double learningRate() {
    return learningRate;
  }

  /** Changes the learning rate, also while training (Keras {@code optimizer.learning_rate = x}). */
  public void setLearningRate(double learningRate) {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException(
          className() + ": learning_rate must be positive, got " + learningRate);
    }
    this.learningRate = learningRate;
    if (learningRateVariable != null) {
      learningRateVariable.write(new float[] {(float) learningRate});
    }
  }

  /**
   * The slot names, in groups: within a group, Keras creates the slots weight by weight,
   * interleaved (Adam: {@code [[momentum, velocity]]}); groups follow one another.
   */
  protected abstract List<List<String>> slotGroups();

  /** The initial value of every element of a slot; zeros unless overridden. */
  protected float slotInitialValue(String slot) {
    return 0f;
  }

  /**
   * Emits the update of {@code var} from {@code grad}.
   *
   * @param slots this weight's slots, in the order of {@link #slotGroups()} flattened
   * @param lr the learning rate
   * @param step the 1-based step number of this update, as float
   */
  protected abstract Op update(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TFloat32> grad,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step);

  /**
   * Creates the optimizer's variables in {@code g} and returns the op that applies one step to
   * {@code weights} from {@code grads}: every update waits for every gradient, constraints run
   * after the updates, and the iteration count goes up last.
   */
  public final Op build(GraphSession g, List<Weight> weights, List<Operand<TFloat32>> grads) {
    if (graph != null) {
      throw new IllegalStateException(
          className() + ": an optimizer instance can serve one model only");
    }
    graph = g;
    Ops scoped = g.tf().withSubScope(g.uniqueScope(KerasNames.toSnakeCase(className())));
    iterations = GraphVariable.longs(g, scoped, "iteration", Shape.scalar());
    iterations.write(new long[] {0});
    learningRateVariable = GraphVariable.floats(g, scoped, "learning_rate", Shape.scalar());
    learningRateVariable.write(new float[] {(float) learningRate});

    List<List<Variable<TFloat32>>> perWeight = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      perWeight.add(new ArrayList<>());
    }
    for (List<String> group : slotGroups()) {
      for (int i = 0; i < weights.size(); i++) {
        Weight w = weights.get(i);
        for (String slot : group) {
          GraphVariable<TFloat32> v =
              GraphVariable.floats(
                  g, scoped, slot + "_" + w.layer().name() + "_" + w.name(), w.shape());
          float[] init = new float[Math.toIntExact(w.size())];
          Arrays.fill(init, slotInitialValue(slot));
          v.write(init);
          slots.add(v);
          perWeight.get(i).add(v.variable());
        }
      }
    }
    Ops tf = scoped;
    // Ref variables are read when an op runs: no update may start before every gradient is known.
    Ops afterGrads =
        tf.withControlDependencies(grads.stream().map(gr -> (Op) tf.identity(gr)).toList());
    Operand<TFloat32> step =
        afterGrads.dtypes.cast(
            afterGrads.math.add(iterations.variable(), afterGrads.constant(1L)), TFloat32.class);
    Operand<TFloat32> lr = afterGrads.identity(learningRateVariable.variable());
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      updates.add(
          update(afterGrads, weights.get(i).value(), grads.get(i), perWeight.get(i), lr, step));
    }
    Ops afterUpdates = tf.withControlDependencies(updates);
    List<Op> constrained = new ArrayList<>(updates);
    for (Weight w : weights) {
      if (w.constraint() != null) {
        constrained.add(
            afterUpdates.assign(
                w.value(), w.constraint().apply(afterUpdates, afterUpdates.identity(w.value()))));
      }
    }
    Ops last = tf.withControlDependencies(constrained);
    return last.withName("train_step").assignAdd(iterations.variable(), last.constant(1L));
  }

  /** True once {@link #build} created the variables. */
  public boolean isBuilt() {
    return graph != null && !graph.isClosed();
  }

  /** The number of optimizer variables' values (counted as "Optimizer params" in summaries). */
  public long countParams() {
    if (!isBuilt()) {
      return 0;
    }
    long n = 2;
    for (GraphVariable<TFloat32> s : slots) {
      n += s.shape().size();
    }
    return n;
  }

  /** The iteration count: how many steps have been applied. */
  public long iterations() {
    return isBuilt() ? iterations.readLongs()[0] : 0;
  }

  /**
   * The state in Keras's order: {@code [iteration (long[1]), learning_rate (float[1]), slots...]}.
   */
  public List<Object> state() {
    if (!isBuilt()) {
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    out.add(iterations.readLongs());
    out.add(learningRateVariable.readFloats());
    for (GraphVariable<TFloat32> s : slots) {
      out.add(s.readFloats());
    }
    return out;
  }

  /** The shapes of {@link #state()}'s entries. */
  public List<Shape> stateShapes() {
    List<Shape> out = new ArrayList<>();
    if (isBuilt()) {
      out.add(Shape.scalar());
      out.add(Shape.scalar());
      for (GraphVariable<TFloat32> s : slots) {
        out.add(s.shape());
      }
    }
    return out;
  }

  /** Restores a state from {@link #state()} or from a Keras file (same order and sizes). */
  public void setState(List<?> values) {
    if (!isBuilt()) {
      throw new IllegalStateException(className() + ": no state before training starts");
    }
    int expected = 2 + slots.size();
    if (values.size() != expected) {
      throw new IllegalArgumentException(
          className()
              + ": expected "
              + expected
              + " state arrays (iteration, learning_rate and "
              + slots.size()
              + " slots), got "
              + values.size());
    }
    for (int i = 2; i < expected; i++) {
      float[] v = (float[]) values.get(i);
      if (v.length != slots.get(i - 2).shape().size()) {
        throw new IllegalArgumentException(
            className()
                + ": state array "
                + i
                + " has "
                + v.length
                + " values, expected "
                + slots.get(i - 2).shape().size());
      }
    }
    Object it = values.get(0);
    iterations.write(it instanceof long[] ? (long[]) it : new long[] {(long) ((float[]) it)[0]});
    float[] lr = (float[]) values.get(1);
    learningRateVariable.write(lr);
    learningRate = lr[0];
    for (int i = 2; i < expected; i++) {
      slots.get(i - 2).write((float[]) values.get(i));
    }
  }

  /** Keras optimizer options jkeras lacks, with the value that means "off". */
  private static final Object[][] OFF_OPTIONS = {
    {"weight_decay", null, "weight decay"},
    {"clipnorm", null, "gradient clipping"},
    {"global_clipnorm", null, "gradient clipping"},
    {"clipvalue", null, "gradient clipping"},
    {"use_ema", false, "EMA of weights"},
    {"loss_scale_factor", null, "loss scaling"},
    {"gradient_accumulation_steps", null, "gradient accumulation"},
    {"decay", 0.0, "learning-rate decay"},
  };

  /**
   * Reads the keys every Keras optimizer config has, for a subclass's {@code fromConfig}: {@code
   * name}, the learning rate ({@code learning_rate}, Keras 2's {@code lr}; a schedule is refused),
   * and the options jkeras lacks, accepted at their off values. Returns the learning rate, {@code
   * defaultRate} when absent.
   *
   * <pre>{@code
   * public static Adam fromConfig(Map<String, Object> config) {
   *   ConfigReader c = ConfigReader.of("Adam", config);
   *   Adam adam = new Adam(readBaseConfig(c, 0.001), c.number("beta_1", 0.9), ...);
   *   c.rejectUnknownKeys();
   *   return adam;
   * }
   * }</pre>
   */
  protected static double readBaseConfig(ConfigReader c, double defaultRate) {
    c.string("name", null);
    c.ignore("jit_compile");
    c.ignore("is_legacy_optimizer");
    c.ignore("ema_momentum");
    c.ignore("ema_overwrite_frequency");
    for (Object[] off : OFF_OPTIONS) {
      c.requireDefault((String) off[0], off[1], (String) off[2]);
    }
    String key = c.has("learning_rate") || !c.has("lr") ? "learning_rate" : "lr";
    c.ignore("lr");
    Object lr = c.raw(key);
    if (lr != null && !(lr instanceof Number)) {
      throw c.fail(key, "learning-rate schedules are not supported, got " + ConfigReader.show(lr));
    }
    return lr == null ? defaultRate : ((Number) lr).doubleValue();
  }

  /** Keras's base optimizer config keys, then the subclass's. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", KerasNames.toSnakeCase(className()));
    c.put("learning_rate", learningRate);
    c.put("weight_decay", null);
    c.put("clipnorm", null);
    c.put("global_clipnorm", null);
    c.put("clipvalue", null);
    c.put("use_ema", false);
    c.put("ema_momentum", 0.99);
    c.put("ema_overwrite_frequency", null);
    c.put("loss_scale_factor", null);
    c.put("gradient_accumulation_steps", null);
    return c;
  }

  @Override
  public String className() {
    return getClass().getSimpleName();
  }
}
