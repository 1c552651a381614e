package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.HostArray;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * SimpleRNN, LSTM, GRU (reset_after true and false), Bidirectional and TimeDistributed against
 * double-precision references written from the Keras formulas: forward values (1e-5), and
 * TensorFlow's gradients of {@code sum(coef * output)} for the input and every weight against
 * central differences of the reference, with a Keras mask (left, inner and right padding) and
 * without, forwards and backwards. Also dropout's one-mask-per-sequence rule and the errors.
 */
class RecurrentLayersTest {

  static final int BATCH = 2;
  static final int STEPS = 4;
  static final int FEATURES = 3;
  static final int UNITS = 2;

  /** Per sample and step: is the step data? Sample 0: an inner and a trailing pad; 1: leading. */
  static final boolean[][] MASK = {{true, false, true, false}, {false, true, true, true}};

  // ---- double references ---------------------------------------------------------------------

  static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** x · W for a row vector x and row-major W (rows = x.length). */
  static double[] dot(double[] x, double[] w, int cols) {
    double[] out = new double[cols];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < cols; j++) {
        out[j] += x[i] * w[i * cols + j];
      }
    }
    return out;
  }

  /** One cell step in double: states in, [output, states...] out. */
  interface RefCell {
    double[][] step(double[] x, double[][] states, List<double[]> w);

    int stateCount();
  }

  static final RefCell SIMPLE =
      new RefCell() {
        public double[][] step(double[] x, double[][] s, List<double[]> w) {
          double[] a = dot(x, w.get(0), UNITS);
          double[] r = dot(s[0], w.get(1), UNITS);
          double[] h = new double[UNITS];
          for (int j = 0; j < UNITS; j++) {
            h[j] = Math.tanh(a[j] + w.get(2)[j] + r[j]);
          }
          return new double[][] {h, h};
        }

        public int stateCount() {
          return 1;
        }
      };

  static final RefCell LSTM_REF =
      new RefCell() {
        public double[][] step(double[] x, double[][] s, List<double[]> w) {
          int u = UNITS;
          double[] z = dot(x, w.get(0), 4 * u);
          double[] r = dot(s[0], w.get(1), 4 * u);
          double[] h = new double[u];
          double[] c = new double[u];
          for (int j = 0; j < u; j++) {
            double i = sigmoid(z[j] + r[j] + w.get(2)[j]);
            double f = sigmoid(z[u + j] + r[u + j] + w.get(2)[u + j]);
            double g = Math.tanh(z[2 * u + j] + r[2 * u + j] + w.get(2)[2 * u + j]);
            double o = sigmoid(z[3 * u + j] + r[3 * u + j] + w.get(2)[3 * u + j]);
            c[j] = f * s[1][j] + i * g;
            h[j] = o * Math.tanh(c[j]);
          }
          return new double[][] {h, h, c};
        }

        public int stateCount() {
          return 2;
        }
      };

  static RefCell gru(boolean resetAfter) {
    return new RefCell() {
      public double[][] step(double[] x, double[][] s, List<double[]> w) {
        int u = UNITS;
        double[] hp = s[0];
        double[] b = w.get(2);
        double[] xk = dot(x, w.get(0), 3 * u);
        double[] hr = dot(hp, w.get(1), 3 * u);
        double[] h = new double[u];
        double[] z = new double[u];
        double[] r = new double[u];
        for (int j = 0; j < u; j++) {
          double rbz = resetAfter ? b[3 * u + j] : 0;
          double rbr = resetAfter ? b[4 * u + j] : 0;
          z[j] = sigmoid(xk[j] + b[j] + hr[j] + rbz);
          r[j] = sigmoid(xk[u + j] + b[u + j] + hr[u + j] + rbr);
        }
        double[] rh = new double[u];
        for (int j = 0; j < u; j++) {
          rh[j] = r[j] * hp[j];
        }
        // (r * h) times the h block of the recurrent kernel, for reset_after=False.
        double[] rhBlock = new double[u];
        for (int i = 0; i < u; i++) {
          for (int j = 0; j < u; j++) {
            rhBlock[j] += rh[i] * w.get(1)[i * 3 * u + 2 * u + j];
          }
        }
        for (int j = 0; j < u; j++) {
          double cand = resetAfter ? r[j] * (hr[2 * u + j] + b[5 * u + j]) : rhBlock[j];
          double hh = Math.tanh(xk[2 * u + j] + b[2 * u + j] + cand);
          h[j] = z[j] * hp[j] + (1 - z[j]) * hh;
        }
        return new double[][] {h, h};
      }

      public int stateCount() {
        return 1;
      }
    };
  }

  /**
   * The RNN in double, with Keras's mask rule (a masked step keeps the states and repeats the last
   * output; zeros before any) and go_backwards (the sequence read and returned reversed).
   */
  static double[] rnnRef(
      RefCell cell,
      double[] x,
      List<double[]> w,
      boolean[][] mask,
      boolean backwards,
      boolean sequences) {
    List<Double> out = new ArrayList<>();
    for (int n = 0; n < BATCH; n++) {
      double[][] states = new double[cell.stateCount()][UNITS];
      double[] last = new double[UNITS];
      for (int k = 0; k < STEPS; k++) {
        int t = backwards ? STEPS - 1 - k : k;
        double[] xt =
            Arrays.copyOfRange(x, (n * STEPS + t) * FEATURES, (n * STEPS + t + 1) * FEATURES);
        if (mask == null || mask[n][t]) {
          double[][] r = cell.step(xt, states, w);
          last = r[0];
          states = Arrays.copyOfRange(r, 1, r.length);
        }
        if (sequences) {
          for (double v : last) {
            out.add(v);
          }
        }
      }
      if (!sequences) {
        for (double v : last) {
          out.add(v);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  // ---- the TensorFlow side -------------------------------------------------------------------

  /** One layer on a fed input (and optionally a constant Keras mask), with gradients. */
  static final class Run implements AutoCloseable {
    final GraphSession g = GraphSession.create();
    final Placeholder<TFloat32> x;
    final Placeholder<TFloat32> coef;
    final Operand<TFloat32> y;
    final Output<?>[] grads;
    final List<Weight> weights;

    @SuppressWarnings("unchecked")
    Run(Layer layer, boolean[][] mask, boolean training) {
      Ops tf = g.tf();
      x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(BATCH, STEPS, FEATURES)));
      ForwardPass pass = new ForwardPass(g, training);
      if (mask != null) {
        boolean[] flat = new boolean[BATCH * STEPS];
        for (int n = 0; n < BATCH; n++) {
          System.arraycopy(mask[n], 0, flat, n * STEPS, STEPS);
        }
        Operand<TBool> m = tf.constant(Shape.of(BATCH, STEPS), DataBuffers.of(flat, true, false));
        pass.setMask(x, m);
      }
      y = (Operand<TFloat32>) layer.apply(pass, List.of(x)).get(0);
      coef = tf.placeholder(TFloat32.class, Placeholder.shape(y.shape()));
      int[] axes = new int[y.shape().numDimensions()];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = i;
      }
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(coef, y), tf.constant(axes));
      weights = layer.weights();
      Output<?>[] wrt = new Output<?>[weights.size() + 1];
      wrt[0] = x.asOutput();
      for (int i = 0; i < weights.size(); i++) {
        wrt[i + 1] = weights.get(i).value().asOutput();
      }
      grads = g.graph().addGradients(loss.asOutput(), wrt);
    }

    /** The output, then the gradients (input first, then each weight). */
    List<float[]> run(float[] xs, float[] coefs) {
      try (TFloat32 xt =
              TFloat32.tensorOf(Shape.of(BATCH, STEPS, FEATURES), DataBuffers.of(xs, true, false));
          TFloat32 ct = TFloat32.tensorOf(y.shape(), DataBuffers.of(coefs, true, false))) {
        Session.Runner r = g.session().runner().feed(x, xt).feed(coef, ct).fetch(y);
        for (Output<?> o : grads) {
          r.fetch(o);
        }
        List<float[]> out = new ArrayList<>();
        try (Result res = r.run()) {
          for (int i = 0; i <= grads.length; i++) {
            TFloat32 t = (TFloat32) res.get(i);
            float[] v = new float[(int) t.size()];
            t.copyTo(DataBuffers.of(v, false, false));
            out.add(v);
          }
        }
        return out;
      }
    }

    @Override
    public void close() {
      g.close();
    }
  }

  /**
   * Checks {@code layer} (built on (BATCH, STEPS, FEATURES), random weights) against {@code ref}:
   * forward within 1e-5, gradients of the input and of every weight against central differences.
   */
  static void check(String what, Layer layer, boolean[][] mask, RefFunction ref) {
    Random rnd = new Random(what.hashCode());
    try (Run run = new Run(layer, mask, false)) {
      List<double[]> w = new ArrayList<>();
      for (Weight weight : run.weights) {
        float[] v = uniform(rnd, (int) weight.size(), -0.8, 0.8);
        weight.assign(v);
        w.add(toDouble(v));
      }
      float[] xs = uniform(rnd, BATCH * STEPS * FEATURES, -1, 1);
      double[] x = toDouble(xs);
      double[] expected = ref.apply(x, w);
      float[] coefs = uniform(rnd, expected.length, -1, 1);
      List<float[]> got = run.run(xs, coefs);
      assertClose(what + " forward", expected, got.get(0), 0, 1e-5);
      double[] c = toDouble(coefs);
      assertClose(
          what + " d/dx",
          centralDifferences(x, p -> weighted(ref.apply(p, w), c), 1e-6),
          got.get(1),
          1e-3,
          1e-4);
      for (int i = 0; i < w.size(); i++) {
        int k = i;
        double[] wk = w.get(k);
        assertClose(
            what + " d/d" + run.weights.get(k).name(),
            centralDifferences(
                wk,
                p -> {
                  List<double[]> ws = new ArrayList<>(w);
                  ws.set(k, p);
                  return weighted(ref.apply(x, ws), c);
                },
                1e-6),
            got.get(2 + k),
            1e-3,
            1e-4);
      }
    }
  }

  interface RefFunction {
    double[] apply(double[] x, List<double[]> weights);
  }

  static double weighted(double[] y, double[] c) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * c[i];
    }
    return s;
  }

  // ---- the checks ----------------------------------------------------------------------------

  @Test
  void simpleRnnLstmAndGruMatchTheirFormulasAndGradientsWithAndWithoutMasks() {
    for (boolean[][] mask : new boolean[][][] {null, MASK}) {
      for (boolean backwards : new boolean[] {false, true}) {
        for (boolean sequences : new boolean[] {false, true}) {
          String how =
              (mask == null ? "" : "masked ")
                  + (backwards ? "backwards " : "")
                  + (sequences ? "sequences" : "last");
          check(
              "SimpleRNN " + how,
              SimpleRNN.builder(UNITS).goBackwards(backwards).returnSequences(sequences).build(),
              mask,
              (x, w) -> rnnRef(SIMPLE, x, w, mask, backwards, sequences));
          check(
              "LSTM " + how,
              LSTM.builder(UNITS).goBackwards(backwards).returnSequences(sequences).build(),
              mask,
              (x, w) -> rnnRef(LSTM_REF, x, w, mask, backwards, sequences));
          for (boolean resetAfter : new boolean[] {true, false}) {
            check(
                "GRU reset_after=" + resetAfter + " " + how,
                GRU.builder(UNITS)
                    .resetAfter(resetAfter)
                    .goBackwards(backwards)
                    .returnSequences(sequences)
                    .build(),
                mask,
                (x, w) -> rnnRef(gru(resetAfter), x, w, mask, backwards, sequences));
          }
        }
      }
    }
  }

  @Test
  void bidirectionalMergesForwardAndFlippedBackwardOutputsWithZerosAtMaskedSteps() {
    check(
        "Bidirectional(SimpleRNN, concat)",
        new Bidirectional(SimpleRNN.builder(UNITS).returnSequences(true).build()),
        MASK,
        (x, w) -> {
          double[] f = rnnRef(SIMPLE, x, w.subList(0, 3), MASK, false, true);
          double[] b = rnnRef(SIMPLE, x, w.subList(3, 6), MASK, true, true);
          double[] out = new double[2 * f.length];
          for (int n = 0; n < BATCH; n++) {
            for (int t = 0; t < STEPS; t++) {
              for (int j = 0; j < UNITS; j++) {
                // Masked steps are zeros (zero_output_for_mask); the backward sequence flipped.
                double keep = MASK[n][t] ? 1 : 0;
                out[(n * STEPS + t) * 2 * UNITS + j] = keep * f[(n * STEPS + t) * UNITS + j];
                out[(n * STEPS + t) * 2 * UNITS + UNITS + j] =
                    keep * b[(n * STEPS + (STEPS - 1 - t)) * UNITS + j];
              }
            }
          }
          return out;
        });
    check(
        "Bidirectional(GRU, ave)",
        Bidirectional.builder(new GRU(UNITS)).mergeMode("ave").build(),
        null,
        (x, w) -> {
          double[] f = rnnRef(gru(true), x, w.subList(0, 3), null, false, false);
          double[] b = rnnRef(gru(true), x, w.subList(3, 6), null, true, false);
          double[] out = new double[f.length];
          for (int i = 0; i < f.length; i++) {
            out[i] = (f[i] + b[i]) / 2;
          }
          return out;
        });
  }

  @Test
  void timeDistributedAppliesTheLayerToEveryStep() {
    check(
        "TimeDistributed(Dense)",
        new TimeDistributed(Dense.builder(UNITS).activation("tanh").build()),
        null,
        (x, w) -> {
          double[] out = new double[BATCH * STEPS * UNITS];
          for (int s = 0; s < BATCH * STEPS; s++) {
            double[] y =
                dot(Arrays.copyOfRange(x, s * FEATURES, (s + 1) * FEATURES), w.get(0), UNITS);
            for (int j = 0; j < UNITS; j++) {
              out[s * UNITS + j] = Math.tanh(y[j] + w.get(1)[j]);
            }
          }
          return out;
        });
  }

  @Test
  void dropoutUsesOneMaskPerSequenceInTrainingOnly() {
    // A linear SimpleRNN with an identity-like kernel and zero recurrence shows the input mask:
    // every step of a sample loses the same features.
    SimpleRNN layer =
        SimpleRNN.builder(FEATURES)
            .activation("linear")
            .useBias(false)
            .returnSequences(true)
            .dropout(0.5)
            .seed(3L)
            .build();
    float[] xs = new float[BATCH * STEPS * FEATURES];
    Arrays.fill(xs, 1f);
    float[] eye = new float[FEATURES * FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      eye[i * FEATURES + i] = 1;
    }
    for (boolean training : new boolean[] {true, false}) {
      try (Run run = new Run(layer, null, training)) {
        run.weights.get(0).assign(eye);
        run.weights.get(1).assign(new float[FEATURES * FEATURES]);
        float[] y = run.run(xs, new float[BATCH * STEPS * FEATURES]).get(0);
        for (int n = 0; n < BATCH; n++) {
          for (int t = 0; t < STEPS; t++) {
            for (int j = 0; j < FEATURES; j++) {
              float v = y[(n * STEPS + t) * FEATURES + j];
              if (training) {
                assertTrue(v == 0f || v == 2f, "kept units are scaled by 1 / (1 - 0.5): " + v);
                assertEquals(y[n * STEPS * FEATURES + j], v, "the same mask at every step");
              } else {
                assertEquals(1f, v, "no dropout outside training");
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aVariableTimeAxisIsRefusedWithAClearError() {
    Sequential s = new Sequential("variable");
    s.add(Input.of(-1, 3));
    s.add(new LSTM(2));
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> s.predict(List.of(HostArray.ofFloats(Shape.of(1, 2, 3), new float[6])), 32));
    assertTrue(e.getMessage().contains("time axis known when the model is built"), e.getMessage());
  }

  /** Keras: the states are untracked variables, outside weights, counts and weight files. */
  @Test
  void statefulComesFromTheConfigAndItsStatesAreNotWeights() {
    LSTM lstm = LSTM.fromConfig(Map.of("units", 2, "stateful", true, "name", "lstm"));
    assertTrue(lstm.stateful());
    assertEquals(true, lstm.getConfig().get("stateful"));
    assertEquals(false, new GRU(2).getConfig().get("stateful"));
    Sequential s = new Sequential("m");
    s.add(Input.withBatchShape(Shape.of(2, 3, 4), "float32", "x"));
    s.add(lstm);
    float[] c;
    try (Model m = s) {
      assertEquals(4 * 2 * (4 + 2 + 1), m.countParams()); // as Keras counts them
      assertEquals(
          List.of("kernel", "recurrent_kernel", "bias"),
          m.weights().stream().map(Weight::name).toList());
      assertEquals(List.of(Shape.of(2, 2), Shape.of(2, 2)), shapes(lstm.states()));
      float[] x = new float[24];
      Arrays.fill(x, 1f);
      m.predict(List.of(HostArray.ofFloats(Shape.of(2, 3, 4), x)), 2);
      c = flat(lstm.states().get(1));
    }
    assertTrue(Math.abs(c[0]) > 1e-3, "the cell state moved: " + c[0]);
    // The model's graph is closed: the states stay with the layer, as Keras's variables do.
    assertArrayEquals(c, flat(lstm.states().get(1)));
    lstm.resetStates();
    assertArrayEquals(new float[4], flat(lstm.states().get(1)));
  }

  private static List<Shape> shapes(List<FloatNdArray> arrays) {
    return arrays.stream().map(FloatNdArray::shape).toList();
  }

  private static float[] flat(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  @Test
  void weightsAndSummaryRowsAreKerasNestedOnes() {
    Sequential s = new Sequential("m");
    s.add(Input.of(5, 3));
    s.add(new Bidirectional(LSTM.builder(4).returnSequences(true).build()));
    s.add(new GRU(3));
    try (Model m = s) {
      assertEquals(256 + 117, m.countParams()); // as Keras counts them
      Bidirectional b = (Bidirectional) m.layers().get(0);
      assertEquals("forward_lstm", b.forwardLayer().name());
      assertEquals("backward_lstm", b.backwardLayer().name());
      assertEquals(List.of("forward_layer", "backward_layer"), List.copyOf(b.sublayers().keySet()));
      assertEquals(
          List.of("kernel", "recurrent_kernel", "bias"),
          b.forwardLayer().cell().weights().stream().map(Weight::name).toList());
      GRU gru = (GRU) m.layers().get(1);
      assertEquals(Shape.of(2, 9), gru.cell().bias().shape());
    }
  }
}
