package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.testing.LayerHarness;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.tensorflow.ndarray.Shape;

/**
 * Convolutions and pooling written out as loops in double, for channels-last images {@code (batch,
 * rows, cols, channels)} (1-D layers are images of one row). The one place the tests write down the
 * padding rule: "same" puts {@code floor(total / 2)} zeros before and the rest after, where {@code
 * total = max((out - 1) * stride + extent - n, 0)}.
 */
final class ConvReference {

  /** The window on one axis: size k, stride s, dilation d, "same" or "valid". */
  record Axis(int k, int s, int d, boolean same) {
    int extent() {
      return d * (k - 1) + 1;
    }

    int out(int n) {
      return same ? Math.floorDiv(n - 1, s) + 1 : Math.floorDiv(n - extent(), s) + 1;
    }

    int before(int n) {
      return same ? Math.max((out(n) - 1) * s + extent() - n, 0) / 2 : 0;
    }
  }

  /** An input size: batch, rows, cols, channels. */
  record Image(int b, int h, int w, int c) {
    int size() {
      return b * h * w * c;
    }

    int at(int n, int r, int q, int ch) {
      return ((n * h + r) * w + q) * c + ch;
    }
  }

  private ConvReference() {}

  /**
   * Conv2D with groups: kernel {@code (kh, kw, c/groups, f)}, bias {@code (f)} or null. Filter f
   * reads the input channels of group {@code f / (filters/groups)}.
   */
  static double[] conv(
      Image in, double[] x, Axis rows, Axis cols, double[] w, int f, int groups, double[] bias) {
    int oh = rows.out(in.h());
    int ow = cols.out(in.w());
    int cg = in.c() / groups;
    int fg = f / groups;
    int top = rows.before(in.h());
    int left = cols.before(in.w());
    double[] y = new double[in.b() * oh * ow * f];
    for (int n = 0; n < in.b(); n++) {
      for (int r = 0; r < oh; r++) {
        for (int q = 0; q < ow; q++) {
          for (int o = 0; o < f; o++) {
            double acc = bias == null ? 0 : bias[o];
            int g = o / fg;
            for (int i = 0; i < rows.k(); i++) {
              int sr = r * rows.s() + i * rows.d() - top;
              if (sr < 0 || sr >= in.h()) {
                continue;
              }
              for (int j = 0; j < cols.k(); j++) {
                int sq = q * cols.s() + j * cols.d() - left;
                if (sq < 0 || sq >= in.w()) {
                  continue;
                }
                for (int c = 0; c < cg; c++) {
                  acc += x[in.at(n, sr, sq, g * cg + c)] * w[((i * cols.k() + j) * cg + c) * f + o];
                }
              }
            }
            y[((n * oh + r) * ow + q) * f + o] = acc;
          }
        }
      }
    }
    return y;
  }

  /**
   * Conv3D with groups on a channels-last volume {@code (b, depth, h, w, c)} (its depth in {@code
   * depth}, the rest in {@code in}): kernel {@code (kd, kh, kw, c/groups, f)}, bias {@code (f)} or
   * null.
   */
  static double[] conv3d(
      Image in, int depth, double[] x, Axis[] axes, double[] w, int f, int groups, double[] bias) {
    int[] n = {depth, in.h(), in.w()};
    int[] out = new int[3];
    int[] before = new int[3];
    for (int a = 0; a < 3; a++) {
      out[a] = axes[a].out(n[a]);
      before[a] = axes[a].before(n[a]);
    }
    int cg = in.c() / groups;
    int fg = f / groups;
    double[] y = new double[in.b() * out[0] * out[1] * out[2] * f];
    int[] o = new int[3];
    int[] k = new int[3];
    int[] src = new int[3];
    for (int b = 0; b < in.b(); b++) {
      for (o[0] = 0; o[0] < out[0]; o[0]++) {
        for (o[1] = 0; o[1] < out[1]; o[1]++) {
          for (o[2] = 0; o[2] < out[2]; o[2]++) {
            for (int filter = 0; filter < f; filter++) {
              double acc = bias == null ? 0 : bias[filter];
              int g = filter / fg;
              for (k[0] = 0; k[0] < axes[0].k(); k[0]++) {
                for (k[1] = 0; k[1] < axes[1].k(); k[1]++) {
                  for (k[2] = 0; k[2] < axes[2].k(); k[2]++) {
                    boolean inside = true;
                    for (int a = 0; a < 3; a++) {
                      src[a] = o[a] * axes[a].s() + k[a] * axes[a].d() - before[a];
                      inside &= src[a] >= 0 && src[a] < n[a];
                    }
                    if (!inside) {
                      continue;
                    }
                    for (int c = 0; c < cg; c++) {
                      int xi = (((b * n[0] + src[0]) * n[1] + src[1]) * n[2] + src[2]) * in.c();
                      int wi =
                          (((k[0] * axes[1].k() + k[1]) * axes[2].k() + k[2]) * cg + c) * f
                              + filter;
                      acc += x[xi + g * cg + c] * w[wi];
                    }
                  }
                }
              }
              y[(((b * out[0] + o[0]) * out[1] + o[1]) * out[2] + o[2]) * f + filter] = acc;
            }
          }
        }
      }
    }
    return y;
  }

  /**
   * Conv3DTranspose of a channels-last volume {@code (b, depth, h, w, c)} to {@code out} sizes with
   * kernel {@code (kd, kh, kw, f, c)}: input position i and tap t add {@code x * kernel} at output
   * {@code i * s + t * d - before}, where "same" puts {@code floor(total / 2)} before, {@code total
   * = max((n - 1) * s + extent - out, 0)} (the forward convolution's padding of the output).
   */
  static double[] transpose3d(
      Image in, int depth, double[] x, Axis[] axes, double[] w, int f, int[] out) {
    int[] n = {depth, in.h(), in.w()};
    int[] before = new int[3];
    for (int a = 0; a < 3; a++) {
      before[a] =
          axes[a].same()
              ? Math.max((n[a] - 1) * axes[a].s() + axes[a].extent() - out[a], 0) / 2
              : 0;
    }
    double[] y = new double[in.b() * out[0] * out[1] * out[2] * f];
    int[] i = new int[3];
    int[] k = new int[3];
    int[] o = new int[3];
    for (int b = 0; b < in.b(); b++) {
      for (i[0] = 0; i[0] < n[0]; i[0]++) {
        for (i[1] = 0; i[1] < n[1]; i[1]++) {
          for (i[2] = 0; i[2] < n[2]; i[2]++) {
            for (k[0] = 0; k[0] < axes[0].k(); k[0]++) {
              for (k[1] = 0; k[1] < axes[1].k(); k[1]++) {
                for (k[2] = 0; k[2] < axes[2].k(); k[2]++) {
                  boolean inside = true;
                  for (int a = 0; a < 3; a++) {
                    o[a] = i[a] * axes[a].s() + k[a] * axes[a].d() - before[a];
                    inside &= o[a] >= 0 && o[a] < out[a];
                  }
                  if (!inside) {
                    continue;
                  }
                  for (int c = 0; c < in.c(); c++) {
                    double v = x[(((b * n[0] + i[0]) * n[1] + i[1]) * n[2] + i[2]) * in.c() + c];
                    for (int fo = 0; fo < f; fo++) {
                      int wi =
                          (((k[0] * axes[1].k() + k[1]) * axes[2].k() + k[2]) * f + fo) * in.c()
                              + c;
                      y[(((b * out[0] + o[0]) * out[1] + o[1]) * out[2] + o[2]) * f + fo] +=
                          v * w[wi];
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return y;
  }

  /** DepthwiseConv2D: kernel {@code (kh, kw, c, m)}; output channel {@code c*m + j}. */
  static double[] depthwise(Image in, double[] x, Axis rows, Axis cols, double[] w, int m) {
    int oh = rows.out(in.h());
    int ow = cols.out(in.w());
    int top = rows.before(in.h());
    int left = cols.before(in.w());
    int oc = in.c() * m;
    double[] y = new double[in.b() * oh * ow * oc];
    for (int n = 0; n < in.b(); n++) {
      for (int r = 0; r < oh; r++) {
        for (int q = 0; q < ow; q++) {
          for (int c = 0; c < in.c(); c++) {
            for (int j = 0; j < m; j++) {
              double acc = 0;
              for (int i = 0; i < rows.k(); i++) {
                int sr = r * rows.s() + i * rows.d() - top;
                for (int t = 0; t < cols.k(); t++) {
                  int sq = q * cols.s() + t * cols.d() - left;
                  if (sr >= 0 && sr < in.h() && sq >= 0 && sq < in.w()) {
                    acc += x[in.at(n, sr, sq, c)] * w[((i * cols.k() + t) * in.c() + c) * m + j];
                  }
                }
              }
              y[((n * oh + r) * ow + q) * oc + c * m + j] = acc;
            }
          }
        }
      }
    }
    return y;
  }

  /**
   * Conv2DTranspose to an output of {@code oh x ow x f} with kernel {@code (kh, kw, f, c)}: each
   * input value spreads {@code x * kernel} over the output window that a forward convolution of the
   * output would read for it.
   */
  static double[] transpose(
      Image in, double[] x, Axis rows, Axis cols, double[] w, int f, int oh, int ow) {
    // The forward convolution maps oh x ow to in.h x in.w; its padding decides the placement.
    int top = rows.same() ? Math.max((in.h() - 1) * rows.s() + rows.extent() - oh, 0) / 2 : 0;
    int left = cols.same() ? Math.max((in.w() - 1) * cols.s() + cols.extent() - ow, 0) / 2 : 0;
    double[] y = new double[in.b() * oh * ow * f];
    for (int n = 0; n < in.b(); n++) {
      for (int r = 0; r < in.h(); r++) {
        for (int q = 0; q < in.w(); q++) {
          for (int c = 0; c < in.c(); c++) {
            double v = x[in.at(n, r, q, c)];
            for (int i = 0; i < rows.k(); i++) {
              int tr = r * rows.s() + i * rows.d() - top;
              for (int j = 0; j < cols.k(); j++) {
                int tq = q * cols.s() + j * cols.d() - left;
                if (tr < 0 || tr >= oh || tq < 0 || tq >= ow) {
                  continue;
                }
                for (int o = 0; o < f; o++) {
                  y[((n * oh + tr) * ow + tq) * f + o] +=
                      v * w[((i * cols.k() + j) * f + o) * in.c() + c];
                }
              }
            }
          }
        }
      }
    }
    return y;
  }

  /** Max or mean pooling; the mean counts only positions inside the input. */
  static double[] pool(Image in, double[] x, Axis rows, Axis cols, boolean max) {
    int oh = rows.out(in.h());
    int ow = cols.out(in.w());
    int top = rows.before(in.h());
    int left = cols.before(in.w());
    double[] y = new double[in.b() * oh * ow * in.c()];
    for (int n = 0; n < in.b(); n++) {
      for (int r = 0; r < oh; r++) {
        for (int q = 0; q < ow; q++) {
          for (int c = 0; c < in.c(); c++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int i = 0; i < rows.k(); i++) {
              int sr = r * rows.s() + i - top;
              for (int j = 0; j < cols.k(); j++) {
                int sq = q * cols.s() + j - left;
                if (sr >= 0 && sr < in.h() && sq >= 0 && sq < in.w()) {
                  double v = x[in.at(n, sr, sq, c)];
                  acc = max ? Math.max(acc, v) : acc + v;
                  count++;
                }
              }
            }
            y[((n * oh + r) * ow + q) * in.c() + c] = max ? acc : acc / count;
          }
        }
      }
    }
    return y;
  }

  /** Channels-last {@code (b, h, w, c)} values in channels-first order {@code (b, c, h, w)}. */
  static float[] toChannelsFirst(Image in, float[] x) {
    float[] out = new float[x.length];
    for (int n = 0; n < in.b(); n++) {
      for (int r = 0; r < in.h(); r++) {
        for (int q = 0; q < in.w(); q++) {
          for (int c = 0; c < in.c(); c++) {
            out[((n * in.c() + c) * in.h() + r) * in.w() + q] = x[in.at(n, r, q, c)];
          }
        }
      }
    }
    return out;
  }

  /**
   * Checks a built layer against {@code reference}, which maps {input, weight values...} (in {@code
   * layer.weights()} order) to the output: forward values, then the gradients of {@code sum(c *
   * output)} for the input and every weight against central differences of the reference.
   */
  static void check(
      String what,
      Layer layer,
      Shape shape,
      float[] x,
      Function<double[][], double[]> reference,
      Random rnd) {
    List<Weight> weights = layer.weights();
    double[][] args = new double[weights.size() + 1][];
    args[0] = toDouble(x);
    for (int i = 0; i < weights.size(); i++) {
      args[i + 1] = toDouble(weights.get(i).read());
    }
    double[] expected = reference.apply(args);
    try (LayerHarness h = new LayerHarness(layer, shape, true)) {
      assertEquals(expected.length, (int) h.outputShape().size(), what + ": output size");
      assertClose(what + " forward", expected, h.forward(shape, x), 1e-5, 1e-5);
      float[] c = uniform(rnd, expected.length, -1, 1);
      double[] cd = toDouble(c);
      List<float[]> grads = h.gradients(shape, x, h.outputShape(), c);
      for (int a = 0; a < args.length; a++) {
        int which = a;
        double[] numeric =
            centralDifferences(
                args[a].clone(),
                v -> {
                  double[][] moved = args.clone();
                  moved[which] = v;
                  return dot(cd, reference.apply(moved));
                },
                1e-6);
        String name = a == 0 ? "input" : weights.get(a - 1).name();
        assertClose(what + " d/d" + name, numeric, grads.get(a), 1e-4, 1e-5);
      }
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
