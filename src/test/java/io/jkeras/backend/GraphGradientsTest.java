package io.jkeras.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/** Gradients through GraphGradients: values against a double-precision reference, rewiring. */
class GraphGradientsTest {

  /**
   * TensorFlow Java 1.1.0 crashes the JVM on the first use of an eleventh custom gradient (checked
   * by hand with a Conv3D gradient: SIGSEGV in CustomGradFunc): jkeras refuses to register one.
   */
  @Test
  void anEleventhCustomGradientIsRefusedInsteadOfCrashingTheJvm() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        System.getProperty("os.name").startsWith("Windows"), "no custom gradients on Windows");
    try (GraphSession g = GraphSession.create()) { // registers jkeras's gradients
      IllegalStateException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class,
              () -> JkerasGradients.register("Conv3D", (tf, op, dy) -> java.util.List.of()));
      org.junit.jupiter.api.Assertions.assertTrue(
          e.getMessage().contains("Conv3D") && e.getMessage().contains("10 custom gradients"),
          e.getMessage());
    }
  }

  @Test
  void reluGradientReadsTheReluOutputAndKeepsItsValues() {
    int n = 6;
    int in = 4;
    int out = 5;
    Random r = new Random(3);
    float[][] x = new float[n][in];
    float[][] w = new float[in][out];
    float[] b = new float[out];
    float[][] c = new float[n][out];
    for (float[] row : x) {
      for (int j = 0; j < in; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    for (float[] row : w) {
      for (int j = 0; j < out; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    for (int j = 0; j < out; j++) {
      b[j] = (float) r.nextGaussian();
    }
    for (float[] row : c) {
      for (int j = 0; j < out; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    // Row 0 of x is zero and the bias of unit 0 too: a pre-activation of exactly 0, where relu's
    // gradient is 0 whether it reads the input or the output.
    java.util.Arrays.fill(x[0], 0f);
    b[0] = 0f;
    try (GraphSession g = GraphSession.create()) {
      Ops tf = g.tf();
      Operand<TFloat32> wc = tf.constant(w);
      Operand<TFloat32> bc = tf.constant(b);
      Operand<TFloat32> y = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(tf.constant(x), wc), bc));
      Operand<TFloat32> loss =
          tf.sum(tf.math.mul(y, tf.constant(c)), tf.constant(new int[] {0, 1}));
      Output<?>[] grads =
          GraphGradients.add(g, loss, new Output<?>[] {wc.asOutput(), bc.asOutput()});

      int reluGrads = 0;
      java.util.Iterator<GraphOperation> ops = g.graph().operations();
      while (ops.hasNext()) {
        GraphOperation op = ops.next();
        if (op.type().equals("ReluGrad")) {
          reluGrads++;
          assertEquals(y.asOutput(), op.input(1), "ReluGrad should read the Relu's output");
        }
      }
      assertEquals(1, reluGrads);

      // Reference in double: dL/dpre = c where pre > 0; dW = x^T dpre, db = column sums.
      double[][] dw = new double[in][out];
      double[] db = new double[out];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < out; j++) {
          double pre = b[j];
          for (int k = 0; k < in; k++) {
            pre += (double) x[i][k] * w[k][j];
          }
          double d = pre > 0 ? c[i][j] : 0;
          db[j] += d;
          for (int k = 0; k < in; k++) {
            dw[k][j] += x[i][k] * d;
          }
        }
      }
      try (Result res = g.session().runner().fetch(grads[0]).fetch(grads[1]).run()) {
        TFloat32 gw = (TFloat32) res.get(0);
        TFloat32 gb = (TFloat32) res.get(1);
        double worst = 0;
        for (int k = 0; k < in; k++) {
          for (int j = 0; j < out; j++) {
            worst = Math.max(worst, Math.abs(gw.getFloat(k, j) - dw[k][j]));
          }
        }
        for (int j = 0; j < out; j++) {
          worst = Math.max(worst, Math.abs(gb.getFloat(j) - db[j]));
        }
        assertTrue(worst < 1e-4, "largest gradient error " + worst);
      }
    }
  }

  @Test
  void convolutionFilterGradientRunsOneDnnsKernelWithTheSameValues() {
    // x (n, 1, steps, c) * w (1, k, c, f), VALID: dL/dw[0, t, i, o] = sum_{b, s} x[b, 0, s + t, i]
    // * c[b, 0, s, o] for L = sum(conv * c).
    int n = 3;
    int steps = 7;
    int ch = 4;
    int k = 3;
    int f = 5;
    int out = steps - k + 1;
    ConvCase d = new ConvCase(new Random(5), n, steps, ch, k, f, out);
    float[][][][] x = d.x;
    float[][][][] c = d.c;
    try (GraphSession g = GraphSession.create()) {
      Ops tf = g.tf();
      Operand<TFloat32> wc = tf.constant(d.w);
      Output<?>[] grads =
          GraphGradients.add(
              g, d.loss(tf, tf.constant(x), wc, 1, "VALID"), new Output<?>[] {wc.asOutput()});
      String expectedType =
          System.getProperty("os.arch").equals("amd64")
                  && System.getProperty("os.name").equals("Linux")
              ? "_MklNativeConv2DBackpropFilter"
              : "Conv2DBackpropFilter";
      assertEquals(expectedType, grads[0].op().type());
      try (Result res = g.session().runner().fetch(grads[0]).run()) {
        TFloat32 gw = (TFloat32) res.get(0);
        double worst = 0;
        for (int t = 0; t < k; t++) {
          for (int i = 0; i < ch; i++) {
            for (int o = 0; o < f; o++) {
              double sum = 0;
              for (int b = 0; b < n; b++) {
                for (int s = 0; s < out; s++) {
                  sum += (double) x[b][0][s + t][i] * c[b][0][s][o];
                }
              }
              worst = Math.max(worst, Math.abs(gw.getFloat(0, t, i, o) - sum));
            }
          }
        }
        assertTrue(worst < 1e-4, "largest filter gradient error " + worst);
      }
    }
  }

  @Test
  void matMulsOfTheTrainingStepRunOneDnnsKernelWithTheSameValues() {
    // L = sum((x W) * c) + sum((x (V^T)^T) * d) + sum((u P) * e), x (n, deep), u (n, shallow):
    // dL/dW = x^T c, dL/dV = d^T x, dL/dP = u^T e (the transposed-A products TensorFlow adds),
    // dL/dx
    // = c W^T + d V. The two products over `deep` inputs run oneDNN's kernel forward too, the one
    // over `shallow` inputs keeps TensorFlow's.
    int n = 37;
    int deep = (int) GraphGradients.ONEDNN_FORWARD_MIN_DEPTH;
    int shallow = 23;
    int out = 11;
    Random r = new Random(11);
    float[][] x = gaussian(r, n, deep);
    float[][] w = gaussian(r, deep, out);
    float[][] v = gaussian(r, out, deep);
    float[][] u = gaussian(r, n, shallow);
    float[][] p = gaussian(r, shallow, out);
    float[][] c = gaussian(r, n, out);
    float[][] d = gaussian(r, n, out);
    float[][] e = gaussian(r, n, out);
    try (GraphSession g = GraphSession.create()) {
      Ops tf = g.tf();
      Operand<TFloat32> xc = tf.constant(x);
      Operand<TFloat32> wc = tf.constant(w);
      Operand<TFloat32> vc = tf.constant(v);
      Operand<TFloat32> pc = tf.constant(p);
      Operand<TFloat32> xw = tf.math.mul(tf.linalg.matMul(xc, wc), tf.constant(c));
      Operand<TFloat32> xv =
          tf.math.mul(tf.linalg.matMul(xc, vc, MatMul.transposeB(true)), tf.constant(d));
      Operand<TFloat32> up = tf.math.mul(tf.linalg.matMul(tf.constant(u), pc), tf.constant(e));
      Operand<TFloat32> loss =
          tf.sum(tf.math.add(tf.math.add(xw, xv), up), tf.constant(new int[] {0, 1}));
      Output<?>[] grads =
          GraphGradients.add(
              g,
              loss,
              new Output<?>[] {wc.asOutput(), vc.asOutput(), pc.asOutput(), xc.asOutput()});
      boolean cpuBuild =
          System.getProperty("os.arch").equals("amd64")
              && System.getProperty("os.name").equals("Linux");
      String oneDnn = cpuBuild ? "_MklMatMul" : "MatMul";
      assertEquals(oneDnn, grads[0].op().type());
      assertEquals(oneDnn, grads[1].op().type());
      assertEquals(oneDnn, grads[2].op().type());
      assertEquals(oneDnn, ((GraphOperation) xw.op()).input(0).op().type());
      assertEquals(oneDnn, ((GraphOperation) xv.op()).input(0).op().type());
      assertEquals("MatMul", ((GraphOperation) up.op()).input(0).op().type());
      try (Result res =
          g.session()
              .runner()
              .fetch(loss)
              .fetch(grads[0])
              .fetch(grads[1])
              .fetch(grads[2])
              .fetch(grads[3])
              .run()) {
        double expectedLoss = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < out; j++) {
            double sw = 0;
            double sv = 0;
            double sp = 0;
            for (int k = 0; k < deep; k++) {
              sw += (double) x[i][k] * w[k][j];
              sv += (double) x[i][k] * v[j][k];
            }
            for (int k = 0; k < shallow; k++) {
              sp += (double) u[i][k] * p[k][j];
            }
            expectedLoss += sw * c[i][j] + sv * d[i][j] + sp * e[i][j];
          }
        }
        float got = ((TFloat32) res.get(0)).getFloat();
        assertEquals(expectedLoss, got, 1e-5 * Math.abs(expectedLoss) + 1e-2, "loss");
        TFloat32 gw = (TFloat32) res.get(1);
        TFloat32 gv = (TFloat32) res.get(2);
        TFloat32 gp = (TFloat32) res.get(3);
        TFloat32 gx = (TFloat32) res.get(4);
        double worst = 0;
        for (int j = 0; j < out; j++) {
          for (int k = 0; k < deep; k++) {
            double sw = 0;
            double sv = 0;
            for (int i = 0; i < n; i++) {
              sw += (double) x[i][k] * c[i][j];
              sv += (double) d[i][j] * x[i][k];
            }
            worst = Math.max(worst, Math.abs(gw.getFloat(k, j) - sw));
            worst = Math.max(worst, Math.abs(gv.getFloat(j, k) - sv));
          }
          for (int k = 0; k < shallow; k++) {
            double sp = 0;
            for (int i = 0; i < n; i++) {
              sp += (double) u[i][k] * e[i][j];
            }
            worst = Math.max(worst, Math.abs(gp.getFloat(k, j) - sp));
          }
        }
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < deep; k++) {
            double s = 0;
            for (int j = 0; j < out; j++) {
              s += (double) c[i][j] * w[k][j] + (double) d[i][j] * v[j][k];
            }
            worst = Math.max(worst, Math.abs(gx.getFloat(i, k) - s));
          }
        }
        assertTrue(worst < 1e-4, "largest gradient error " + worst);
      }
    }
  }

  private static float[][] gaussian(Random r, int rows, int cols) {
    float[][] a = new float[rows][cols];
    for (float[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return a;
  }

  @Test
  void biasGradientIsASumWithTheSameValues() {
    // L = sum(biasAdd(x, b) * c) for x (n, t, f): dL/db[o] = sum_{i, s} c[i, s, o].
    int n = 4;
    int t = 3;
    int f = 5;
    Random r = new Random(7);
    float[][][] x = new float[n][t][f];
    float[][][] c = new float[n][t][f];
    float[] b = new float[f];
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < t; s++) {
        for (int o = 0; o < f; o++) {
          x[i][s][o] = (float) r.nextGaussian();
          c[i][s][o] = (float) r.nextGaussian();
        }
      }
    }
    try (GraphSession g = GraphSession.create()) {
      Ops tf = g.tf();
      Operand<TFloat32> bc = tf.constant(b);
      // Read through an Identity, as layers read their variables: the gradient comes back as an
      // Identity of the bias gradient.
      Operand<TFloat32> y = tf.nn.biasAdd(tf.constant(x), tf.identity(bc));
      Operand<TFloat32> loss =
          tf.sum(tf.math.mul(y, tf.constant(c)), tf.constant(new int[] {0, 1, 2}));
      Output<?>[] grads = GraphGradients.add(g, loss, new Output<?>[] {bc.asOutput()});
      GraphOperation producer = (GraphOperation) grads[0].op();
      while (producer.type().equals("Identity")) {
        producer = (GraphOperation) producer.input(0).op();
      }
      boolean cpuBuild =
          System.getProperty("os.arch").equals("amd64")
              && System.getProperty("os.name").equals("Linux");
      assertEquals(cpuBuild ? "Sum" : "BiasAddGrad", producer.type());
      try (Result res = g.session().runner().fetch(grads[0]).run()) {
        TFloat32 gb = (TFloat32) res.get(0);
        for (int o = 0; o < f; o++) {
          double sum = 0;
          for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
              sum += c[i][s][o];
            }
          }
          assertEquals(sum, gb.getFloat(o), 1e-5, "bias " + o);
        }
      }
    }
  }

  @Test
  void oneDimensionalConvolutionInputGradientIsAMatMulWithTheSameValues() {
    // VALID with stride 1 (Conv1D's usual case), then SAME with stride 2 and an even kernel
    // (padding
    // split 1 left / 2 right, and positions no tap reads), then a sample count the graph does not
    // know: dL/dx[b, 0, p, i] = sum over (t, j) with t * stride + j - padLeft = p of
    // sum_o w[0, j, i, o] * c[b, 0, t, o] for L = sum(conv * c).
    checkConv1DInputGradient(3, 9, 4, 3, 5, 1, "VALID", true);
    checkConv1DInputGradient(2, 9, 3, 4, 2, 2, "SAME", true);
    checkConv1DInputGradient(4, 6, 2, 2, 3, 1, "VALID", false);
  }

  private static void checkConv1DInputGradient(
      int n, int steps, int ch, int k, int f, int stride, String padding, boolean staticBatch) {
    int out = padding.equals("VALID") ? (steps - k) / stride + 1 : (steps + stride - 1) / stride;
    int padLeft = padding.equals("VALID") ? 0 : Math.max((out - 1) * stride + k - steps, 0) / 2;
    ConvCase d = new ConvCase(new Random(11 + k), n, steps, ch, k, f, out);
    float[][][][] w = d.w;
    float[][][][] c = d.c;
    try (GraphSession g = GraphSession.create()) {
      Ops tf = g.tf();
      Operand<TFloat32> xc = tf.constant(d.x);
      Operand<TFloat32> xin =
          staticBatch
              ? xc
              : tf.placeholderWithDefault(xc, org.tensorflow.ndarray.Shape.of(-1, 1, steps, ch));
      Output<?>[] grads =
          GraphGradients.add(
              g,
              d.loss(tf, xin, tf.constant(w), stride, padding),
              new Output<?>[] {xin.asOutput()});
      boolean cpuBuild =
          System.getProperty("os.arch").equals("amd64")
              && System.getProperty("os.name").equals("Linux");
      assertEquals(
          cpuBuild ? "Reshape" : "Conv2DBackpropInput",
          grads[0].op().type(),
          "the input gradient's op");
      try (Result res = g.session().runner().fetch(grads[0]).run()) {
        TFloat32 gx = (TFloat32) res.get(0);
        double worst = 0;
        for (int b = 0; b < n; b++) {
          for (int p = 0; p < steps; p++) {
            for (int i = 0; i < ch; i++) {
              double sum = 0;
              for (int t = 0; t < out; t++) {
                int j = p + padLeft - t * stride;
                if (j >= 0 && j < k) {
                  for (int o = 0; o < f; o++) {
                    sum += (double) w[0][j][i][o] * c[b][0][t][o];
                  }
                }
              }
              worst = Math.max(worst, Math.abs(gx.getFloat(b, 0, p, i) - sum));
            }
          }
        }
        assertTrue(worst < 1e-4, padding + " stride " + stride + ": largest error " + worst);
      }
    }
  }

  @Test
  void globalMaxOfReluIsTakenBeforeBiasAndReluWithTheSameValues() {
    // L = sum_{b, o} c[b, o] * max_t relu(conv(x, w)[b, 0, t, o] + bias[o]), Conv1D's op chain then
    // global max pooling. In double: with t* the step of the largest pre-activation p, dL/dw[0, j,
    // i, o] = sum_b c[b, o] [p[b, t*, o] > 0] x[b, 0, t* + j, i], dL/dbias[o] = sum_b c[b, o] [p >
    // 0]. Channel 0's bias is -100: all its steps are 0 after relu (a tie the gradient must zero).
    int n = 4;
    int steps = 9;
    int ch = 3;
    int k = 3;
    int f = 5;
    int out = steps - k + 1;
    Random r = new Random(13);
    ConvCase d = new ConvCase(r, n, steps, ch, k, f, out);
    float[] bias = new float[f];
    float[][] c = new float[n][f];
    for (int o = 0; o < f; o++) {
      bias[o] = o == 0 ? -100f : (float) r.nextGaussian();
      for (int b = 0; b < n; b++) {
        c[b][o] = (float) r.nextGaussian();
      }
    }
    try (GraphSession g = GraphSession.create()) {
      Ops tf = g.tf();
      Operand<TFloat32> wc = tf.constant(d.w);
      Operand<TFloat32> bc = tf.constant(bias);
      Operand<TFloat32> conv =
          tf.nn.conv2d(tf.constant(d.x), wc, java.util.List.of(1L, 1L, 1L, 1L), "VALID");
      Operand<TFloat32> act =
          tf.squeeze(
              tf.nn.relu(tf.nn.biasAdd(conv, tf.identity(bc))),
              org.tensorflow.op.core.Squeeze.axis(java.util.List.of(1L)));
      Operand<TFloat32> pooled = tf.max(act, tf.constant(new int[] {1}));
      Operand<TFloat32> loss =
          tf.sum(tf.math.mul(pooled, tf.constant(c)), tf.constant(new int[] {0, 1}));
      Output<?>[] grads =
          GraphGradients.add(g, loss, new Output<?>[] {wc.asOutput(), bc.asOutput()});
      java.util.Iterator<GraphOperation> ops = g.graph().operations();
      int reluGrads = 0;
      while (ops.hasNext()) {
        GraphOperation op = ops.next();
        if (op.type().equals("ReluGrad")) {
          reluGrads++;
          assertEquals(
              org.tensorflow.ndarray.Shape.of(n, f),
              op.input(0).shape(),
              "ReluGrad should run on the pooled values");
        }
      }
      assertEquals(1, reluGrads);
      double[][] dw = new double[k * ch][f];
      double[] db = new double[f];
      double lossRef = 0;
      for (int b = 0; b < n; b++) {
        for (int o = 0; o < f; o++) {
          int best = 0;
          double bestPre = Double.NEGATIVE_INFINITY;
          for (int t = 0; t < out; t++) {
            double pre = bias[o];
            for (int j = 0; j < k; j++) {
              for (int i = 0; i < ch; i++) {
                pre += (double) d.x[b][0][t + j][i] * d.w[0][j][i][o];
              }
            }
            if (pre > bestPre) {
              bestPre = pre;
              best = t;
            }
          }
          lossRef += c[b][o] * Math.max(bestPre, 0);
          if (bestPre > 0) {
            db[o] += c[b][o];
            for (int j = 0; j < k; j++) {
              for (int i = 0; i < ch; i++) {
                dw[j * ch + i][o] += c[b][o] * d.x[b][0][best + j][i];
              }
            }
          }
        }
      }
      try (Result res = g.session().runner().fetch(loss).fetch(grads[0]).fetch(grads[1]).run()) {
        assertEquals(lossRef, ((TFloat32) res.get(0)).getFloat(), 1e-4, "loss");
        TFloat32 gw = (TFloat32) res.get(1);
        TFloat32 gb = (TFloat32) res.get(2);
        double worst = 0;
        for (int o = 0; o < f; o++) {
          worst = Math.max(worst, Math.abs(gb.getFloat(o) - db[o]));
          for (int j = 0; j < k; j++) {
            for (int i = 0; i < ch; i++) {
              worst = Math.max(worst, Math.abs(gw.getFloat(0, j, i, o) - dw[j * ch + i][o]));
            }
          }
        }
        assertEquals(0f, gb.getFloat(0), "bias gradient of the channel that is 0 at every step");
        assertTrue(worst < 1e-4, "largest gradient error " + worst);
      }
    }
  }

  @Test
  void gradientsOfAMaxPooledConv1DComeFromTheMaximaWithTheSameValues() {
    // L = sum_{b, o} c[b, o] * max_t conv(x, w)[b, 0, t, o]. Small integers make every sum exact,
    // so
    // many steps tie for a maximum; TensorFlow shares dL/dmax equally among them. In double, with
    // T the steps holding the maximum: dL/dw[0, j, i, o] = sum_b sum_{t in T} c[b, o] / |T| x[b, 0,
    // t * stride + j, i], dL/dx[b, 0, t * stride + j, i] = sum_o sum_{t in T} c[b, o] / |T| w[0, j,
    // i, o]. Stride 1, then 2, then a sample count the graph does not know.
    checkMaxPooledConv1D(4, 9, 3, 3, 5, 1, true, false, -1, -1);
    checkMaxPooledConv1D(4, 12, 2, 3, 5, 2, true, false, -1, -1);
    checkMaxPooledConv1D(5, 8, 3, 2, 3, 1, false, false, -1, -1);
  }

  @Test
  void gradientsOfAMaxPooledConv1DWithEveryStepTiedKeepTheirValues() {
    // Every input row the same: all steps tie for every maximum, more than the sparse form takes,
    // so TensorFlow's gradient runs in its place.
    checkMaxPooledConv1D(4, 9, 3, 3, 5, 1, true, true, -1, -1);
  }

  @Test
  void gradientsOfAMaxPooledConv1DStayNotFiniteWhereTensorFlowsAre() {
    // TensorFlow's dense form spreads a NaN output gradient c[b, o] over every step of (b, o): all
    // of sample b's input gradient and all of channel o's filter gradient are NaN, the rest keeps
    // its values. A NaN input value makes the maxima of its sample NaN (no step equals them): that
    // sample's input gradient and every filter gradient are NaN.
    checkMaxPooledConv1D(4, 9, 3, 3, 5, 1, true, false, 2, 3);
    checkMaxPooledConv1D(4, 9, 3, 3, 5, 1, true, false, 1, -1);
  }

  private static void checkMaxPooledConv1D(
      int n,
      int steps,
      int ch,
      int k,
      int f,
      int stride,
      boolean staticBatch,
      boolean sameRows,
      int nanB,
      int nanO) {
    // sameRows: every step of a sample the same input row; nanB, nanO: the sample and channel of a
    // NaN output gradient; nanB alone: a NaN input value.
    int out = (steps - k) / stride + 1;
    Random r = new Random(17 + stride);
    float[][][][] x = new float[n][1][steps][ch];
    float[][][][] w = new float[1][k][ch][f];
    float[][] c = new float[n][f];
    for (float[][][] b : x) {
      for (float[] row : b[0]) {
        for (int i = 0; i < ch; i++) {
          row[i] = r.nextInt(3) - 1;
        }
      }
    }
    for (float[][] tap : w[0]) {
      for (float[] row : tap) {
        for (int o = 0; o < f; o++) {
          row[o] = r.nextInt(5) - 2;
        }
      }
    }
    for (float[] row : c) {
      for (int o = 0; o < f; o++) {
        row[o] = (float) r.nextGaussian();
      }
    }
    for (float[][][] b : sameRows ? x : new float[0][][][]) {
      for (float[] row : b[0]) {
        System.arraycopy(b[0][0], 0, row, 0, ch);
      }
    }
    if (nanO >= 0) {
      c[nanB][nanO] = Float.NaN;
    } else if (nanB >= 0) {
      x[nanB][0][steps / 2][0] = Float.NaN;
    }
    double[][][] dx = new double[n][steps][ch];
    double[][][] dw = new double[k][ch][f];
    int ties = 0;
    for (int b = 0; b < n; b++) {
      for (int o = 0; o < f; o++) {
        double[] z = new double[out];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < out; t++) {
          for (int j = 0; j < k; j++) {
            for (int i = 0; i < ch; i++) {
              z[t] += (double) x[b][0][t * stride + j][i] * w[0][j][i][o];
            }
          }
          max = Math.max(max, z[t]);
        }
        int count = 0;
        for (int t = 0; t < out; t++) {
          count += z[t] == max ? 1 : 0;
        }
        ties += count > 1 ? 1 : 0;
        for (int t = 0; t < out; t++) {
          if (z[t] == max) {
            for (int j = 0; j < k; j++) {
              for (int i = 0; i < ch; i++) {
                dw[j][i][o] += c[b][o] / count * x[b][0][t * stride + j][i];
                dx[b][t * stride + j][i] += c[b][o] / count * w[0][j][i][o];
              }
            }
          }
        }
      }
    }
    assertTrue(
        nanB >= 0 || ties > (sameRows ? n * f - 1 : 2), "the case has too few ties: " + ties);
    try (GraphSession g = GraphSession.create()) {
      Ops tf = g.tf();
      // Placeholders, not constants: grappler would fold the whole gradient, and the trace below
      // checks which branch ran.
      Operand<TFloat32> xin =
          tf.placeholderWithDefault(
              tf.constant(x), org.tensorflow.ndarray.Shape.of(staticBatch ? n : -1, 1, steps, ch));
      Operand<TFloat32> wc =
          tf.placeholderWithDefault(tf.constant(w), org.tensorflow.ndarray.Shape.of(1, k, ch, f));
      Operand<TFloat32> conv =
          tf.nn.conv2d(xin, wc, java.util.List.of(1L, 1L, (long) stride, 1L), "VALID");
      Operand<TFloat32> pooled =
          tf.max(
              tf.squeeze(conv, org.tensorflow.op.core.Squeeze.axis(java.util.List.of(1L))),
              tf.constant(new int[] {1}));
      Operand<TFloat32> loss =
          tf.sum(tf.math.mul(pooled, tf.constant(c)), tf.constant(new int[] {0, 1}));
      Output<?>[] grads =
          GraphGradients.add(g, loss, new Output<?>[] {xin.asOutput(), wc.asOutput()});
      int sparseProducts = 0;
      java.util.Iterator<GraphOperation> ops = g.graph().operations();
      while (ops.hasNext()) {
        sparseProducts += ops.next().type().equals("SparseTensorDenseMatMul") ? 1 : 0;
      }
      boolean cpuBuild =
          System.getProperty("os.arch").equals("amd64")
              && System.getProperty("os.name").equals("Linux");
      assertEquals(cpuBuild ? 2 : 0, sparseProducts, "sparse products in the graph");
      try (Result res =
          g.session()
              .runner()
              .fetch(grads[0])
              .fetch(grads[1])
              .setOptions(
                  org.tensorflow.proto.RunOptions.newBuilder()
                      .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE)
                      .build())
              .runAndFetchMetadata()) {
        long ran =
            res.getMetadata().orElseThrow().getStepStats().getDevStatsList().stream()
                .flatMap(dev -> dev.getNodeStatsList().stream())
                .filter(node -> node.getTimelineLabel().contains("SparseTensorDenseMatMul("))
                .count();
        assertEquals(
            cpuBuild && !sameRows ? 2 : 0, ran, "sparse products run (not with every step tied)");
        TFloat32 gx = (TFloat32) res.get(0);
        TFloat32 gw = (TFloat32) res.get(1);
        double worst = 0;
        for (int b = 0; b < n; b++) {
          for (int p = 0; p < steps; p++) {
            for (int i = 0; i < ch; i++) {
              float v = gx.getFloat(b, 0, p, i);
              if (b == nanB) {
                assertTrue(Float.isNaN(v), "input gradient of the NaN sample at " + p + ", " + i);
              } else {
                worst = Math.max(worst, Math.abs(v - dx[b][p][i]));
              }
            }
          }
        }
        for (int j = 0; j < k; j++) {
          for (int i = 0; i < ch; i++) {
            for (int o = 0; o < f; o++) {
              float v = gw.getFloat(0, j, i, o);
              if (o == nanO || nanB >= 0 && nanO < 0) {
                assertTrue(Float.isNaN(v), "filter gradient of the NaN channel at " + j + ", " + i);
              } else {
                worst = Math.max(worst, Math.abs(v - dw[j][i][o]));
              }
            }
          }
        }
        assertTrue(worst < 1e-5, "stride " + stride + ": largest gradient error " + worst);
      }
    }
  }

  /**
   * A one-row convolution's input x (n, 1, steps, ch), kernel w (1, k, ch, f) and loss weights c
   * (n, 1, out, f), Gaussian; the loss is sum(conv(x, w) * c).
   */
  private static final class ConvCase {
    final float[][][][] x;
    final float[][][][] w;
    final float[][][][] c;

    ConvCase(Random r, int n, int steps, int ch, int k, int f, int out) {
      x = new float[n][1][steps][ch];
      w = new float[1][k][ch][f];
      c = new float[n][1][out][f];
      fill(r, x);
      fill(r, w);
      fill(r, c);
    }

    Operand<TFloat32> loss(
        Ops tf, Operand<TFloat32> input, Operand<TFloat32> kernel, int stride, String padding) {
      Operand<TFloat32> y =
          tf.nn.conv2d(input, kernel, java.util.List.of(1L, 1L, (long) stride, 1L), padding);
      return tf.sum(tf.math.mul(y, tf.constant(c)), tf.constant(new int[] {0, 1, 2, 3}));
    }
  }

  private static void fill(Random r, float[][][][] a) {
    for (float[][][] b : a) {
      for (float[][] m : b) {
        for (float[] row : m) {
          for (int i = 0; i < row.length; i++) {
            row[i] = (float) r.nextGaussian();
          }
        }
      }
    }
  }
}
