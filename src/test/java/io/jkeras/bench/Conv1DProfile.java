package io.jkeras.bench;

import java.util.*;
import org.tensorflow.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.*;
import org.tensorflow.proto.*;
import org.tensorflow.types.TFloat32;

/**
 * A/B profile of three graph forms of the IMDB models' Conv1D(250, 3, relu) over (batch, 100, 50)
 * inputs, forward alone and forward plus gradients (through a global max pool, as in the models):
 * {@code conv2d} (Conv1D's form: Conv2D over a height of 1, BiasAdd, Relu), {@code im2col} (the
 * three shifted slices concatenated to (batch*98, 150) and one MatMul, BiasAdd and Relu, which
 * grappler fuses into _FusedMatMul) and {@code taps} (one MatMul per kernel tap, summed). Forms run
 * back to back in rounds so that a busy machine disturbs them alike; the last round also prints
 * each form's top ops by time from a FULL_TRACE of one forward and one training step.
 *
 * <pre>{@code
 * java -cp target/test-classes:target/classes:$(cat target/speed-matrix.classpath) \
 *     io.jkeras.bench.Conv1DProfile 32,256,1024 conv2d,im2col,taps 20 3 trace
 * }</pre>
 */
public final class Conv1DProfile {
  static final int L = 100, C = 50, F = 250, K = 3, S = L - K + 1;

  private Conv1DProfile() {}

  /**
   * Runs the profile.
   *
   * @param a batch sizes, forms, timed runs per measurement, rounds, and optionally "trace"
   * @throws Exception when TensorFlow fails
   */
  public static void main(String[] a) throws Exception {
    int[] batches = Arrays.stream(a[0].split(",")).mapToInt(Integer::parseInt).toArray();
    String[] impls = a[1].split(",");
    int reps = Integer.parseInt(a[2]);
    int rounds = Integer.parseInt(a[3]);
    boolean trace = a.length > 4;
    for (int b : batches)
      for (int round = 0; round < rounds; round++)
        for (String impl : impls) {
          try (Graph g = new Graph();
              Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x =
                tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, L, C)));
            Placeholder<TFloat32> w =
                tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(K, C, F)));
            Placeholder<TFloat32> bias =
                tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(F)));
            Operand<TFloat32> y;
            switch (impl) {
              case "conv2d":
                {
                  var x4 = tf.expandDims(x, tf.constant(1));
                  var k4 = tf.expandDims(w, tf.constant(0));
                  var c =
                      tf.squeeze(
                          tf.nn.conv2d(x4, k4, List.of(1L, 1L, 1L, 1L), "VALID"),
                          Squeeze.axis(List.of(1L)));
                  y = tf.nn.relu(tf.nn.biasAdd(c, bias));
                  break;
                }
              case "im2col":
                {
                  List<Operand<TFloat32>> parts = new ArrayList<>();
                  for (int k = 0; k < K; k++)
                    parts.add(
                        tf.slice(
                            x,
                            tf.constant(new int[] {0, k, 0}),
                            tf.constant(new int[] {-1, S, C})));
                  var p =
                      tf.reshape(
                          tf.concat(parts, tf.constant(2)), tf.constant(new int[] {-1, K * C}));
                  var m = tf.linalg.matMul(p, tf.reshape(w, tf.constant(new int[] {K * C, F})));
                  y =
                      tf.reshape(
                          tf.nn.relu(tf.nn.biasAdd(m, bias)), tf.constant(new int[] {-1, S, F}));
                  break;
                }
              case "taps":
                {
                  Operand<TFloat32> acc = null;
                  for (int k = 0; k < K; k++) {
                    var xs =
                        tf.reshape(
                            tf.slice(
                                x,
                                tf.constant(new int[] {0, k, 0}),
                                tf.constant(new int[] {-1, S, C})),
                            tf.constant(new int[] {-1, C}));
                    var wk =
                        tf.reshape(
                            tf.slice(
                                w,
                                tf.constant(new int[] {k, 0, 0}),
                                tf.constant(new int[] {1, C, F})),
                            tf.constant(new int[] {C, F}));
                    var m = tf.linalg.matMul(xs, wk);
                    acc = acc == null ? m : tf.math.add(acc, m);
                  }
                  y =
                      tf.reshape(
                          tf.nn.relu(tf.nn.biasAdd(acc, bias)), tf.constant(new int[] {-1, S, F}));
                  break;
                }
              default:
                throw new IllegalArgumentException(impl);
            }
            // loss: global max pool then sum, like the model's path
            var loss = tf.sum(tf.max(y, tf.constant(1)), tf.constant(new int[] {0, 1}));
            Output<?>[] grads =
                g.addGradients(
                    loss.asOutput(), new Output<?>[] {x.asOutput(), w.asOutput(), bias.asOutput()});
            var gx = tf.sum((Operand<TFloat32>) grads[0], tf.constant(new int[] {0, 1, 2}));
            var gw = tf.sum((Operand<TFloat32>) grads[1], tf.constant(new int[] {0, 1, 2}));
            var gb = tf.sum((Operand<TFloat32>) grads[2], tf.constant(new int[] {0}));
            Random r = new Random(1);
            float[] xv = new float[b * L * C];
            for (int i = 0; i < xv.length; i++) xv[i] = (float) r.nextGaussian();
            float[] wv = new float[K * C * F];
            for (int i = 0; i < wv.length; i++) wv[i] = (float) r.nextGaussian() * 0.1f;
            float[] bv = new float[F];
            for (int i = 0; i < bv.length; i++) bv[i] = (float) r.nextGaussian() * 0.1f;
            try (TFloat32 xt =
                    TFloat32.tensorOf(
                        Shape.of(b, L, C),
                        org.tensorflow.ndarray.buffer.DataBuffers.of(xv, true, false));
                TFloat32 wt =
                    TFloat32.tensorOf(
                        Shape.of(K, C, F),
                        org.tensorflow.ndarray.buffer.DataBuffers.of(wv, true, false));
                TFloat32 bt =
                    TFloat32.tensorOf(
                        Shape.of(F),
                        org.tensorflow.ndarray.buffer.DataBuffers.of(bv, true, false))) {
              for (String mode : new String[] {"fwd", "train"}) {
                Operand<?>[] fetch =
                    mode.equals("fwd")
                        ? new Operand<?>[] {loss}
                        : new Operand<?>[] {loss, gx, gw, gb};
                for (int i = 0; i < 3; i++) run(s, x, w, bias, xt, wt, bt, fetch).close();
                long t0 = System.nanoTime();
                float lv = 0, gxv = 0;
                for (int i = 0; i < reps; i++)
                  try (Result res = run(s, x, w, bias, xt, wt, bt, fetch)) {
                    lv = ((TFloat32) res.get(0)).getFloat();
                    if (fetch.length > 1) gxv = ((TFloat32) res.get(2)).getFloat();
                  }
                double us = (System.nanoTime() - t0) / 1e3 / reps / b;
                System.out.printf(
                    Locale.ROOT,
                    "batch %5d %-7s %-5s %8.2f us/sample  loss=%.4f gx=%.4f%n",
                    b,
                    impl,
                    mode,
                    us,
                    lv,
                    gxv);
                if (trace && round == rounds - 1) {
                  RunOptions ro =
                      RunOptions.newBuilder()
                          .setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
                          .build();
                  Session.Runner rn =
                      s.runner().feed(x, xt).feed(w, wt).feed(bias, bt).setOptions(ro);
                  for (Operand<?> f : fetch) rn.fetch(f);
                  var rr = rn.runAndFetchMetadata();
                  Map<String, Long> per = new TreeMap<>();
                  long tot = 0;
                  for (var dev : rr.getMetadata().get().getStepStats().getDevStatsList())
                    for (var ns : dev.getNodeStatsList()) {
                      long d = ns.getOpEndRelMicros();
                      String op =
                          ns.getTimelineLabel()
                              .replaceAll(" = ", "=")
                              .split("=")[ns.getTimelineLabel().contains("=") ? 1 : 0]
                              .split("\\(")[0]
                              .trim();
                      per.merge(op, d, Long::sum);
                      tot += d;
                    }
                  rr.close();
                  final long T = tot;
                  per.entrySet().stream()
                      .sorted((p, q) -> Long.compare(q.getValue(), p.getValue()))
                      .limit(8)
                      .forEach(
                          e ->
                              System.out.printf(
                                  Locale.ROOT,
                                  "    %-28s %6d us %5.1f%%%n",
                                  e.getKey(),
                                  e.getValue(),
                                  100.0 * e.getValue() / T));
                }
              }
            }
          }
        }
  }

  private static Result run(
      Session s,
      Operand<?> x,
      Operand<?> w,
      Operand<?> b,
      Tensor xt,
      Tensor wt,
      Tensor bt,
      Operand<?>[] f) {
    Session.Runner r = s.runner().feed(x, xt).feed(w, wt).feed(b, bt);
    for (Operand<?> op : f) r.fetch(op);
    return r.run();
  }
}
