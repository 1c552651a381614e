package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A recurrent layer that runs a {@link RecurrentCell} over the time axis, as Keras 3's {@code
 * keras.layers.RNN}; {@link SimpleRNN}, {@link LSTM} and {@link GRU} are RNNs with their cell built
 * in.
 *
 * <p>Arguments: the cell (held as the sub-layer {@code cell}, so its weights are saved under {@code
 * layers/<rnn>/cell/vars}); {@code return_sequences} (false: only the last output), {@code
 * return_state} (false: also return the final states as extra outputs), {@code go_backwards}
 * (false: read the sequence from its end, and return the outputs in that reversed order), {@code
 * zero_output_for_mask} (false: a masked step outputs the last unmasked output; true: zeros; {@link
 * Bidirectional} sets it to return_sequences), {@code unroll} (kept in the config), {@code
 * stateful} (false: see below).
 *
 * <p>Shapes: input {@code (batch, timesteps, features)}; output {@code (batch, units)}, or {@code
 * (batch, timesteps, units)} with return_sequences; then with return_state one {@code (batch,
 * size)} output per state.
 *
 * <p>Masks (from {@code Embedding(mask_zero=True)} or {@code Masking}), as Keras: at a masked step
 * the states carry over unchanged and the output is the previous step's output (zeros before any
 * unmasked step). The output keeps the input's mask with return_sequences; states have none.
 *
 * <p>Dropout and recurrent dropout of the cell apply in training only, one mask per sequence.
 *
 * <p><b>Stateful</b> ({@code stateful=True}), as Keras: sample {@code i} of a batch continues the
 * sequence of sample {@code i} of the previous batch. The batch size must then be known when the
 * layer is built ({@code Input.withBatchShape}), and the layer keeps its final states in variables
 * of shape {@code (batch, size)} (Keras's {@code rnn_state}) that start at zero and that every
 * batch starts from and overwrites: in {@code predict}, {@code evaluate} and {@code fit} alike (fit
 * never resets them; predict then runs its batches one at a time, in order). {@link #resetState()}
 * sets them back to zero. As in Keras, these variables are not weights: they are not saved, and a
 * loaded model starts from zero.
 *
 * <p><b>Implementation:</b> the layer is unrolled statically in the TensorFlow graph, one copy of
 * the cell's ops per time step (Keras's {@code unroll=True} form; the result is the same as Keras's
 * symbolic loop). Gradients then come from TensorFlow's graph gradients of ordinary ops, with no
 * While loop (whose gradients TF Java's {@code addGradients} cannot build). The limit: the time
 * dimension must be known when the model is built ({@code Input.of(timesteps, features)}); a
 * variable-length time axis ({@code None}) is refused with an error saying so, and very long
 * sequences make large graphs. Pad sequences to a fixed length and mask the padding instead.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(20, 8);
 * KerasTensor h = RNN.builder(new LSTMCell(16)).returnSequences(true).build().apply(x);
 *
 * // Stateful: batches of 8 sequences, each continuing the previous batch's.
 * KerasTensor chunk = Input.withBatchShape(Shape.of(8, 20, 3), "float32", "chunk");
 * LSTM lstm = LSTM.builder(16).stateful(true).build();
 * KerasTensor last = lstm.apply(chunk);
 * }</pre>
 */
public class RNN extends Layer {

  private final RecurrentCell cell;
  private final boolean returnSequences;
  private final boolean returnState;
  private final boolean goBackwards;
  private final boolean unroll;
  private final boolean stateful;
  private boolean zeroOutputForMask;
  private List<Weight> states = List.of();

  /** An RNN over {@code cell} with Keras's defaults. */
  public RNN(RecurrentCell cell) {
    this(builder(cell));
  }

  RNN(Builder b) {
    this(
        b.cell,
        b.name,
        b.returnSequences,
        b.returnState,
        b.goBackwards,
        b.stateful,
        b.unroll,
        b.zeroOutputForMask);
  }

  /** SimpleRNN, LSTM and GRU: an RNN over their built-in cell, with the builder's options. */
  RNN(RecurrentCell cell, RecurrentBuilder<?> b) {
    this(
        cell,
        b.name,
        b.returnSequences,
        b.returnState,
        b.goBackwards,
        b.stateful,
        b.unroll,
        b.zeroOutputForMask);
    setActivityRegularizer(b.activityRegularizer);
  }

  private RNN(
      RecurrentCell cell,
      String name,
      boolean returnSequences,
      boolean returnState,
      boolean goBackwards,
      boolean stateful,
      boolean unroll,
      boolean zeroOutputForMask) {
    super(name);
    this.cell = addLayer("cell", cell);
    this.returnSequences = returnSequences;
    this.returnState = returnState;
    this.goBackwards = goBackwards;
    this.stateful = stateful;
    this.unroll = unroll;
    this.zeroOutputForMask = zeroOutputForMask;
    setInputSpec(InputSpec.rank(3));
  }

  /** A builder for an RNN over {@code cell}. */
  public static Builder builder(RecurrentCell cell) {
    return new Builder(cell);
  }

  /** An RNN from its Keras config, the cell from its {@code cell} entry. */
  public static RNN fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("RNN", config);
    Layer cell = NestedLayerConfig.deserialize(c, "cell");
    if (!(cell instanceof RecurrentCell rc)) {
      throw c.fail(
          "cell",
          "expected a recurrent cell (SimpleRNNCell, LSTMCell, GRUCell), got " + cell.className());
    }
    Builder b = builder(rc).name(c.name());
    b.returnSequences(c.bool("return_sequences", false));
    b.returnState(c.bool("return_state", false));
    b.goBackwards(c.bool("go_backwards", false));
    b.stateful(c.bool("stateful", false));
    b.unroll(c.bool("unroll", false));
    b.zeroOutputForMask(c.bool("zero_output_for_mask", false));
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  /**
   * What the configs of SimpleRNN, LSTM and GRU hold beyond their cell's arguments: the sequence
   * options, the activity regularizer, and {@code use_cudnn} (accepted and ignored).
   */
  static void readLayerOptions(ConfigReader c, RecurrentBuilder<?> b) {
    b.returnSequences(c.bool("return_sequences", false));
    b.returnState(c.bool("return_state", false));
    b.goBackwards(c.bool("go_backwards", false));
    b.stateful(c.bool("stateful", false));
    b.unroll(c.bool("unroll", false));
    b.zeroOutputForMask(c.bool("zero_output_for_mask", false));
    c.ignore("use_cudnn");
    b.activityRegularizer(c.activityRegularizer());
  }

  /** The cell this layer runs at each step. */
  public RecurrentCell cell() {
    return cell;
  }

  /** Whether every step's output is returned. */
  public boolean returnSequences() {
    return returnSequences;
  }

  /** Whether the final states are returned too. */
  public boolean returnState() {
    return returnState;
  }

  /** Whether the sequence is read from its end. */
  public boolean goBackwards() {
    return goBackwards;
  }

  /** Whether the final states of a batch are the initial states of the next. */
  public boolean stateful() {
    return stateful;
  }

  /**
   * Sets the carried states of a stateful layer back to zero (Keras's {@code reset_state()}); does
   * nothing for a layer that is not stateful or not built yet, as Keras.
   *
   * <pre>{@code
   * model.predict(List.of(firstSequences), 2);
   * lstm.resetState(); // the next batch starts new sequences
   * }</pre>
   */
  public void resetState() {
    for (Weight s : states) {
      s.assign(new float[Math.toIntExact(s.size())]);
    }
  }

  /** Keras's compatibility alias of {@link #resetState()}. */
  public void resetStates() {
    resetState();
  }

  /**
   * The current carried states of a stateful layer, {@code (batch, size)} each in the cell's state
   * order (LSTM: h, c); empty when the layer is not stateful or not built.
   *
   * <pre>{@code
   * FloatNdArray h = lstm.states().get(0);
   * }</pre>
   */
  public List<FloatNdArray> states() {
    List<FloatNdArray> out = new ArrayList<>();
    for (Weight s : states) {
      out.add(s.numpy());
    }
    return out;
  }

  /** Whether masked steps output zeros. */
  public boolean zeroOutputForMask() {
    return zeroOutputForMask;
  }

  /** Set by {@link Bidirectional}, as Keras forces it on its two layers. */
  void setZeroOutputForMask(boolean zeroOutputForMask) {
    this.zeroOutputForMask = zeroOutputForMask;
  }

  // ---- Keras's rules -------------------------------------------------------------------------

  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Keras's {@code call} of this layer takes {@code mask}: it gets the mask the graph recorded. */
  @Override
  public boolean callTakesMask() {
    return true;
  }

  @Override
  public boolean callTakesTraining() {
    return true;
  }

  /** The output sequence keeps the input's mask (with return_sequences); states have none. */
  @Override
  protected List<Operand<TBool>> computeMasks(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, int outputCount) {
    List<Operand<TBool>> out = new ArrayList<>(Collections.nCopies(outputCount, null));
    if (returnSequences && !masks.isEmpty()) {
      out.set(0, masks.get(0));
    }
    return out;
  }

  // ---- build ---------------------------------------------------------------------------------

  @Override
  protected void build(Shape inputShape) {
    cell.ensureBuilt(Shape.of(inputShape.size(0), inputShape.size(2)));
    if (stateful) {
      long batch = inputShape.size(0);
      if (batch < 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" ("
                + className()
                + "): when using stateful=True in a RNN, the batch size must be static. Found"
                + " dynamic batch size: sequence.shape="
                + KerasShape.format(inputShape)
                + ". Give the Input a batch size (Input.withBatchShape)");
      }
      List<Weight> created = new ArrayList<>();
      List<Integer> sizes = cell.stateSizes();
      for (int i = 0; i < sizes.size(); i++) {
        created.add(
            addUntrackedVariable(
                i == 0 ? "rnn_state" : "rnn_state_" + i, Shape.of(batch, sizes.get(i))));
      }
      states = List.copyOf(created);
    }
  }

  /** A stateful layer runs on the batch size its states have (when the input's is known). */
  private void checkStatefulBatch(long actual) {
    if (states.isEmpty()) {
      return;
    }
    long expected = states.get(0).shape().size(0);
    if (actual >= 0 && actual != expected) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + "): if an RNN is stateful, the batch size of the input sequences must be the"
              + " same as the batch size of the initial state. Expected batch size: "
              + expected
              + ", received batch size: "
              + actual);
    }
  }

  /**
   * Asserts when the graph runs that a batch of {@code x} has the states' batch size: a placeholder
   * of known batch size still takes a smaller last batch, whose rows would meet the states of other
   * sequences.
   */
  private AssertThat batchCheck(Ops tf, Operand<TFloat32> x) {
    long expected = states.get(0).shape().size(0);
    Operand<TInt32> batch =
        tf.slice(
            tf.shape(tf.stopGradient(x)), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    return tf.assertThat(
        tf.math.equal(tf.squeeze(batch), tf.constant((int) expected)),
        List.of(
            tf.constant(
                // No quotes: TensorFlow prints them escaped (\").
                "Layer "
                    + name()
                    + " ("
                    + className()
                    + ") is stateful with batch size "
                    + expected
                    + ": every batch must have "
                    + expected
                    + " samples (a sample count that is a multiple of "
                    + expected
                    + ", and batch size "
                    + expected
                    + "); got a batch of"),
            batch));
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    Shape in = inputShapes.get(0);
    long batch = in.size(0);
    checkStatefulBatch(batch);
    List<Shape> out = new ArrayList<>();
    out.add(
        returnSequences ? Shape.of(batch, in.size(1), cell.units) : Shape.of(batch, cell.units));
    if (returnState) {
      for (int size : cell.stateSizes()) {
        out.add(Shape.of(batch, size));
      }
    }
    return out;
  }

  // ---- call ----------------------------------------------------------------------------------

  @Override
  protected List<Operand<?>> call(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + ") takes one input sequence; initial_state inputs are not supported by jkeras, got "
              + inputs.size()
              + " inputs");
    }
    Operand<TFloat32> x = DTypes.toFloat(tf, inputs.get(0));
    long timesteps = x.shape().size(1);
    if (timesteps <= 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + "): jkeras unrolls recurrent layers over a time axis known when the model is"
              + " built, got input shape "
              + KerasShape.format(x.shape())
              + ". Give the Input a fixed number of steps (pad the sequences and mask the"
              + " padding)");
    }
    int steps = Math.toIntExact(timesteps);
    List<Operand<TFloat32>> xs = unstack(tf, x, steps);
    Operand<TBool> mask = masks.isEmpty() ? null : masks.get(0);
    List<Operand<TFloat32>> ms = null;
    if (mask != null) {
      Operand<TFloat32> m = tf.expandDims(tf.dtypes.cast(mask, TFloat32.class), tf.constant(-1));
      ms = unstack(tf, m, steps);
    }
    if (goBackwards) {
      Collections.reverse(xs);
      if (ms != null) {
        Collections.reverse(ms);
      }
    }
    List<Operand<TFloat32>> states = new ArrayList<>();
    if (stateful) {
      checkStatefulBatch(x.shape().size(0));
      Ops checked = tf.withControlDependencies(List.of(batchCheck(tf, x)));
      for (Weight s : this.states) {
        // A copy, not the variable: the final states overwrite the variable in this same run,
        // and gradients read the initial states after that.
        states.add(checked.deepCopy(s.value()));
      }
    } else {
      for (int size : cell.stateSizes()) {
        states.add(zeros(tf, x, size));
      }
    }
    RecurrentCell.StepDropout dropout = cell.dropoutMasks(tf, xs.get(0), states.get(0), training);
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    Operand<TFloat32> last = null;
    for (int t = 0; t < steps; t++) {
      RecurrentCell.Step s = cell.step(tf, xs.get(t), states, dropout);
      Operand<TFloat32> out = s.output();
      List<Operand<TFloat32>> next = s.states();
      if (ms != null) {
        Operand<TFloat32> m = ms.get(t);
        Operand<TFloat32> kept = tf.math.sub(tf.constant(1f), m);
        // m is exactly 0 or 1, so m * new + (1 - m) * old picks one of them exactly.
        Operand<TFloat32> carried =
            last == null ? tf.math.mul(m, out) : blend(tf, m, kept, out, last);
        List<Operand<TFloat32>> blended = new ArrayList<>();
        for (int i = 0; i < next.size(); i++) {
          blended.add(blend(tf, m, kept, next.get(i), states.get(i)));
        }
        next = blended;
        last = carried;
        outputs.add(zeroOutputForMask ? tf.math.mul(m, out) : carried);
      } else {
        last = out;
        outputs.add(out);
      }
      states = next;
    }
    List<Operand<?>> result = new ArrayList<>();
    if (returnSequences) {
      result.add(tf.stack(outputs, org.tensorflow.op.core.Stack.axis(1L)));
    } else {
      result.add(zeroOutputForMask && ms != null ? outputs.get(steps - 1) : tf.identity(last));
    }
    if (returnState) {
      for (Operand<TFloat32> s : states) {
        result.add(tf.identity(s));
      }
    }
    if (stateful) {
      List<Op> assigns = new ArrayList<>();
      for (int i = 0; i < states.size(); i++) {
        assigns.add(tf.assign(this.states.get(i).value(), states.get(i)));
      }
      // Whatever reads an output also stores the final states, in predict as in fit.
      Ops afterAssign = tf.withControlDependencies(assigns);
      result.replaceAll(afterAssign::identity);
      carryStateAcrossRuns();
    }
    return result;
  }

  private static Operand<TFloat32> blend(
      Ops tf,
      Operand<TFloat32> m,
      Operand<TFloat32> kept,
      Operand<TFloat32> now,
      Operand<TFloat32> before) {
    return tf.math.add(tf.math.mul(m, now), tf.math.mul(kept, before));
  }

  /** {@code x} cut into its {@code steps} time steps (axis 1). */
  static List<Operand<TFloat32>> unstack(Ops tf, Operand<TFloat32> x, int steps) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> step : tf.unstack(x, (long) steps, Unstack.axis(1L))) {
      out.add(step);
    }
    return out;
  }

  /** A zero state {@code (batch, size)}, the batch read from {@code x} outside the gradients. */
  private static Operand<TFloat32> zeros(Ops tf, Operand<TFloat32> x, int size) {
    Operand<TInt32> batch =
        tf.slice(
            tf.shape(tf.stopGradient(x)), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> shape =
        tf.concat(List.of(batch, tf.constant(new int[] {size})), tf.constant(0));
    return tf.fill(shape, tf.constant(0f));
  }

  // ---- config --------------------------------------------------------------------------------

  /** The base keys, then return_sequences ... zero_output_for_mask, then the cell. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    putSequenceOptions(config);
    config.put("cell", LayerCatalog.entry(cell));
    return config;
  }

  /** The sequence options, in Keras's order. */
  final void putSequenceOptions(Map<String, Object> config) {
    config.put("return_sequences", returnSequences);
    config.put("return_state", returnState);
    config.put("go_backwards", goBackwards);
    config.put("stateful", stateful);
    config.put("unroll", unroll);
    config.put("zero_output_for_mask", zeroOutputForMask);
  }

  /**
   * Optional arguments of {@link RNN}, with Keras 3's defaults; the cell's own arguments are set on
   * the cell.
   */
  public static final class Builder {
    private final RecurrentCell cell;
    private String name;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean stateful;
    private boolean unroll;
    private boolean zeroOutputForMask;

    private Builder(RecurrentCell cell) {
      if (cell == null) {
        throw new IllegalArgumentException("RNN: the cell must not be null");
      }
      this.cell = cell;
    }

    /** The layer's name; automatic when not set. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Whether every step's output is returned (false: the last one). */
    public Builder returnSequences(boolean returnSequences) {
      this.returnSequences = returnSequences;
      return this;
    }

    /** Whether the final states are returned too, as extra outputs. */
    public Builder returnState(boolean returnState) {
      this.returnState = returnState;
      return this;
    }

    /** Whether the sequence is read from its end (and the outputs returned reversed). */
    public Builder goBackwards(boolean goBackwards) {
      this.goBackwards = goBackwards;
      return this;
    }

    /**
     * Whether each batch starts from the previous batch's final states (needs a known batch size;
     * see {@link RNN}).
     */
    public Builder stateful(boolean stateful) {
      this.stateful = stateful;
      return this;
    }

    /** Keras's {@code unroll}, kept in the config; jkeras always unrolls. */
    public Builder unroll(boolean unroll) {
      this.unroll = unroll;
      return this;
    }

    /** Whether masked steps output zeros instead of the last unmasked output. */
    public Builder zeroOutputForMask(boolean zeroOutputForMask) {
      this.zeroOutputForMask = zeroOutputForMask;
      return this;
    }

    /** The RNN. */
    public RNN build() {
      return new RNN(this);
    }
  }
}
