package io.jkeras.activations;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The built-in activations of Keras 3's {@code keras.activations}, looked up by their Keras names.
 *
 * <pre>{@code
 * Activation act = Activations.get("gelu");   // exact (erf) GELU, as Keras's default
 * Operand<TFloat32> y = act.apply(tf, x);
 * Activations.get("swish").name();             // "silu": aliases resolve to the canonical name
 * }</pre>
 *
 * <p>Op shapes that callers may rely on:
 *
 * <ul>
 *   <li>{@link #SIGMOID} is emitted as exactly one TF {@code Sigmoid} op whose input is {@code x}
 *       (the logits). Training code recognizes {@code op.type().equals("Sigmoid")} on a model
 *       output and computes binary cross-entropy from {@code op.input(0)}, as Keras does with its
 *       {@code _keras_logits}.
 *   <li>{@link #SOFTMAX} is likewise one {@code Softmax} op over the last axis, whose input is the
 *       logits, for categorical cross-entropy from logits.
 *   <li>{@link #LINEAR} returns {@code x} itself and adds no op.
 * </ul>
 *
 * <p>No activation uses TF's {@code Square} op (its gradient crashes TF Java 1.1.0); powers are
 * products.
 */
public final class Activations {

  // GELU constants: the double literals of TF's gelu, rounded to float32 as TF casts them.
  private static final float SQRT_HALF = (float) 0.7071067811865476; // 1 / sqrt(2)
  private static final float SQRT_2_OVER_PI = (float) 0.7978845608028654;
  private static final float GELU_CUBIC_COEFF = 0.044715f;

  /** Keras's default threshold of soft_shrink and hard_shrink. */
  private static final float SHRINK_THRESHOLD = 0.5f;

  /** {@code linear(x) = x}; also what {@code get(null)} returns. */
  public static final Activation LINEAR = new NamedActivation("linear", (tf, x) -> x);

  /** {@code relu(x) = max(x, 0)}. */
  public static final Activation RELU = new NamedActivation("relu", (tf, x) -> tf.nn.relu(x));

  /** {@code relu6(x) = min(max(x, 0), 6)}. */
  public static final Activation RELU6 = new NamedActivation("relu6", (tf, x) -> tf.nn.relu6(x));

  /** {@code leaky_relu(x) = x if x >= 0 else 0.2 * x} (Keras 3's default negative slope). */
  public static final Activation LEAKY_RELU = leakyRelu(0.2);

  /** {@code elu(x) = x if x > 0 else exp(x) - 1} (alpha 1). */
  public static final Activation ELU = elu(1.0);

  /** Scaled ELU with the fixed constants of Klambauer et al. (2017), TF's {@code Selu} op. */
  public static final Activation SELU = new NamedActivation("selu", (tf, x) -> tf.nn.selu(x));

  /** {@code celu(x) = max(x, 0) + expm1(min(x, 0))} (alpha 1). */
  public static final Activation CELU = celu(1.0);

  /** {@code softplus(x) = log(1 + exp(x))}, computed stably by TF's {@code Softplus} op. */
  public static final Activation SOFTPLUS =
      new NamedActivation("softplus", (tf, x) -> tf.math.softplus(x));

  /** {@code softsign(x) = x / (1 + |x|)}. */
  public static final Activation SOFTSIGN =
      new NamedActivation("softsign", (tf, x) -> tf.nn.softsign(x));

  /** {@code silu(x) = x * sigmoid(x)}; also found under the alias {@code "swish"}. */
  public static final Activation SILU =
      new NamedActivation("silu", (tf, x) -> tf.math.mul(x, tf.math.sigmoid(x)));

  /** Exact GELU, {@code x * Phi(x)} with Phi the standard normal CDF (Keras's default). */
  public static final Activation GELU = gelu(false);

  /** {@code tanh(x)}. */
  public static final Activation TANH = new NamedActivation("tanh", (tf, x) -> tf.math.tanh(x));

  /** {@code sigmoid(x) = 1 / (1 + exp(-x))}, one {@code Sigmoid} op whose input is the logits. */
  public static final Activation SIGMOID =
      new NamedActivation("sigmoid", (tf, x) -> tf.math.sigmoid(x));

  /** Keras 3's piecewise-linear sigmoid: {@code relu6(x + 3) / 6}. */
  public static final Activation HARD_SIGMOID =
      new NamedActivation("hard_sigmoid", Activations::hardSigmoid);

  /**
   * {@code hard_silu(x) = x * hard_sigmoid(x)}; also found under the alias {@code "hard_swish"}.
   */
  public static final Activation HARD_SILU =
      new NamedActivation("hard_silu", (tf, x) -> tf.math.mul(x, hardSigmoid(tf, x)));

  /** {@code exponential(x) = exp(x)}. */
  public static final Activation EXPONENTIAL =
      new NamedActivation("exponential", (tf, x) -> tf.math.exp(x));

  /** Softmax over the last axis, one {@code Softmax} op whose input is the logits. */
  public static final Activation SOFTMAX =
      new NamedActivation("softmax", (tf, x) -> tf.nn.softmax(x));

  /** Log-softmax over the last axis, one {@code LogSoftmax} op. */
  public static final Activation LOG_SOFTMAX =
      new NamedActivation("log_softmax", (tf, x) -> tf.nn.logSoftmax(x));

  /** {@code mish(x) = x * tanh(softplus(x))}. */
  public static final Activation MISH =
      new NamedActivation("mish", (tf, x) -> tf.math.mul(x, tf.math.tanh(tf.math.softplus(x))));

  /** {@code log_sigmoid(x) = log(sigmoid(x)) = -softplus(-x)}, stable for large |x|. */
  public static final Activation LOG_SIGMOID =
      new NamedActivation("log_sigmoid", (tf, x) -> tf.math.neg(tf.math.softplus(tf.math.neg(x))));

  /** {@code hard_tanh(x) = clip(x, -1, 1)}. */
  public static final Activation HARD_TANH =
      new NamedActivation(
          "hard_tanh",
          (tf, x) -> tf.math.maximum(tf.math.minimum(x, tf.constant(1f)), tf.constant(-1f)));

  /** {@code tanh_shrink(x) = x - tanh(x)}. */
  public static final Activation TANH_SHRINK =
      new NamedActivation("tanh_shrink", (tf, x) -> tf.math.sub(x, tf.math.tanh(x)));

  /**
   * {@code squareplus(x) = (x + sqrt(x^2 + 4)) / 2}, a smooth ReLU (Keras's default {@code b=4}).
   */
  public static final Activation SQUAREPLUS =
      new NamedActivation(
          "squareplus",
          (tf, x) ->
              tf.math.mul(
                  tf.constant(0.5f),
                  tf.math.add(x, tf.math.sqrt(tf.math.add(tf.math.mul(x, x), tf.constant(4f))))));

  /**
   * {@code sparse_plus(x)}: 0 for {@code x <= -1}, {@code (x + 1)^2 / 4} for {@code -1 < x < 1},
   * {@code x} for {@code x >= 1}.
   */
  public static final Activation SPARSE_PLUS =
      new NamedActivation(
          "sparse_plus",
          (tf, x) -> {
            Operand<TFloat32> one = tf.constant(1f);
            // (clip(x, -1, 1) + 1)^2 / 4 covers x < 1; max(x - 1, 0) adds the rest above 1.
            Operand<TFloat32> shifted = tf.math.add(clip(tf, x, 1f), one);
            return tf.math.add(
                tf.math.mul(tf.constant(0.25f), tf.math.mul(shifted, shifted)),
                tf.nn.relu(tf.math.sub(x, one)));
          });

  /** {@code sparse_sigmoid(x) = clip((x + 1) / 2, 0, 1)}: 0 below -1, 1 above 1, linear between. */
  public static final Activation SPARSE_SIGMOID =
      new NamedActivation(
          "sparse_sigmoid",
          (tf, x) -> tf.math.mul(tf.constant(0.5f), tf.math.add(clip(tf, x, 1f), tf.constant(1f))));

  /**
   * {@code soft_shrink(x)}: {@code x - 0.5} above 0.5, {@code x + 0.5} below -0.5, else 0 (Keras's
   * default threshold 0.5).
   */
  public static final Activation SOFT_SHRINK =
      new NamedActivation("soft_shrink", (tf, x) -> tf.math.sub(x, clip(tf, x, SHRINK_THRESHOLD)));

  /**
   * {@code hard_shrink(x)}: {@code x} where {@code |x| > 0.5}, else 0 (Keras's default threshold).
   */
  public static final Activation HARD_SHRINK =
      new NamedActivation(
          "hard_shrink",
          (tf, x) ->
              tf.select(
                  tf.math.greater(tf.math.abs(x), tf.constant(SHRINK_THRESHOLD)),
                  x,
                  tf.zerosLike(x)));

  /** Canonical name or alias to activation, in registration order. */
  private static final Map<String, Activation> BY_NAME = new LinkedHashMap<>();

  static {
    for (Activation a :
        List.of(
            LINEAR,
            RELU,
            RELU6,
            LEAKY_RELU,
            ELU,
            SELU,
            CELU,
            SOFTPLUS,
            SOFTSIGN,
            SILU,
            GELU,
            TANH,
            SIGMOID,
            HARD_SIGMOID,
            HARD_SILU,
            EXPONENTIAL,
            SOFTMAX,
            LOG_SOFTMAX,
            MISH,
            LOG_SIGMOID,
            HARD_TANH,
            TANH_SHRINK,
            SQUAREPLUS,
            SPARSE_PLUS,
            SPARSE_SIGMOID,
            SOFT_SHRINK,
            HARD_SHRINK)) {
      BY_NAME.put(a.name(), a);
    }
    BY_NAME.put("swish", SILU);
    BY_NAME.put("hard_swish", HARD_SILU);
  }

  /**
   * Keras 3 activations that jkeras does not implement, each with the reason: glu halves the last
   * axis (a layer's output would no longer have its declared shape), Keras's sparsemax computes its
   * threshold from a sum of cumulative sums (its rows do not sum to 1, and matching that would copy
   * a bug), and threshold has required arguments, so even Keras cannot apply it by name.
   */
  private static final Map<String, String> UNSUPPORTED =
      Map.of(
          "glu", "it halves the last axis, so a layer's output would not have its declared shape",
          "sparsemax",
              "Keras's sparsemax does not give rows that sum to 1, and jkeras does not copy that",
          "threshold",
              "it needs the arguments threshold and default_value, which a name cannot carry");

  private static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>(BY_NAME.keySet());
    Collections.sort(names);
    NAMES = Collections.unmodifiableList(names);
  }

  private Activations() {}

  /**
   * The activation with Keras name {@code name}; {@code null} means {@code "linear"}, as in Keras.
   * Aliases ({@code "swish"}, {@code "hard_swish"}) give the canonical activation.
   *
   * @throws IllegalArgumentException if the name is not a known activation, or is one of Keras's
   *     that jkeras does not implement ({@code "glu"}, {@code "sparsemax"}, {@code "threshold"});
   *     the message says which and lists all valid names
   */
  public static Activation get(String name) {
    if (name == null) {
      return LINEAR;
    }
    Activation a = BY_NAME.get(name);
    if (a == null && UNSUPPORTED.containsKey(name)) {
      throw new IllegalArgumentException(
          "Keras activation \""
              + name
              + "\" is not supported by jkeras: "
              + UNSUPPORTED.get(name)
              + ". Supported: "
              + String.join(", ", NAMES));
    }
    if (a == null) {
      throw new IllegalArgumentException(
          "Unknown activation: \"" + name + "\". Expected one of: " + String.join(", ", NAMES));
    }
    return a;
  }

  /** All names {@link #get} accepts (canonical names and aliases), sorted. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Leaky ReLU with the given slope for negative inputs, as {@code keras.activations.leaky_relu(x,
   * negative_slope)}. Its name is {@code "leaky_relu"} whatever the slope.
   */
  public static Activation leakyRelu(double negativeSlope) {
    requireFinite("negative_slope", negativeSlope);
    float slope = (float) negativeSlope;
    return new NamedActivation("leaky_relu", (tf, x) -> tf.nn.leakyRelu(x, LeakyRelu.alpha(slope)));
  }

  /**
   * ELU with the given {@code alpha}, as {@code keras.activations.elu(x, alpha)}: {@code x} for
   * {@code x > 0}, otherwise {@code alpha * (exp(x) - 1)}. Alpha 1 uses TF's {@code Elu} op.
   */
  public static Activation elu(double alpha) {
    requireFinite("alpha", alpha);
    if (alpha == 1.0) {
      return new NamedActivation("elu", (tf, x) -> tf.nn.elu(x));
    }
    float a = (float) alpha;
    // max(x, 0) + alpha * expm1(min(x, 0)) equals Keras's where(x > 0, elu(x), alpha * elu(x)).
    return new NamedActivation(
        "elu",
        (tf, x) -> {
          Operand<TFloat32> zero = tf.constant(0f);
          return tf.math.add(
              tf.math.maximum(x, zero),
              tf.math.mul(tf.constant(a), tf.math.expm1(tf.math.minimum(x, zero))));
        });
  }

  /**
   * CELU with the given {@code alpha}, as {@code keras.activations.celu(x, alpha)}: {@code max(x,
   * 0) + alpha * expm1(min(x, 0) / alpha)}.
   */
  public static Activation celu(double alpha) {
    requireFinite("alpha", alpha);
    if (alpha == 0.0) {
      throw new IllegalArgumentException(
          "Invalid value for argument alpha: expected a non-zero number. Received: alpha=0.0");
    }
    float a = (float) alpha;
    return new NamedActivation(
        "celu",
        (tf, x) -> {
          Operand<TFloat32> zero = tf.constant(0f);
          Operand<TFloat32> alphaOp = tf.constant(a);
          return tf.math.add(
              tf.math.maximum(x, zero),
              tf.math.mul(alphaOp, tf.math.expm1(tf.math.div(tf.math.minimum(x, zero), alphaOp))));
        });
  }

  /**
   * GELU as {@code keras.activations.gelu(x, approximate)}. Exact: {@code 0.5 * x * (1 + erf(x /
   * sqrt(2)))}; approximate: {@code 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))}.
   *
   * <p>Keras's TF backend writes the exact form with {@code erfc(-x / sqrt(2))}, which keeps
   * relative precision in the far negative tail; TF Java 1.1.0 has no gradient for {@code Erfc}, so
   * this uses {@code Erf}. The rounding of {@code 1 + erf} in float32 costs relative precision only
   * for {@code x} below about -3, where |GELU| is under 0.01; the absolute difference from the erfc
   * form stays under 1e-6 (about 1e-7 at worst, near x = -5.5).
   */
  public static Activation gelu(boolean approximate) {
    if (!approximate) {
      return new NamedActivation(
          "gelu",
          (tf, x) ->
              tf.math.mul(
                  tf.math.mul(tf.constant(0.5f), x),
                  tf.math.add(
                      tf.constant(1f), tf.math.erf(tf.math.mul(x, tf.constant(SQRT_HALF))))));
    }
    return new NamedActivation(
        "gelu",
        (tf, x) -> {
          Operand<TFloat32> cube = tf.math.mul(x, tf.math.mul(x, x));
          Operand<TFloat32> inner =
              tf.math.mul(
                  tf.constant(SQRT_2_OVER_PI),
                  tf.math.add(x, tf.math.mul(tf.constant(GELU_CUBIC_COEFF), cube)));
          return tf.math.mul(
              tf.math.mul(tf.constant(0.5f), x), tf.math.add(tf.constant(1f), tf.math.tanh(inner)));
        });
  }

  /** {@code clip(x, -bound, bound)} from Maximum and Minimum, whose gradients TF Java has. */
  private static Operand<TFloat32> clip(Ops tf, Operand<TFloat32> x, float bound) {
    return tf.math.maximum(tf.math.minimum(x, tf.constant(bound)), tf.constant(-bound));
  }

  private static Operand<TFloat32> hardSigmoid(Ops tf, Operand<TFloat32> x) {
    return tf.math.div(tf.nn.relu6(tf.math.add(x, tf.constant(3f))), tf.constant(6f));
  }

  private static void requireFinite(String argument, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "Invalid value for argument "
              + argument
              + ": expected a finite number. Received: "
              + argument
              + "="
              + value);
    }
  }
}
