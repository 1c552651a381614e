package io.jkeras.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jkeras.activations.Reference.RowFunction;
import io.jkeras.testing.PythonKeras;
import io.jkeras.testing.TfEval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class ActivationsTest {

  /** Every canonical Keras name this package implements, with its double reference. */
  static Stream<Arguments> references() {
    return Stream.of(
        el("linear", x -> x),
        el("relu", x -> Math.max(x, 0)),
        el("relu6", x -> Math.min(Math.max(x, 0), 6)),
        el("leaky_relu", x -> x >= 0 ? x : 0.2 * x),
        el("elu", x -> x > 0 ? x : Math.expm1(x)),
        el(
            "selu",
            x ->
                x > 0
                    ? Reference.SELU_SCALE * x
                    : Reference.SELU_SCALE * Reference.SELU_ALPHA * Math.expm1(x)),
        el("celu", x -> Math.max(x, 0) + Math.expm1(Math.min(x, 0))),
        el("softplus", Reference::softplus),
        el("softsign", x -> x / (1 + Math.abs(x))),
        el("silu", x -> x * Reference.sigmoid(x)),
        el("gelu", Reference::gelu),
        el("tanh", Math::tanh),
        el("sigmoid", Reference::sigmoid),
        el("hard_sigmoid", Reference::hardSigmoid),
        el("hard_silu", x -> x * Reference.hardSigmoid(x)),
        el("exponential", Math::exp),
        Arguments.of("softmax", Activations.get("softmax"), (RowFunction) Reference::softmax),
        Arguments.of(
            "log_softmax", Activations.get("log_softmax"), (RowFunction) Reference::logSoftmax),
        el("mish", x -> x * Math.tanh(Reference.softplus(x))),
        el("log_sigmoid", x -> -Reference.softplus(-x)),
        el("hard_tanh", x -> Math.min(Math.max(x, -1), 1)),
        el("tanh_shrink", x -> x - Math.tanh(x)),
        el("squareplus", x -> (x + Math.sqrt(x * x + 4)) / 2),
        el("sparse_plus", x -> x <= -1 ? 0 : x < 1 ? (x + 1) * (x + 1) / 4 : x),
        el("sparse_sigmoid", x -> x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2),
        el("soft_shrink", x -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0),
        el("hard_shrink", x -> Math.abs(x) > 0.5 ? x : 0));
  }

  /** The parameterized variants built by the factories, with their references. */
  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of(
            "leakyRelu(0.3)",
            Activations.leakyRelu(0.3),
            RowFunction.elementwise(x -> x >= 0 ? x : 0.3 * x)),
        Arguments.of(
            "elu(0.5)",
            Activations.elu(0.5),
            RowFunction.elementwise(x -> x > 0 ? x : 0.5 * Math.expm1(x))),
        Arguments.of(
            "celu(2.0)",
            Activations.celu(2.0),
            RowFunction.elementwise(x -> Math.max(x, 0) + 2 * Math.expm1(Math.min(x, 0) / 2))),
        Arguments.of(
            "gelu(approximate)",
            Activations.gelu(true),
            RowFunction.elementwise(Reference::geluTanh)));
  }

  static Stream<Arguments> allActivations() {
    return Stream.concat(references(), variants());
  }

  private static Arguments el(String name, java.util.function.DoubleUnaryOperator f) {
    return Arguments.of(name, Activations.get(name), RowFunction.elementwise(f));
  }

  private static final int ROWS = 8;
  private static final int COLS = 12;

  /** Inputs with zeros, negatives, values at kinks, large magnitudes and random values. */
  private static float[] valueInputs(long seed) {
    float[] specials = {
      0f, -0f, 1f, -1f, 3f, -3f, 6f, 1e-4f, -1e-4f, 0.5f, -0.5f, 20f, -20f, 50f, -50f, 88f, -88f,
      100f, -100f, 1000f, -1000f, 1e-20f, -7.5f, 7.5f
    };
    Random random = new Random(seed);
    float[] x = new float[ROWS * COLS];
    for (int i = 0; i < x.length; i++) {
      if (i < specials.length) {
        x[i] = specials[i];
      } else if (i % 2 == 0) {
        x[i] = (float) (3 * random.nextGaussian());
      } else {
        x[i] = (float) (60 * random.nextDouble() - 30);
      }
    }
    // Shuffle so that each softmax row sees a mix of magnitudes.
    for (int i = x.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  private static double[] referenceOf(RowFunction f, double[] x, int rows, int cols) {
    double[] out = new double[x.length];
    for (int r = 0; r < rows; r++) {
      double[] row = new double[cols];
      System.arraycopy(x, r * cols, row, 0, cols);
      System.arraycopy(f.apply(row), 0, out, r * cols, cols);
    }
    return out;
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allActivations")
  void valuesMatchDoubleReference(String label, Activation activation, RowFunction reference) {
    float[] x = valueInputs(label.hashCode());
    double[] expected = referenceOf(reference, toDouble(x), ROWS, COLS);
    float[] actual;
    try (TfEval t = new TfEval()) {
      actual = t.run1(activation.apply(t.tf, t.constant(x, ROWS, COLS)));
    }
    assertEquals(x.length, actual.length);
    for (int i = 0; i < x.length; i++) {
      // squareplus keeps Keras's float32 formula, whose sum cancels for large negative x (Keras
      // gives 0.0113640 at -88 for the exact 0.0113622): an error of about half an ulp of |x|.
      double abs = label.equals("squareplus") ? 1e-6 + 6e-8 * Math.abs(x[i]) : 1e-6;
      if (!TfEval.close(actual[i], expected[i], 1e-5, abs)) {
        fail(label + "(" + x[i] + ") = " + actual[i] + ", expected " + expected[i]);
      }
    }
  }

  private static final float[] KINKS = {0f, 1f, -1f, 3f, -3f, 6f, 0.5f, -0.5f};

  /** Moderate inputs away from the activations' kinks, where finite differences are valid. */
  private static float[] gradientInputs(long seed, int n) {
    Random random = new Random(seed);
    float[] x = new float[n];
    int i = 0;
    x[i++] = 15f;
    x[i++] = -15f;
    while (i < n) {
      float v = (float) (14 * random.nextDouble() - 7);
      boolean nearKink = false;
      for (float k : KINKS) {
        nearKink |= Math.abs(v - k) < 0.01;
      }
      if (!nearKink) {
        x[i++] = v;
      }
    }
    return x;
  }

  /**
   * The gradient TF builds for {@code sum(w * f(x))} against central differences of the same sum
   * computed with the double reference.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("allActivations")
  void gradientsMatchFiniteDifferences(String label, Activation activation, RowFunction reference) {
    int rows = 3;
    int cols = 8;
    float[] x = gradientInputs(label.hashCode() * 31L, rows * cols);
    Random random = new Random(7);
    double[] w = new double[x.length];
    float[] wf = new float[x.length];
    for (int i = 0; i < w.length; i++) {
      wf[i] = (float) (2 * random.nextDouble() - 1);
      w[i] = wf[i];
    }
    float[] grad;
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> xs = t.constant(x, rows, cols);
      Operand<TFloat32> y = activation.apply(t.tf, xs);
      Operand<TFloat32> loss =
          t.tf.reduceSum(
              t.tf.math.mul(y, t.constant(wf, rows, cols)), t.tf.constant(new int[] {0, 1}));
      Operand<TFloat32> g = t.gradient(loss, xs);
      assertNotNull(g, label + " has no gradient");
      grad = t.run1(g);
    }
    double[] xd = toDouble(x);
    double h = 1e-5;
    for (int i = 0; i < x.length; i++) {
      double[] plus = xd.clone();
      double[] minus = xd.clone();
      plus[i] += h;
      minus[i] -= h;
      double fd =
          (dot(w, referenceOf(reference, plus, rows, cols))
                  - dot(w, referenceOf(reference, minus, rows, cols)))
              / (2 * h);
      if (!TfEval.close(grad[i], fd, 1e-4, 1e-5)) {
        fail("d " + label + " at x=" + x[i] + ": TF " + grad[i] + ", finite difference " + fd);
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * Every registered name and every factory variant against real Keras 3 on one grid of inputs
   * (zeros, kinks, large and tiny magnitudes), computed in one Python process.
   */
  @Test
  void valuesMatchKeras() {
    Map<String, Activation> cases = new LinkedHashMap<>();
    Map<String, String> kerasCalls = new LinkedHashMap<>();
    for (String name : Activations.names()) {
      cases.put(name, Activations.get(name));
      kerasCalls.put(name, "A.get('" + name + "')(x)");
    }
    cases.put("leaky_relu(0.3)", Activations.leakyRelu(0.3));
    kerasCalls.put("leaky_relu(0.3)", "A.leaky_relu(x, negative_slope=0.3)");
    cases.put("elu(0.5)", Activations.elu(0.5));
    kerasCalls.put("elu(0.5)", "A.elu(x, alpha=0.5)");
    cases.put("celu(2.0)", Activations.celu(2.0));
    kerasCalls.put("celu(2.0)", "A.celu(x, alpha=2.0)");
    cases.put("gelu(approximate)", Activations.gelu(true));
    kerasCalls.put("gelu(approximate)", "A.gelu(x, approximate=True)");
    float[] x = valueInputs(2026);
    StringBuilder code =
        new StringBuilder(
            "import sys, numpy as np\n"
                + "from keras import activations as A\n"
                + "x = np.array([float(v) for v in sys.argv[1].split()], dtype='float32')"
                + ".reshape("
                + ROWS
                + ", "
                + COLS
                + ")\n");
    for (Map.Entry<String, String> e : kerasCalls.entrySet()) {
      code.append("print('")
          .append(e.getKey())
          .append("', ' '.join(repr(float(v)) for v in np.asarray(")
          .append(e.getValue())
          .append(").ravel()))\n");
    }
    StringBuilder args = new StringBuilder();
    for (float v : x) {
      args.append(v).append(' ');
    }
    PythonKeras.Result r = PythonKeras.runCode(code.toString(), args.toString().trim());
    Map<String, float[]> keras = new LinkedHashMap<>();
    for (String line : r.stdout().trim().split("\n")) {
      String[] parts = line.trim().split(" ");
      float[] values = new float[parts.length - 1];
      for (int i = 1; i < parts.length; i++) {
        values[i - 1] = Float.parseFloat(parts[i].replace("inf", "Infinity"));
      }
      keras.put(parts[0], values);
    }
    assertEquals(kerasCalls.keySet(), keras.keySet(), r.stdout());
    try (TfEval t = new TfEval()) {
      for (Map.Entry<String, Activation> e : cases.entrySet()) {
        float[] actual = t.run1(e.getValue().apply(t.tf, t.constant(x, ROWS, COLS)));
        float[] expected = keras.get(e.getKey());
        assertEquals(x.length, expected.length, e.getKey());
        for (int i = 0; i < x.length; i++) {
          if (!TfEval.close(actual[i], expected[i], 1e-5, 2e-6)) {
            fail(e.getKey() + "(" + x[i] + ") = " + actual[i] + ", Keras " + expected[i]);
          }
        }
      }
    }
  }

  @Test
  void referenceErfcMatchesKnownValues() {
    // Values from a libm erfc, to check the test's own reference.
    double[][] known = {
      {0.5, 0.4795001221869535},
      {2.9, 4.109787809945886e-05},
      {3.0, 2.2090496998585438e-05},
      {3.5, 7.430983723414128e-07},
      {5.0, 1.5374597944280351e-12},
      {-1.5, 1.9661051464753108}
    };
    for (double[] k : known) {
      assertEquals(k[1], Reference.erfc(k[0]), 1e-8 * k[1], "erfc(" + k[0] + ")");
    }
  }

  @Test
  void softmaxRowsSumToOne() {
    float[] x = valueInputs(99);
    float[] y;
    try (TfEval t = new TfEval()) {
      y = t.run1(Activations.SOFTMAX.apply(t.tf, t.constant(x, ROWS, COLS)));
    }
    for (int r = 0; r < ROWS; r++) {
      double sum = 0;
      for (int c = 0; c < COLS; c++) {
        float v = y[r * COLS + c];
        assertTrue(v >= 0 && v <= 1, "softmax value out of [0, 1]: " + v);
        sum += v;
      }
      assertEquals(1.0, sum, 1e-5, "row " + r);
    }
  }

  @Test
  void sigmoidIsOneSigmoidOpOnTheLogits() {
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> logits = t.constant(new float[] {-1f, 0f, 2f}, 3);
      Operand<TFloat32> y = Activations.get("sigmoid").apply(t.tf, logits);
      GraphOperation op = (GraphOperation) y.op();
      assertEquals("Sigmoid", op.type());
      assertEquals(1, op.numInputs());
      assertEquals(logits.asOutput(), op.input(0));
    }
  }

  @Test
  void softmaxAndLogSoftmaxAreSingleOpsOnTheLogits() {
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> logits = t.constant(new float[] {-1f, 0f, 2f, 1f}, 2, 2);
      GraphOperation softmax = (GraphOperation) Activations.SOFTMAX.apply(t.tf, logits).op();
      assertEquals("Softmax", softmax.type());
      assertEquals(logits.asOutput(), softmax.input(0));
      GraphOperation logSoftmax = (GraphOperation) Activations.LOG_SOFTMAX.apply(t.tf, logits).op();
      assertEquals("LogSoftmax", logSoftmax.type());
      assertEquals(logits.asOutput(), logSoftmax.input(0));
    }
  }

  @Test
  void linearReturnsItsInput() {
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> x = t.constant(new float[] {1f}, 1);
      assertSame(x, Activations.get("linear").apply(t.tf, x));
    }
  }

  @Test
  void noneOfTheActivationsUsesSquare() {
    try (TfEval t = new TfEval()) {
      Operand<TFloat32> x = t.constant(new float[] {1f, -2f}, 2);
      List<String> types = new ArrayList<>();
      for (String name : Activations.names()) {
        Activations.get(name).apply(t.tf, x);
      }
      Activations.gelu(true).apply(t.tf, x);
      t.graph.operations().forEachRemaining(op -> types.add(op.type()));
      assertTrue(types.contains("Erf"), "sanity: the graph holds the activations' ops");
      assertTrue(!types.contains("Square"), "Square found in " + types);
    }
  }

  private static final List<String> EXPECTED_NAMES =
      List.of(
          "celu",
          "elu",
          "exponential",
          "gelu",
          "hard_shrink",
          "hard_sigmoid",
          "hard_silu",
          "hard_swish",
          "hard_tanh",
          "leaky_relu",
          "linear",
          "log_sigmoid",
          "log_softmax",
          "mish",
          "relu",
          "relu6",
          "selu",
          "sigmoid",
          "silu",
          "soft_shrink",
          "softmax",
          "softplus",
          "softsign",
          "sparse_plus",
          "sparse_sigmoid",
          "squareplus",
          "swish",
          "tanh",
          "tanh_shrink");

  @Test
  void namesAreTheKerasNamesSorted() {
    assertEquals(EXPECTED_NAMES, Activations.names());
    assertThrows(UnsupportedOperationException.class, () -> Activations.names().add("x"));
  }

  @Test
  void getReturnsActivationNamedAsRequested() {
    for (String name : EXPECTED_NAMES) {
      if (name.equals("swish") || name.equals("hard_swish")) {
        continue;
      }
      assertEquals(name, Activations.get(name).name());
      assertEquals(name, Activations.get(name).toString());
    }
  }

  @Test
  void nullMeansLinear() {
    assertSame(Activations.LINEAR, Activations.get(null));
    assertSame(Activations.LINEAR, Activations.get("linear"));
  }

  @Test
  void aliasesResolveToCanonicalNames() {
    assertSame(Activations.SILU, Activations.get("swish"));
    assertEquals("silu", Activations.get("swish").name());
    assertSame(Activations.HARD_SILU, Activations.get("hard_swish"));
    assertEquals("hard_silu", Activations.get("hard_swish").name());
  }

  @Test
  void factoriesKeepKerasNames() {
    assertEquals("leaky_relu", Activations.leakyRelu(0.1).name());
    assertEquals("elu", Activations.elu(0.5).name());
    assertEquals("celu", Activations.celu(3).name());
    assertEquals("gelu", Activations.gelu(true).name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Relu", "swish2", "", "softmax "})
  void unknownNameListsValidNames(String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Activations.get(name));
    assertTrue(e.getMessage().contains("\"" + name + "\""), e.getMessage());
    assertTrue(e.getMessage().endsWith(String.join(", ", EXPECTED_NAMES)), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"glu", "sparsemax", "threshold"})
  void kerasActivationsWithoutAnImplementationAreNamedAsSuch(String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Activations.get(name));
    assertTrue(
        e.getMessage().startsWith("Keras activation \"" + name + "\" is not supported by jkeras: "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(String.join(", ", EXPECTED_NAMES)), e.getMessage());
  }

  @Test
  void factoriesRejectInvalidArguments() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Activations.leakyRelu(Double.NaN));
    assertTrue(e.getMessage().contains("negative_slope=NaN"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Activations.elu(Double.POSITIVE_INFINITY));
    assertTrue(e.getMessage().contains("alpha=Infinity"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Activations.celu(0));
    assertTrue(e.getMessage().contains("alpha=0.0"), e.getMessage());
  }
}
