package io.jkeras.layers;

import io.jkeras.GlobalSeed;
import io.jkeras.KerasObjects;
import io.jkeras.activations.Activation;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * What Keras's recurrent cells share (SimpleRNNCell, LSTMCell, GRUCell): one time step of a
 * recurrent layer, {@code (input_t, states_t) -> (output_t, states_t+1)}. An {@link RNN} layer
 * calls its cell once per step; a cell is also a layer of its own whose call takes {@code [x,
 * state...]} and returns {@code [output, new state...]}.
 *
 * <p>Weights, in this order: {@code kernel} {@code (input_dim, gates * units)}, {@code
 * recurrent_kernel} {@code (units, gates * units)}, {@code bias} (when {@code use_bias}), with the
 * gate blocks side by side in Keras's order.
 *
 * <p>Dropout (training only) as Keras: a mask is drawn once per call of the RNN for the inputs
 * ({@code dropout}) and one for the recurrent state ({@code recurrent_dropout}), each of shape
 * {@code (batch, features)}, and the same mask is used at every step of a sequence. LSTM and GRU
 * draw one independent mask per gate when {@code recurrent_dropout} is set (Keras's implementation
 * 1), otherwise one shared input mask.
 *
 * <pre>{@code
 * RNN rnn = RNN.builder(new LSTMCell(8)).returnSequences(true).build();
 * }</pre>
 */
public abstract class RecurrentCell extends Layer {

  final int units;
  final Activation activation;
  final Activation recurrentActivation;
  final boolean useBias;
  final Initializer kernelInitializer;
  final Initializer recurrentInitializer;
  final Initializer biasInitializer;
  final Regularizer kernelRegularizer;
  final Regularizer recurrentRegularizer;
  final Regularizer biasRegularizer;
  final Constraint kernelConstraint;
  final Constraint recurrentConstraint;
  final Constraint biasConstraint;
  final double dropout;
  final double recurrentDropout;
  final Long seed;
  private final long opSeed;
  private long emissions;

  Weight kernel;
  Weight recurrentKernel;
  Weight bias;

  RecurrentCell(RecurrentBuilder<?> b, String name) {
    super(name);
    this.units = b.units;
    this.activation = b.activation;
    this.recurrentActivation = b.recurrentActivation;
    this.useBias = b.useBias;
    this.kernelInitializer = b.kernelInitializer;
    this.recurrentInitializer = b.recurrentInitializer;
    this.biasInitializer = b.biasInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.recurrentRegularizer = b.recurrentRegularizer;
    this.biasRegularizer = b.biasRegularizer;
    this.kernelConstraint = b.kernelConstraint;
    this.recurrentConstraint = b.recurrentConstraint;
    this.biasConstraint = b.biasConstraint;
    this.dropout = b.dropout;
    this.recurrentDropout = b.recurrentDropout;
    this.seed = b.seed;
    this.opSeed = b.seed != null ? b.seed : GlobalSeed.nextOpSeed();
    setInputSpec(InputSpec.minRank(2));
  }

  /** The size of the output and of each state. */
  public int units() {
    return units;
  }

  /** The size of each state the cell carries ({@code [units]}; LSTM: {@code [units, units]}). */
  public abstract List<Integer> stateSizes();

  /** The number of gate blocks in the kernels (SimpleRNN 1, GRU 3, LSTM 4). */
  abstract int gates();

  /** The input kernel, or null before the cell is built. */
  public Weight kernel() {
    return kernel;
  }

  /** The recurrent kernel, or null before the cell is built. */
  public Weight recurrentKernel() {
    return recurrentKernel;
  }

  /** The bias, or null before the cell is built or without {@code use_bias}. */
  public Weight bias() {
    return bias;
  }

  /** The dropout rate of the inputs. */
  public double dropout() {
    return dropout;
  }

  /** The dropout rate of the recurrent state. */
  public double recurrentDropout() {
    return recurrentDropout;
  }

  // ---- build --------------------------------------------------------------------------------

  @Override
  protected void build(Shape inputShape) {
    long inputDim = inputShape.size(inputShape.numDimensions() - 1);
    if (inputDim < 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + "): the last axis of the input must be known, got "
              + KerasShape.format(inputShape));
    }
    int g = gates();
    kernel =
        addWeight(
            "kernel",
            Shape.of(inputDim, (long) g * units),
            kernelInitializer,
            kernelRegularizer,
            kernelConstraint,
            true);
    recurrentKernel =
        addWeight(
            "recurrent_kernel",
            Shape.of(units, (long) g * units),
            recurrentInitializer,
            recurrentRegularizer,
            recurrentConstraint,
            true);
    if (useBias) {
      bias =
          addWeight(
              "bias", biasShape(), buildBiasInitializer(), biasRegularizer, biasConstraint, true);
    }
  }

  /** Builds from the first input (the step input); the others are states. */
  @Override
  protected void build(List<Shape> inputShapes) {
    build(inputShapes.get(0));
  }

  /** The bias shape: {@code (gates * units,)}. */
  Shape biasShape() {
    return Shape.of((long) gates() * units);
  }

  /** The initializer the bias is built with (LSTM's unit_forget_bias changes it). */
  Initializer buildBiasInitializer() {
    return biasInitializer;
  }

  /** Keras's cells take {@code training} (for their dropout). */
  @Override
  public boolean callTakesTraining() {
    return true;
  }

  // ---- one step ------------------------------------------------------------------------------

  /**
   * The dropout masks of one RNN call: {@code input} and {@code recurrent} hold one mask per gate,
   * one shared mask, or are null (no dropout).
   */
  record StepDropout(List<Operand<TFloat32>> input, List<Operand<TFloat32>> recurrent) {
    static final StepDropout NONE = new StepDropout(null, null);
  }

  /** One step's output and new states. */
  record Step(Operand<TFloat32> output, List<Operand<TFloat32>> states) {}

  /** Emits one step on {@code x} {@code (batch, input_dim)} from {@code states}. */
  abstract Step step(
      Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states, StepDropout dropout);

  /** How many independent masks a dropout draws: one per gate, or one shared. */
  int dropoutMaskCount() {
    return 1;
  }

  /** Whether a dropout rate applies in training (LSTM and GRU: strictly between 0 and 1). */
  boolean applies(double rate) {
    return rate > 0 && rate < 1;
  }

  /**
   * Draws this call's dropout masks, shaped like {@code x} (the first step's input) and {@code
   * state} (the first state); none outside training.
   */
  StepDropout dropoutMasks(Ops tf, Operand<TFloat32> x, Operand<TFloat32> state, boolean training) {
    if (!training) {
      return StepDropout.NONE;
    }
    List<Operand<TFloat32>> in = applies(dropout) ? masks(tf, x, dropout) : null;
    List<Operand<TFloat32>> rec =
        applies(recurrentDropout) ? masks(tf, state, recurrentDropout) : null;
    return new StepDropout(in, rec);
  }

  private List<Operand<TFloat32>> masks(Ops tf, Operand<TFloat32> like, double rate) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < dropoutMaskCount(); i++) {
      // seed2 differs per mask and per emission, and is never 0 ("unseeded" to TensorFlow).
      Operand<TFloat32> u =
          tf.random.randomUniform(
              tf.shape(tf.stopGradient(like)),
              TFloat32.class,
              RandomUniform.seed(opSeed),
              RandomUniform.seed2(++emissions));
      // Kept with probability 1 - rate, scaled by 1 / (1 - rate); rate 1 keeps nothing.
      Operand<TFloat32> keep =
          tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
      out.add(
          rate >= 1
              ? tf.zerosLike(keep)
              : tf.math.mul(keep, tf.constant((float) (1 / (1 - rate)))));
    }
    return out;
  }

  /**
   * {@code x} times {@code kernel} as {@code gates} blocks of {@code units} columns: one product
   * when {@code x} has one dropout mask or none, one product per gate when each gate has its own.
   */
  List<Operand<TFloat32>> project(
      Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> masks, Operand<TFloat32> kernel, int n) {
    if (masks == null || masks.size() == 1) {
      Operand<TFloat32> in = masks == null ? x : tf.math.mul(x, masks.get(0));
      return split(tf, tf.linalg.matMul(in, kernel), n, 1);
    }
    List<Operand<TFloat32>> blocks = split(tf, kernel, n, 1);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(tf.linalg.matMul(tf.math.mul(x, masks.get(i)), blocks.get(i)));
    }
    return out;
  }

  /** {@code x} cut into {@code n} equal blocks along {@code axis}. */
  static List<Operand<TFloat32>> split(Ops tf, Operand<TFloat32> x, int n, int axis) {
    if (n == 1) {
      return List.of(x);
    }
    List<Operand<TFloat32>> out = new ArrayList<>();
    tf.split(tf.constant(axis), x, (long) n).forEach(out::add);
    return out;
  }

  // ---- as a layer ----------------------------------------------------------------------------

  /** Inputs {@code [x, state...]}; outputs {@code [output, new state...]}. */
  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    List<Integer> sizes = stateSizes();
    if (inputs.size() != 1 + sizes.size()) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + ") takes the step input and "
              + sizes.size()
              + " state(s), got "
              + inputs.size()
              + " input(s)");
    }
    @SuppressWarnings("unchecked")
    Operand<TFloat32> x = (Operand<TFloat32>) inputs.get(0);
    List<Operand<TFloat32>> states = new ArrayList<>();
    for (Operand<?> s : inputs.subList(1, inputs.size())) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> f = (Operand<TFloat32>) s;
      states.add(f);
    }
    Step s = step(tf, x, states, dropoutMasks(tf, x, states.get(0), training));
    List<Operand<?>> out = new ArrayList<>();
    out.add(s.output());
    out.addAll(s.states());
    return out;
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    long batch = inputShapes.get(0).size(0);
    List<Shape> out = new ArrayList<>();
    out.add(Shape.of(batch, units));
    for (int size : stateSizes()) {
      out.add(Shape.of(batch, size));
    }
    return out;
  }

  // ---- config --------------------------------------------------------------------------------

  /** The options every cell reads from its Keras config, onto {@code b}. */
  static <B extends RecurrentBuilder<B>> B readCommon(ConfigReader c, B b, boolean recurrent) {
    b.name(c.name());
    b.activation(c.activation("activation"));
    if (recurrent) {
      b.recurrentActivation = c.activation("recurrent_activation");
    }
    b.useBias(c.bool("use_bias", true));
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.recurrentInitializer(c.initializer("recurrent_initializer", "orthogonal"));
    b.biasInitializer(c.initializer("bias_initializer", "zeros"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.recurrentRegularizer(c.regularizer("recurrent_regularizer"));
    b.biasRegularizer(c.regularizer("bias_regularizer"));
    b.kernelConstraint(c.constraint("kernel_constraint"));
    b.recurrentConstraint(c.constraint("recurrent_constraint"));
    b.biasConstraint(c.constraint("bias_constraint"));
    b.dropout(c.number("dropout", 0));
    b.recurrentDropout(c.number("recurrent_dropout", 0));
    b.seed(c.optionalLong("seed"));
    c.ignore("implementation");
    c.requireFloat32Dtype();
    return b;
  }

  /** Whether the cell has a {@code recurrent_activation} (LSTM and GRU). */
  boolean hasRecurrentActivation() {
    return true;
  }

  /** The cell's own keys beyond the shared ones (unit_forget_bias, reset_after). */
  void putOwnOptions(Map<String, Object> config) {}

  /**
   * Writes the cell's arguments into {@code config}, in Keras's order: the cell's own config, or
   * (with {@code layerActivity} set) the arguments of the RNN layer that wraps it, which also name
   * the layer's activity regularizer.
   */
  void putOptions(Map<String, Object> config, boolean asLayer, Regularizer layerActivity) {
    config.put("units", units);
    config.put("activation", activation.name());
    if (hasRecurrentActivation()) {
      config.put("recurrent_activation", recurrentActivation.name());
    }
    config.put("use_bias", useBias);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put(
        "recurrent_initializer",
        KerasObjects.serialize("keras.initializers", recurrentInitializer));
    config.put("bias_initializer", KerasObjects.serialize("keras.initializers", biasInitializer));
    putOwnOptions(config);
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put(
        "recurrent_regularizer",
        KerasObjects.serialize("keras.regularizers", recurrentRegularizer));
    config.put("bias_regularizer", KerasObjects.serialize("keras.regularizers", biasRegularizer));
    if (asLayer) {
      config.put(
          "activity_regularizer", KerasObjects.serialize("keras.regularizers", layerActivity));
    }
    config.put("kernel_constraint", KerasObjects.serialize("keras.constraints", kernelConstraint));
    config.put(
        "recurrent_constraint", KerasObjects.serialize("keras.constraints", recurrentConstraint));
    config.put("bias_constraint", KerasObjects.serialize("keras.constraints", biasConstraint));
    config.put("dropout", dropout);
    config.put("recurrent_dropout", recurrentDropout);
    config.put("seed", seed);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    putOptions(config, false, null);
    return config;
  }
}
