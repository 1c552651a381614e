package io.jkeras.optimizers;

import io.jkeras.KerasSerializable;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.GraphVariable;
import io.jkeras.backend.RowPartition;
import io.jkeras.config.ConfigReader;
import io.jkeras.layers.KerasNames;
import io.jkeras.layers.Weight;
import io.jkeras.optimizers.schedules.LearningRateSchedule;
import io.jkeras.optimizers.schedules.LearningRateSchedules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The base of jkeras optimizers, with Keras 3's state layout: an {@code iteration} counter, the
 * {@code learning_rate} (absent with a {@link LearningRateSchedule}), each weight's moving average
 * (with EMA), each weight's gradient accumulator (with gradient accumulation), then the subclass's
 * slot variables (for Adam, each weight's momentum then velocity), so that the state can be saved
 * in, and restored from, Keras weight files.
 *
 * <p>The options every Keras optimizer has are applied here, in Keras's order: the gradients are
 * divided by {@code loss_scale_factor} (the loss was multiplied by it), accumulated over {@code
 * gradient_accumulation_steps} steps (their mean updates the weights every that many steps),
 * clipped ({@code clipnorm} per weight, {@code global_clipnorm} over all, or {@code clipvalue}),
 * the weights decayed ({@code w -= w · weight_decay · lr}), the subclass's update applied, the
 * moving averages updated ({@code use_ema}; copied into the weights every {@code
 * ema_overwrite_frequency} steps and at the end of {@code fit}), and weight constraints applied. A
 * subclass names its slots and emits the update of one weight from its gradient.
 *
 * <pre>{@code
 * model.compile(new Adam(0.001).clipnorm(1.0).weightDecay(0.004), "binary_crossentropy");
 * }</pre>
 */
public abstract class Optimizer implements KerasSerializable {

  /** The config keys every Keras optimizer has. */
  static final List<String> BASE_KEYS =
      List.of(
          "name",
          "learning_rate",
          "weight_decay",
          "clipnorm",
          "global_clipnorm",
          "clipvalue",
          "use_ema",
          "ema_momentum",
          "ema_overwrite_frequency",
          "loss_scale_factor",
          "gradient_accumulation_steps");

  private double learningRate;
  private LearningRateSchedule schedule;
  private String name;
  private Double weightDecay;
  private Double clipnorm;
  private Double globalClipnorm;
  private Double clipvalue;
  private boolean useEma;
  private double emaMomentum = 0.99;
  private Integer emaOverwriteFrequency;
  private Double lossScaleFactor;
  private Integer gradientAccumulationSteps;
  private boolean sparseUpdates = true;

  private GraphSession graph;
  private GraphVariable<TInt64> iterations;
  private GraphVariable<TFloat32> learningRateVariable;

  /**
   * Every variable after iteration and learning_rate, in Keras's order; null for a placeholder slot
   * (an unused int32 zero, see {@link #placeholderSlot}).
   */
  private final List<GraphVariable<TFloat32>> slots = new ArrayList<>();

  private List<Weight> weights = List.of();
  private final List<GraphVariable<TFloat32>> averages = new ArrayList<>();
  private final List<Variable<TFloat32>> scalars = new ArrayList<>();

  /**
   * For subclasses: an optimizer with a fixed learning rate.
   *
   * @throws IllegalArgumentException if {@code learningRate} is not a positive finite number
   */
  protected Optimizer(double learningRate) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          className() + ": learning_rate must be a positive number, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  /** The learning rate (with a schedule: its value at step 0 is not tracked; this stays fixed). */
  public double learningRate() {
    return learningRate;
  }

  /**
   * The learning rate the next update uses, as float32, as Keras's {@code optimizer.learning_rate}:
   * the fixed rate, or the schedule's value at the iteration count (0 before training).
   *
   * <pre>{@code
   * double lr = new SGD().learningRate(new ExponentialDecay(0.1, 1, 0.5, false))
   *     .currentLearningRate(); // 0.1
   * }</pre>
   */
  public double currentLearningRate() {
    if (schedule == null) {
      return (float) learningRate;
    }
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> lr = schedule.call(tf, tf.constant((float) steps()));
      try (Result r = s.runner().fetch(lr).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  /** The learning-rate schedule, or null for a fixed (settable) learning rate. */
  public LearningRateSchedule learningRateSchedule() {
    return schedule;
  }

  /** Changes the learning rate, also while training (Keras {@code optimizer.learning_rate = x}). */
  public void setLearningRate(double learningRate) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          className() + ": learning_rate must be a positive finite number, got " + learningRate);
    }
    if (schedule != null) {
      throw new IllegalStateException(
          className()
              + ": this optimizer's learning rate follows a "
              + schedule.className()
              + " schedule and cannot be set");
    }
    this.learningRate = learningRate;
    if (learningRateVariable != null) {
      learningRateVariable.write(new float[] {(float) learningRate});
    }
  }

  // ---- the options every Keras optimizer has ------------------------------------------------

  /** Uses {@code schedule} for the learning rate (Keras {@code learning_rate=schedule}). */
  public Optimizer learningRate(LearningRateSchedule schedule) {
    requireUnbuilt();
    this.schedule = schedule;
    return this;
  }

  /** Keras's {@code name} (default: the class name in snake case). */
  public Optimizer name(String name) {
    this.name = name;
    return this;
  }

  /** Decoupled weight decay: before each update {@code w -= w · weightDecay · lr}. */
  public Optimizer weightDecay(double weightDecay) {
    requireUnbuilt();
    this.weightDecay = weightDecay;
    return this;
  }

  /** Clips each weight's gradient to an L2 norm of at most {@code clipnorm}. */
  public Optimizer clipnorm(double clipnorm) {
    requireUnbuilt();
    onlyOneClip(clipnorm);
    this.clipnorm = clipnorm;
    return this;
  }

  /** Scales all gradients together so that their global L2 norm is at most {@code norm}. */
  public Optimizer globalClipnorm(double norm) {
    requireUnbuilt();
    onlyOneClip(norm);
    this.globalClipnorm = norm;
    return this;
  }

  /** Clips every gradient element to {@code [-clipvalue, clipvalue]}. */
  public Optimizer clipvalue(double clipvalue) {
    requireUnbuilt();
    onlyOneClip(clipvalue);
    this.clipvalue = clipvalue;
    return this;
  }

  /**
   * Keeps an exponential moving average of every trainable weight ({@code momentum}, Keras default
   * 0.99), copied into the weights every {@code overwriteFrequency} steps (null: never) and when
   * {@code fit} ends.
   */
  public Optimizer ema(double momentum, Integer overwriteFrequency) {
    requireUnbuilt();
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException(
          className() + ": ema_momentum must be in [0, 1], got " + momentum);
    }
    if (overwriteFrequency != null && overwriteFrequency < 1) {
      throw new IllegalArgumentException(
          className()
              + ": ema_overwrite_frequency must be an integer >= 1 or null, got "
              + overwriteFrequency);
    }
    this.useEma = true;
    this.emaMomentum = momentum;
    this.emaOverwriteFrequency = overwriteFrequency;
    return this;
  }

  /**
   * Multiplies the loss by {@code factor} before the gradients and divides the gradients back.
   *
   * @throws IllegalArgumentException if {@code factor} is 0, NaN or infinite (the gradients would
   *     be NaN)
   */
  public Optimizer lossScaleFactor(double factor) {
    requireUnbuilt();
    if (factor == 0 || !Double.isFinite(factor)) {
      throw new IllegalArgumentException(
          className() + ": loss_scale_factor must be a finite non-zero number, got " + factor);
    }
    this.lossScaleFactor = factor;
    return this;
  }

  /** Updates the weights every {@code steps} steps (at least 2) with the mean gradient. */
  public Optimizer gradientAccumulationSteps(int steps) {
    requireUnbuilt();
    if (steps < 2) {
      throw new IllegalArgumentException(
          className() + ": gradient_accumulation_steps must be an integer >= 2, got " + steps);
    }
    this.gradientAccumulationSteps = steps;
    return this;
  }

  private void onlyOneClip(double value) {
    if ((clipnorm != null ? 1 : 0) + (globalClipnorm != null ? 1 : 0) + (clipvalue != null ? 1 : 0)
        > 0) {
      throw new IllegalArgumentException(
          className()
              + ": only one of clipnorm, clipvalue and global_clipnorm can be set; got "
              + value
              + " after clipnorm="
              + clipnorm
              + ", clipvalue="
              + clipvalue
              + ", global_clipnorm="
              + globalClipnorm);
    }
  }

  private void requireUnbuilt() {
    if (graph != null) {
      throw new IllegalStateException(className() + ": options must be set before training starts");
    }
  }

  /** The loss the gradients are taken of: multiplied by {@code loss_scale_factor} when set. */
  public Operand<TFloat32> scaleLoss(Ops tf, Operand<TFloat32> loss) {
    return lossScaleFactor == null
        ? loss
        : tf.math.mul(loss, tf.constant(lossScaleFactor.floatValue()));
  }

  // ---- subclasses ----------------------------------------------------------------------------

  /**
   * The slot names, in groups: within a group, Keras creates the slots weight by weight,
   * interleaved (Adam: {@code [[momentum, velocity]]}); groups follow one another.
   */
  protected abstract List<List<String>> slotGroups();

  /** The initial value of every element of a slot; zeros unless overridden. */
  protected float slotInitialValue(String slot) {
    return 0f;
  }

  /** The shape of a weight's slot; the weight's shape unless overridden. */
  protected Shape slotShape(String slot, Shape weight) {
    return weight;
  }

  /**
   * True when Keras creates, for this slot of a weight of shape {@code weight}, an unused int32
   * scalar zero instead of a float variable (Adafactor's factored moments of a weight of rank below
   * 2): files keep it in its place, the update gets null for it. False unless overridden.
   */
  protected boolean placeholderSlot(String slot, Shape weight) {
    return false;
  }

  /** Scalar variables created after the slots (Nadam's {@code u_product}) with initial values. */
  protected Map<String, Float> scalarVariables() {
    return Map.of();
  }

  /**
   * Emits what an update step does once before the weights' updates (Nadam advances {@code
   * u_product}); {@code scalars} are the variables of {@link #scalarVariables()}. None by default.
   */
  protected List<Op> beforeUpdates(
      Ops tf, List<Variable<TFloat32>> scalars, Operand<TFloat32> lr, Operand<TFloat32> step) {
    return List.of();
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
   * Whether this optimizer has a row-sparse update that is the same math as its dense one: rows
   * whose gradient is zero stay as they are. False unless overridden (with {@link #sparseUpdate}).
   */
  protected boolean hasSparseUpdate() {
    return false;
  }

  /**
   * Emits the update of the rows {@code ids} (distinct) of {@code var} from their gradient {@code
   * rows}, touching no other row of {@code var} or of its slots. Only called when {@link
   * #hasSparseUpdate()}.
   *
   * @param slots this weight's slots, in the order of {@link #slotGroups()} flattened
   * @param lr the learning rate
   * @param step the 1-based step number of this update, as float
   */
  protected Op sparseUpdate(
      Ops tf,
      Variable<TFloat32> var,
      Operand<TInt64> ids,
      Operand<TFloat32> rows,
      List<Variable<TFloat32>> slots,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    throw new UnsupportedOperationException(className() + " has no row-sparse update");
  }

  /**
   * True when this optimizer, with its options, updates an embedding table from the gradients of
   * its looked-up rows (scatter updates) with the same numbers as from the dense gradient. Weight
   * decay and gradient accumulation change every row each step, so they turn it off; clipping, loss
   * scaling and EMA do not (the norms and the averaged weights are the same).
   *
   * <pre>{@code
   * boolean sparse = new Adagrad(0.01).updatesSparsely(); // true
   * }</pre>
   */
  public boolean updatesSparsely() {
    return sparseUpdates
        && hasSparseUpdate()
        && weightDecay == null
        && gradientAccumulationSteps == null;
  }

  /**
   * Whether embedding tables may be updated from their looked-up rows (default true): a jkeras
   * runtime choice, not a Keras option, so it is not written to files. Where {@link
   * #updatesSparsely()} the numbers are the same either way; false makes every step take and apply
   * the table-sized dense gradient (for comparisons and benchmarks).
   *
   * <pre>{@code
   * Optimizer dense = new Adagrad(0.05).sparseUpdates(false);
   * }</pre>
   */
  public Optimizer sparseUpdates(boolean enabled) {
    requireUnbuilt();
    this.sparseUpdates = enabled;
    return this;
  }

  // ---- graph ---------------------------------------------------------------------------------

  /**
   * Creates the optimizer's variables in {@code g} and returns the op that applies one step to
   * {@code weights} from {@code grads}: every update waits for every gradient, constraints run
   * after the updates, and the iteration count goes up last.
   */
  public final Op build(GraphSession g, List<Weight> weights, List<Operand<TFloat32>> grads) {
    List<Operand<TInt64>> dense = new ArrayList<>();
    grads.forEach(gr -> dense.add(null));
    return build(g, weights, grads, dense);
  }

  /**
   * As {@link #build(GraphSession, List, List)}, with row-sparse gradients: where {@code
   * rowIds.get(i)} is not null, {@code grads.get(i)} holds only the rows of weight {@code i}'s
   * gradient at those distinct row indices (every other row of the gradient is zero), and the
   * weight is updated with scatter ops that touch those rows only. Allowed only when {@link
   * #updatesSparsely()}; clipping and loss scaling see the same numbers as the dense gradient's.
   *
   * <pre>{@code
   * Op step = optimizer.build(g, List.of(table), List.of(rows), List.of(uniqueIds));
   * }</pre>
   *
   * @throws IllegalArgumentException when a gradient is row-sparse but this optimizer's sparse
   *     update would differ from its dense one
   */
  public final Op build(
      GraphSession g,
      List<Weight> weights,
      List<Operand<TFloat32>> grads,
      List<Operand<TInt64>> rowIds) {
    if (rowIds.size() != grads.size()) {
      throw new IllegalArgumentException(
          className() + ": " + rowIds.size() + " row-id lists for " + grads.size() + " gradients");
    }
    boolean denseFromRows = false;
    for (int i = 0; i < weights.size(); i++) {
      if (rowIds.get(i) != null && weights.get(i).rowPartition() == null) {
        denseFromRows = true;
      }
      if (weights.get(i).rowPartition() != null && rowIds.get(i) == null) {
        throw new IllegalArgumentException(
            className()
                + ": weight "
                + weights.get(i).path()
                + " is split into row shards; its gradient must be given as rows");
      }
      if (weights.get(i).rowPartition() != null && gradientAccumulationSteps != null) {
        throw new IllegalArgumentException(
            className()
                + ": gradient_accumulation_steps cannot accumulate the gradient of weight "
                + weights.get(i).path()
                + ", which the distribution split into row shards");
      }
    }
    if (!updatesSparsely() && denseFromRows) {
      throw new IllegalArgumentException(
          className()
              + ": row-sparse gradients given, but this optimizer's options update every row"
              + " (weight_decay, gradient_accumulation_steps or the update rule itself)");
    }
    if (graph != null) {
      throw new IllegalStateException(
          className() + ": an optimizer instance can serve one model only");
    }
    graph = g;
    this.weights = List.copyOf(weights);
    Ops scoped = g.tf().withSubScope(g.uniqueScope(KerasNames.toSnakeCase(className())));
    iterations = GraphVariable.longs(g, scoped, "iteration", Shape.scalar());
    iterations.initialize(new long[] {0});
    if (schedule == null) {
      learningRateVariable = GraphVariable.floats(g, scoped, "learning_rate", Shape.scalar());
      learningRateVariable.initialize(new float[] {(float) learningRate});
    }
    List<Variable<TFloat32>> accumulators = new ArrayList<>();
    if (useEma) {
      for (Weight w : weights) {
        averages.add(slot(g, scoped, "average", w, w.shape(), 0f));
      }
    }
    if (gradientAccumulationSteps != null) {
      for (Weight w : weights) {
        accumulators.add(slot(g, scoped, "gradient_accumulator", w, w.shape(), 0f).variable());
      }
    }
    List<List<GraphVariable<TFloat32>>> perWeight = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      perWeight.add(new ArrayList<>());
    }
    for (List<String> group : slotGroups()) {
      for (int i = 0; i < weights.size(); i++) {
        Weight w = weights.get(i);
        for (String slot : group) {
          if (placeholderSlot(slot, w.shape())) {
            slots.add(null);
            perWeight.get(i).add(null);
          } else {
            perWeight
                .get(i)
                .add(slot(g, scoped, slot, w, slotShape(slot, w.shape()), slotInitialValue(slot)));
          }
        }
      }
    }
    for (Map.Entry<String, Float> e : scalarVariables().entrySet()) {
      GraphVariable<TFloat32> v = GraphVariable.floats(g, scoped, e.getKey(), Shape.scalar());
      v.initialize(new float[] {e.getValue()});
      slots.add(v);
      scalars.add(v.variable());
    }
    Ops tf = scoped;
    // Ref variables are read when an op runs: no update may start before every gradient is known.
    // Each weight's ops run on its device (a parameter server when a strategy placed it there), so
    // only gradients travel, not weights and slots.
    List<Op> gradsReady = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      gradsReady.add(onDeviceOf(tf, this.weights.get(i)).identity(grads.get(i)));
      if (rowIds.get(i) != null) {
        gradsReady.add(onDeviceOf(tf, this.weights.get(i)).identity(rowIds.get(i)));
      }
    }
    Ops afterGrads = tf.withControlDependencies(gradsReady);
    Operand<TInt64> rawIteration = afterGrads.identity(iterations.variable());
    // Keras's `iterations`: applied updates, which differ from calls under gradient accumulation.
    Operand<TInt64> iteration =
        gradientAccumulationSteps == null
            ? rawIteration
            : afterGrads.math.floorDiv(
                rawIteration, afterGrads.constant(gradientAccumulationSteps.longValue()));
    Operand<TFloat32> step =
        afterGrads.dtypes.cast(
            afterGrads.math.add(iteration, afterGrads.constant(1L)), TFloat32.class);
    Operand<TFloat32> lr =
        schedule == null
            ? afterGrads.identity(learningRateVariable.variable())
            : schedule.call(afterGrads, afterGrads.dtypes.cast(rawIteration, TFloat32.class));
    List<Operand<TFloat32>> gs = new ArrayList<>(grads);
    if (lossScaleFactor != null) {
      Operand<TFloat32> scale = afterGrads.constant(lossScaleFactor.floatValue());
      gs.replaceAll(gr -> afterGrads.math.div(gr, scale));
    }

    List<Op> stepOps = new ArrayList<>();
    if (gradientAccumulationSteps == null) {
      stepOps.addAll(clipDecayUpdate(afterGrads, gs, rowIds, perWeight, lr, step));
    } else {
      // Switch/Merge: the update branch runs every `steps` calls, the accumulating one otherwise.
      Operand<TBool> isUpdate =
          afterGrads.math.equal(
              afterGrads.math.floorMod(
                  afterGrads.math.add(rawIteration, afterGrads.constant(1L)),
                  afterGrads.constant(gradientAccumulationSteps.longValue())),
              afterGrads.constant(0L));
      Operand<TFloat32> n = afterGrads.constant(gradientAccumulationSteps.floatValue());
      List<Operand<TFloat32>> meanGrads = new ArrayList<>();
      List<Op> accumulate = new ArrayList<>();
      for (int i = 0; i < gs.size(); i++) {
        SwitchCond<TFloat32> sw = afterGrads.switchCond(gs.get(i), isUpdate);
        Variable<TFloat32> acc = accumulators.get(i);
        meanGrads.add(afterGrads.math.div(afterGrads.math.add(sw.outputTrue(), acc), n));
        accumulate.add(afterGrads.assign(acc, afterGrads.math.add(sw.outputFalse(), acc)));
      }
      Operand<TFloat32> lrTrue = afterGrads.switchCond(lr, isUpdate).outputTrue();
      Operand<TFloat32> stepTrue = afterGrads.switchCond(step, isUpdate).outputTrue();
      List<Op> updates =
          clipDecayUpdate(afterGrads, meanGrads, rowIds, perWeight, lrTrue, stepTrue);
      Ops afterUpdates = afterGrads.withControlDependencies(updates);
      List<Op> updateBranch = new ArrayList<>(updates);
      for (int i = 0; i < gs.size(); i++) {
        updateBranch.add(
            afterUpdates.assign(accumulators.get(i), afterUpdates.zerosLike(meanGrads.get(i))));
      }
      SwitchCond<TBool> token = afterGrads.switchCond(isUpdate, isUpdate);
      List<Operand<TBool>> ends = new ArrayList<>();
      ends.add(afterGrads.withControlDependencies(updateBranch).identity(token.outputTrue()));
      ends.add(afterGrads.withControlDependencies(accumulate).identity(token.outputFalse()));
      stepOps.add(afterGrads.merge(ends));
    }

    Ops afterStep = tf.withControlDependencies(stepOps);
    List<Op> done = new ArrayList<>(stepOps);
    if (useEma) {
      Operand<TFloat32> momentum =
          afterStep.math.mul(
              afterStep.dtypes.cast(
                  afterStep.math.notEqual(iteration, afterStep.constant(0L)), TFloat32.class),
              afterStep.constant((float) emaMomentum));
      Operand<TFloat32> keep = afterStep.math.sub(afterStep.constant(1f), momentum);
      Operand<TBool> overwrite =
          emaOverwriteFrequency == null
              ? null
              : afterStep.math.equal(
                  afterStep.math.floorMod(
                      afterStep.math.add(iteration, afterStep.constant(1L)),
                      afterStep.constant(emaOverwriteFrequency.longValue())),
                  afterStep.constant(0L));
      for (int i = 0; i < weights.size(); i++) {
        for (int s = 0; s < shards(weights.get(i)); s++) {
          Variable<TFloat32> avg = averages.get(i).shard(s);
          Variable<TFloat32> var = weights.get(i).graphVariable().shard(s);
          Operand<TFloat32> newAvg =
              afterStep.assign(
                  avg,
                  afterStep.math.add(
                      afterStep.math.mul(momentum, avg), afterStep.math.mul(keep, var)));
          if (overwrite == null) {
            done.add(newAvg);
          } else {
            Ops afterAvg = afterStep.withControlDependencies(List.of(newAvg));
            done.add(
                afterAvg.assign(
                    var,
                    afterAvg.select(
                        afterAvg.fill(afterAvg.shape(var), overwrite),
                        afterAvg.identity(newAvg),
                        afterAvg.identity(var))));
          }
        }
      }
    }
    Ops afterUpdates = tf.withControlDependencies(done);
    List<Op> constrained = new ArrayList<>(done);
    for (Weight w : weights) {
      if (w.constraint() != null) {
        Ops near = onDeviceOf(afterUpdates, w);
        constrained.add(
            near.assign(w.value(), w.constraint().apply(near, near.identity(w.value()))));
      }
    }
    Ops last = tf.withControlDependencies(constrained);
    return last.withName("train_step").assignAdd(iterations.variable(), last.constant(1L));
  }

  /** Ops placed on {@code w}'s device: a parameter server when a strategy placed it there. */
  private static Ops onDeviceOf(Ops tf, Weight w) {
    return w.device() == null ? tf : tf.withDevice(w.device());
  }

  /** The number of row shards of {@code w}'s variable: 1 unless a distribution split it. */
  private static int shards(Weight w) {
    return w.rowPartition() == null ? 1 : w.rowPartition().shards();
  }

  /** A slot of {@code w}, split into the same row shards as {@code w} when it is split. */
  private GraphVariable<TFloat32> slot(
      GraphSession g, Ops scoped, String slot, Weight w, Shape shape, float initial) {
    if (w.rowPartition() != null && !shape.equals(w.shape())) {
      throw new IllegalArgumentException(
          className()
              + ": slot "
              + slot
              + " of shape "
              + shape
              + " cannot be split into the row shards of weight "
              + w.path()
              + " "
              + w.shape()
              + "; use an optimizer whose slots have the weight's shape (SGD, Adagrad, Adam,"
              + " LazyAdam...) or keep the table whole");
    }
    GraphVariable<TFloat32> v =
        GraphVariable.floats(
            g,
            scoped,
            slot + "_" + w.layer().name() + "_" + w.name(),
            w.path(),
            shape,
            w.rowPartition());
    v.initializeFilled(initial);
    slots.add(v);
    return v;
  }

  /** Clipping, weight decay, then the subclass's update of every weight. */
  private List<Op> clipDecayUpdate(
      Ops tf,
      List<Operand<TFloat32>> grads,
      List<Operand<TInt64>> rowIds,
      List<List<GraphVariable<TFloat32>>> perWeight,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    List<Operand<TFloat32>> gs = clip(tf, grads);
    List<Op> decays = new ArrayList<>();
    if (weightDecay != null) {
      Operand<TFloat32> wd = tf.constant(weightDecay.floatValue());
      for (Weight w : weights) {
        for (int s = 0; s < shards(w); s++) {
          Variable<TFloat32> var = w.graphVariable().shard(s);
          decays.add(tf.assignSub(var, tf.math.mul(tf.math.mul(tf.identity(var), wd), lr)));
        }
      }
    }
    decays.addAll(beforeUpdates(tf, scalars, lr, step));
    Ops afterDecay = decays.isEmpty() ? tf : tf.withControlDependencies(decays);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Weight w = weights.get(i);
      if (w.rowPartition() != null) {
        updates.addAll(
            shardUpdates(afterDecay, w, rowIds.get(i), gs.get(i), perWeight.get(i), lr, step));
        continue;
      }
      Ops near = onDeviceOf(afterDecay, w);
      Variable<TFloat32> var = w.value();
      List<Variable<TFloat32>> slotVars = shardOf(perWeight.get(i), 0);
      updates.add(
          rowIds.get(i) == null
              ? update(near, var, gs.get(i), slotVars, lr, step)
              : sparseUpdate(near, var, rowIds.get(i), gs.get(i), slotVars, lr, step));
    }
    return updates;
  }

  /**
   * The updates of a weight split into row shards, from its gradient as distinct rows {@code ids}
   * with values {@code rows}: the rows are split by shard here, and each shard is updated on its
   * own device with its own slots, row-sparse when this optimizer updates sparsely, else from the
   * shard's dense gradient built there (so rows travel, not shards).
   */
  private List<Op> shardUpdates(
      Ops tf,
      Weight w,
      Operand<TInt64> ids,
      Operand<TFloat32> rows,
      List<GraphVariable<TFloat32>> slotVars,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    RowPartition p = w.rowPartition();
    Operand<TInt32> which = p.shardIndices(tf, ids);
    List<Operand<TInt64>> shardIds = p.split(tf, ids, which);
    List<Operand<TFloat32>> shardRows = p.split(tf, rows, which);
    List<Op> out = new ArrayList<>();
    for (int s = 0; s < p.shards(); s++) {
      Operand<TInt64> local = p.local(tf, shardIds.get(s), s);
      DeviceSpec device = w.graphVariable().shardDevice(s);
      Ops near = device == null ? tf : tf.withDevice(device);
      Variable<TFloat32> var = w.graphVariable().shard(s);
      if (updatesSparsely()) {
        out.add(sparseUpdate(near, var, local, shardRows.get(s), shardOf(slotVars, s), lr, step));
      } else {
        Operand<TFloat32> dense =
            near.math.unsortedSegmentSum(shardRows.get(s), local, near.constant(p.shardRows(s)));
        out.add(update(near, var, dense, shardOf(slotVars, s), lr, step));
      }
    }
    return out;
  }

  /** Shard {@code s} of every slot (null stays null: a placeholder slot). */
  private static List<Variable<TFloat32>> shardOf(List<GraphVariable<TFloat32>> slots, int s) {
    List<Variable<TFloat32>> out = new ArrayList<>();
    for (GraphVariable<TFloat32> v : slots) {
      out.add(v == null ? null : v.shard(s));
    }
    return out;
  }

  private List<Operand<TFloat32>> clip(Ops tf, List<Operand<TFloat32>> grads) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    if (clipnorm != null && clipnorm > 0) {
      Operand<TFloat32> c = tf.constant(clipnorm.floatValue());
      for (Operand<TFloat32> g : grads) {
        // As tf.clip_by_norm: g · c / max(‖g‖, c), with ‖0‖ taken as 0 without a NaN gradient.
        Operand<TFloat32> l2sum = tf.sum(tf.math.mul(g, g), allAxes(tf, g));
        Operand<TBool> positive = tf.math.greater(l2sum, tf.constant(0f));
        Operand<TFloat32> safe = tf.select(positive, l2sum, tf.onesLike(l2sum));
        Operand<TFloat32> norm = tf.select(positive, tf.math.sqrt(safe), l2sum);
        out.add(tf.math.div(tf.math.mul(g, c), tf.math.maximum(norm, c)));
      }
      return out;
    }
    if (globalClipnorm != null && globalClipnorm > 0) {
      List<Operand<TFloat32>> squares = new ArrayList<>();
      for (Operand<TFloat32> g : grads) {
        squares.add(tf.sum(tf.math.mul(g, g), allAxes(tf, g)));
      }
      Operand<TFloat32> norm = tf.math.sqrt(tf.sum(tf.stack(squares), tf.constant(new int[] {0})));
      Operand<TFloat32> c = tf.constant(globalClipnorm.floatValue());
      Operand<TFloat32> one = tf.constant(1f);
      Operand<TFloat32> scale =
          tf.math.add(
              tf.math.mul(c, tf.math.minimum(tf.math.div(one, norm), tf.math.div(one, c))),
              tf.math.sub(norm, norm));
      for (Operand<TFloat32> g : grads) {
        out.add(tf.math.mul(g, scale));
      }
      return out;
    }
    if (clipvalue != null && clipvalue > 0) {
      Operand<TFloat32> hi = tf.constant(clipvalue.floatValue());
      Operand<TFloat32> lo = tf.constant(-clipvalue.floatValue());
      for (Operand<TFloat32> g : grads) {
        out.add(tf.clipByValue(g, lo, hi));
      }
      return out;
    }
    return grads;
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /**
   * The end of {@code fit}: with EMA, the weights take their moving averages, as Keras's {@code
   * finalize_variable_values}.
   */
  public void finalizeVariableValues() {
    if (useEma && isBuilt()) {
      for (int i = 0; i < weights.size(); i++) {
        weights.get(i).assign(averages.get(i).readFloats());
      }
    }
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
    long n = schedule == null ? 2 : 1;
    for (GraphVariable<TFloat32> s : slots) {
      n += s == null ? 1 : s.shape().size();
    }
    return n;
  }

  /**
   * The bytes of the optimizer variables, as Keras's summary counts them: 8 for the int64 {@code
   * iteration}, 4 for every float32 value; 0 before {@link #build}.
   *
   * <pre>{@code
   * long bytes = optimizer.countBytes(); // 4 * countParams() + 4 once built
   * }</pre>
   *
   * @return the size in bytes
   */
  public long countBytes() {
    long n = countParams();
    return n == 0 ? 0 : 4 * n + 4;
  }

  /**
   * The iteration count, as Keras's {@code optimizer.iterations}: how many updates have been
   * applied; with gradient accumulation, the training steps divided by {@code
   * gradient_accumulation_steps}, rounded down (the saved {@code iteration} counts every step).
   */
  public long iterations() {
    return gradientAccumulationSteps == null ? steps() : steps() / gradientAccumulationSteps;
  }

  /** The training steps taken: the {@code iteration} variable, which schedules follow. */
  private long steps() {
    return isBuilt() ? iterations.readLongs()[0] : 0;
  }

  /**
   * The variables Keras creates with the optimizer, before it is built: {@code iteration} and,
   * without a schedule, {@code learning_rate}; files of untrained models hold these.
   */
  public List<Object> initialState() {
    List<Object> out = new ArrayList<>();
    out.add(new long[] {0});
    if (schedule == null) {
      out.add(new float[] {(float) learningRate});
    }
    return out;
  }

  /**
   * The variables this optimizer creates for trainable weights of {@code weightShapes}, in Keras's
   * order (as {@link #state()} once built): what a weights file's {@code optimizer/vars} must hold.
   *
   * <pre>{@code
   * List<OptimizerVariable> vars = new Adam().variableLayout(List.of(Shape.of(3, 4)));
   * // iteration, learning_rate, momentum (3, 4), velocity (3, 4)
   * }</pre>
   */
  public List<OptimizerVariable> variableLayout(List<Shape> weightShapes) {
    List<OptimizerVariable> out = new ArrayList<>();
    out.add(new OptimizerVariable("iteration", Shape.scalar(), true, -1));
    if (schedule == null) {
      out.add(new OptimizerVariable("learning_rate", Shape.scalar(), false, -1));
    }
    if (useEma) {
      addPerWeight(out, "average", weightShapes);
    }
    if (gradientAccumulationSteps != null) {
      addPerWeight(out, "gradient_accumulator", weightShapes);
    }
    for (List<String> group : slotGroups()) {
      for (int i = 0; i < weightShapes.size(); i++) {
        Shape w = weightShapes.get(i);
        for (String slot : group) {
          out.add(
              placeholderSlot(slot, w)
                  ? new OptimizerVariable(slot, Shape.scalar(), true, i)
                  : new OptimizerVariable(slot, slotShape(slot, w), false, i));
        }
      }
    }
    for (String scalar : scalarVariables().keySet()) {
      out.add(new OptimizerVariable(scalar, Shape.scalar(), false, -1));
    }
    return out;
  }

  private static void addPerWeight(
      List<OptimizerVariable> out, String name, List<Shape> weightShapes) {
    for (int i = 0; i < weightShapes.size(); i++) {
      out.add(new OptimizerVariable(name, weightShapes.get(i), false, i));
    }
  }

  /**
   * The state in Keras's order: {@code [iteration (long[1]), learning_rate (float[1], absent with a
   * schedule), other variables...]}.
   */
  public List<Object> state() {
    if (!isBuilt()) {
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    out.add(iterations.readLongs());
    if (learningRateVariable != null) {
      out.add(learningRateVariable.readFloats());
    }
    for (GraphVariable<TFloat32> s : slots) {
      out.add(s == null ? new long[] {0} : s.readFloats());
    }
    return out;
  }

  /**
   * The optimizer's TensorFlow variables in the order of {@link #state()} (placeholder slots left
   * out; a slot split into row shards gives its shards in order), for strategies that copy them
   * between replicas; empty before {@link #build}.
   *
   * <pre>{@code
   * List<Variable<?>> vars = optimizer.variables(); // iteration, learning_rate, slots...
   * }</pre>
   *
   * @return the variables
   */
  public List<Variable<?>> variables() {
    List<Variable<?>> out = new ArrayList<>();
    if (isBuilt()) {
      out.add(iterations.variable());
      if (learningRateVariable != null) {
        out.add(learningRateVariable.variable());
      }
      for (GraphVariable<TFloat32> s : slots) {
        if (s != null) {
          out.addAll(s.shards());
        }
      }
    }
    return out;
  }

  /** The shapes of {@link #state()}'s entries. */
  public List<Shape> stateShapes() {
    List<Shape> out = new ArrayList<>();
    if (isBuilt()) {
      out.add(Shape.scalar());
      if (learningRateVariable != null) {
        out.add(Shape.scalar());
      }
      for (GraphVariable<TFloat32> s : slots) {
        out.add(s == null ? Shape.scalar() : s.shape());
      }
    }
    return out;
  }

  /** Restores a state from {@link #state()} or from a Keras file (same order and sizes). */
  public void setState(List<?> values) {
    if (!isBuilt()) {
      throw new IllegalStateException(className() + ": no state before training starts");
    }
    int scalars = learningRateVariable == null ? 1 : 2;
    int expected = scalars + slots.size();
    if (values.size() != expected) {
      throw new IllegalArgumentException(
          className()
              + ": expected "
              + expected
              + " state arrays ("
              + (scalars == 2 ? "iteration, learning_rate" : "iteration")
              + " and "
              + slots.size()
              + " slots), got "
              + values.size());
    }
    for (int i = scalars; i < expected; i++) {
      GraphVariable<TFloat32> slot = slots.get(i - scalars);
      Object value = values.get(i);
      int length = value instanceof long[] l ? l.length : ((float[]) value).length;
      if (slot == null ? length != 1 : !(value instanceof float[])) {
        throw new IllegalArgumentException(
            className()
                + ": state array "
                + i
                + " must be "
                + (slot == null ? "one integer (a placeholder zero)" : "floats")
                + ", got "
                + length
                + (value instanceof long[] ? " integers" : " floats"));
      }
      if (slot != null && length != slot.shape().size()) {
        throw new IllegalArgumentException(
            className()
                + ": state array "
                + i
                + " has "
                + length
                + " values, expected "
                + slots.get(i - scalars).shape().size());
      }
    }
    Object it = values.get(0);
    iterations.write(it instanceof long[] ? (long[]) it : new long[] {(long) ((float[]) it)[0]});
    if (scalars == 2) {
      float[] lr = (float[]) values.get(1);
      learningRateVariable.write(lr);
      learningRate = lr[0];
    }
    for (int i = scalars; i < expected; i++) {
      if (slots.get(i - scalars) != null) {
        slots.get(i - scalars).write((float[]) values.get(i));
      }
    }
  }

  // ---- config --------------------------------------------------------------------------------

  /** Keras's base optimizer config keys, then the subclass's. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name != null ? name : KerasNames.toSnakeCase(className()));
    c.put(
        "learning_rate",
        schedule == null ? learningRate : LearningRateSchedules.serialize(schedule));
    c.put("weight_decay", weightDecay);
    c.put("clipnorm", clipnorm);
    c.put("global_clipnorm", globalClipnorm);
    c.put("clipvalue", clipvalue);
    c.put("use_ema", useEma);
    c.put("ema_momentum", emaMomentum);
    c.put("ema_overwrite_frequency", emaOverwriteFrequency);
    c.put("loss_scale_factor", lossScaleFactor);
    c.put("gradient_accumulation_steps", gradientAccumulationSteps);
    return c;
  }

  /**
   * The learning rate of a config: a number, or a serialized schedule (then {@code withSchedule}
   * gets it). For subclasses' {@code fromConfig}.
   */
  protected static double learningRateOf(
      String className, Map<String, Object> config, double fallback) {
    Object lr = config.get("learning_rate");
    return lr instanceof Map<?, ?>
        ? fallback
        : ConfigReader.of(className, config).number("learning_rate", fallback);
  }

  /**
   * Sets the base options read from {@code config} on {@code optimizer} and checks that {@code
   * config} holds no keys other than the base ones and {@code own}. For subclasses' {@code
   * fromConfig}.
   */
  protected static <O extends Optimizer> O withBaseOptions(
      O optimizer, Map<String, Object> config, List<String> own) {
    Optimizer base = optimizer;
    String cls = optimizer.className();
    List<String> allowed = new ArrayList<>(BASE_KEYS);
    allowed.addAll(own);
    allowed.addAll(List.of("decay", "jit_compile", "is_legacy_optimizer", "lr"));
    ConfigReader keys = ConfigReader.of(cls, config);
    allowed.forEach(keys::ignore);
    keys.rejectUnknownKeys();
    Object lr = config.get("learning_rate");
    if (lr instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> schedule = (Map<String, Object>) m;
      try {
        optimizer.learningRate(LearningRateSchedules.deserialize(schedule));
      } catch (IllegalArgumentException e) {
        throw ConfigReader.of(cls, config)
            .fail(
                "learning_rate", "schedule " + schedule.get("class_name") + ": " + e.getMessage());
      }
    } else if (lr == null && config.get("lr") != null) {
      base.setLearningRate(ConfigReader.of(cls, config).number("lr", base.learningRate));
    }
    Object decay = config.get("decay");
    if (decay != null && !(decay instanceof Number d && d.doubleValue() == 0)) {
      throw ConfigReader.of(cls, java.util.Map.of())
          .wrongValue("decay", "0 (Keras 3 has no `decay`; use a schedule)", decay);
    }
    base.name = ConfigReader.of(cls, config).string("name", null);
    Double wd = optionalNumber(cls, config, "weight_decay");
    if (wd != null) {
      optimizer.weightDecay(wd);
    }
    Double cn = optionalNumber(cls, config, "clipnorm");
    if (cn != null) {
      optimizer.clipnorm(cn);
    }
    Double gcn = optionalNumber(cls, config, "global_clipnorm");
    if (gcn != null) {
      optimizer.globalClipnorm(gcn);
    }
    Double cv = optionalNumber(cls, config, "clipvalue");
    if (cv != null) {
      optimizer.clipvalue(cv);
    }
    Object useEma = config.get("use_ema");
    if (useEma != null && !(useEma instanceof Boolean)) {
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue("use_ema", "true or false", useEma);
    }
    double momentum = ConfigReader.of(cls, config).number("ema_momentum", 0.99);
    Integer frequency = optionalInteger(cls, config, "ema_overwrite_frequency");
    if (Boolean.TRUE.equals(useEma)) {
      optimizer.ema(momentum, frequency);
    } else {
      base.emaMomentum = momentum;
      base.emaOverwriteFrequency = frequency;
    }
    Double scale = optionalNumber(cls, config, "loss_scale_factor");
    if (scale != null) {
      optimizer.lossScaleFactor(scale);
    }
    Integer steps = optionalInteger(cls, config, "gradient_accumulation_steps");
    if (steps != null) {
      optimizer.gradientAccumulationSteps(steps);
    }
    return optimizer;
  }

  /** A number or null. */
  protected static Double optionalNumber(String cls, Map<String, Object> config, String key) {
    Object v = config.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "a number or null", v);
    }
    return n.doubleValue();
  }

  /** A whole number or null. */
  protected static Integer optionalInteger(String cls, Map<String, Object> config, String key) {
    Object v = config.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "a whole number or null", v);
    }
    return n.intValue();
  }

  /** A boolean, or {@code fallback} when absent. */
  protected static boolean bool(
      String cls, Map<String, Object> config, String key, boolean fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "true or false", v);
    }
    return b;
  }

  @Override
  public String className() {
    return getClass().getSimpleName();
  }
}
