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
import org.tensorflow.types.TFloat32;

/** Gradients through GraphGradients: values against a double-precision reference, rewiring. */
class GraphGradientsTest {

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
}
