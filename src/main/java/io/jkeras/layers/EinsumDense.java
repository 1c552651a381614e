package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.activations.Activation;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.initializers.VarianceScaling;
import io.jkeras.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A dense layer of any rank, written as an einsum: {@code output = activation(einsum(equation,
 * input, kernel) + bias)}, as Keras 3's {@code keras.layers.EinsumDense}.
 *
 * <p>Arguments: {@code equation}, of the form {@code "ab,bc->ac"}, {@code "...b,bc->...c"} or
 * {@code "ab...,bc->ac..."} (the first operand is the input, the second the kernel); {@code
 * outputShape}, the output shape without the batch axis, {@code null} entries for axes taken from
 * the input; {@code biasAxes} (none by default), the output letters that get a bias; {@code
 * activation} (none), kernel and bias initializers ("glorot_uniform", "zeros"), regularizers and
 * constraints, an activity regularizer. LoRA and quantization are not supported.
 *
 * <p>Shapes: the input's rank is fixed at build time; the kernel's shape comes from the equation
 * (each kernel letter is sized by the input or the output axis of the same letter). A {@code
 * VarianceScaling} kernel initializer without {@code input_axes}/{@code output_axes} gets the
 * kernel's input and output axes for its fans, as in Keras.
 *
 * <p>Weights, in this order: {@code kernel}, {@code bias} (shape from the bias letters onwards,
 * size 1 on the other axes).
 *
 * <pre>{@code
 * // (batch, 32) -> (batch, 64), as Dense(64)
 * KerasTensor y = EinsumDense.builder("ab,bc->ac", 64).biasAxes("c").build().apply(x);
 * // (batch, steps, 16) -> (batch, steps, 4 heads, 8)
 * EinsumDense heads = EinsumDense.builder("abc,cde->abde", null, 4L, 8L).biasAxes("de").build();
 * }</pre>
 */
public class EinsumDense extends Layer {

  private static final Pattern PLAIN = Pattern.compile("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)");
  private static final Pattern LEFT =
      Pattern.compile("\\.\\.\\.([a-zA-Z]+),([a-zA-Z]+)->\\.\\.\\.([a-zA-Z]+)");
  private static final Pattern RIGHT =
      Pattern.compile("([a-zA-Z]{2,})\\.\\.\\.,([a-zA-Z]+)->([a-zA-Z]+)\\.\\.\\.");

  private final String equation;
  private final List<Long> partialOutputShape;
  private final String biasAxes;
  private final Activation activation;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final Regularizer biasRegularizer;
  private final Constraint kernelConstraint;
  private final Constraint biasConstraint;

  private Weight kernel;
  private Weight bias;

  /** An EinsumDense with Keras's defaults (no bias, no activation); see {@link #builder}. */
  public EinsumDense(String equation, Long... outputShape) {
    this(builder(equation, outputShape));
  }

  /** The layer of a {@link Builder}; subclasses call this. */
  protected EinsumDense(Builder b) {
    super(b.name);
    if (b.equation == null) {
      throw new IllegalArgumentException("EinsumDense: equation must be given");
    }
    if (!b.useBias) {
      throw new IllegalArgumentException(
          "EinsumDense: it has no use_bias argument; leave biasAxes null for no bias");
    }
    this.equation = b.equation;
    this.partialOutputShape = b.outputShape;
    this.biasAxes = b.biasAxes;
    this.activation = b.activation;
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.biasRegularizer = b.biasRegularizer;
    this.kernelConstraint = b.kernelConstraint;
    this.biasConstraint = b.biasConstraint;
    setActivityRegularizer(b.activityRegularizer);
    parse(equation); // fails early on an equation Keras would refuse
  }

  /**
   * The optional arguments of an EinsumDense with this equation and output shape (without the batch
   * axis; null entries for axes that come from the input).
   *
   * <pre>{@code EinsumDense.builder("abc,cd->abd", null, 8L).biasAxes("d").activation("relu")}
   * </pre>
   */
  public static Builder builder(String equation, Long... outputShape) {
    return new Builder(equation, Arrays.asList(outputShape));
  }

  /**
   * An EinsumDense from its Keras config: {@code equation}, {@code output_shape} (an integer or a
   * list with nulls), {@code bias_axes}, {@code activation}, initializers, regularizers and
   * constraints. LoRA ({@code lora_rank}) and quantization are refused.
   *
   * <pre>{@code EinsumDense layer = EinsumDense.fromConfig(config);}</pre>
   */
  public static EinsumDense fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("EinsumDense", config);
    String equation = c.string("equation", null);
    if (equation == null) {
      throw c.wrongValue("equation", "an einsum equation such as \"ab,bc->ac\"", null);
    }
    Object shape = c.raw("output_shape");
    List<Long> dims;
    if (shape instanceof List<?>) {
      dims = c.optionalDims("output_shape");
    } else {
      Long n = ConfigReader.integral(shape);
      if (n == null) {
        throw c.wrongValue("output_shape", "an integer or a list of integers and nulls", shape);
      }
      dims = List.of(n);
    }
    Builder b = new Builder(equation, dims).name(c.name());
    b.biasAxes(c.string("bias_axes", null));
    b.activation(c.activation("activation"));
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.biasInitializer(c.initializer("bias_initializer", "zeros"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.biasRegularizer(c.regularizer("bias_regularizer"));
    b.activityRegularizer(c.activityRegularizer());
    b.kernelConstraint(c.constraint("kernel_constraint"));
    b.biasConstraint(c.constraint("bias_constraint"));
    c.requireDefault("lora_rank", null, "LoRA");
    c.requireDefault("lora_alpha", null, "LoRA");
    c.requireDefault("quantization_config", null, "quantization");
    c.requireDefault("gptq_unpacked_column_size", null, "GPTQ quantization");
    c.requireFloat32Dtype();
    try {
      return c.finish(b.build());
    } catch (IllegalArgumentException e) {
      throw c.fail("equation", e.getMessage());
    }
  }

  /** The einsum equation. */
  public String equation() {
    return equation;
  }

  /** The kernel, or null before the layer is built. */
  public Weight kernel() {
    return kernel;
  }

  /** The bias, or null without bias axes or before the layer is built. */
  public Weight bias() {
    return bias;
  }

  /** Keras's EinsumDense keeps masks: the input's mask passes through. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  // ---- shapes ----------------------------------------------------------------------------------

  /** The equation's input, kernel and output letters, and where the ellipsis is. */
  private record Parsed(String input, String weight, String output, boolean leftElided) {}

  /** What an input shape makes of the equation: Keras's {@code _analyze_einsum_string}. */
  private record Analysis(
      long[] kernelShape,
      long[] biasShape,
      long[] outputShape,
      List<Integer> inputAxes,
      List<Integer> outputAxes) {}

  private Parsed parse(String eq) {
    Matcher m = PLAIN.matcher(eq);
    if (m.matches()) {
      return new Parsed(m.group(1), m.group(2), m.group(3), false);
    }
    m = LEFT.matcher(eq);
    if (m.matches()) {
      return new Parsed(m.group(1), m.group(2), m.group(3), true);
    }
    m = RIGHT.matcher(eq);
    if (m.matches()) {
      return new Parsed(m.group(1), m.group(2), m.group(3), false);
    }
    throw new IllegalArgumentException(
        "EinsumDense: invalid einsum equation \""
            + eq
            + "\"; equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or"
            + " [X]...,[Y]->[Z]...");
  }

  private Analysis analyze(Shape inputShape) {
    Parsed p = parse(equation);
    long[] in = inputShape.asArray();
    int rank = in.length;
    int elided = rank - p.input().length();
    if (elided < 0) {
      throw problem(
          "the equation's input \""
              + p.input()
              + "\" has more axes than the input "
              + KerasShape.format(inputShape));
    }
    List<Long> out = new ArrayList<>(partialOutputShape);
    out.add(0, in[0]);
    if (elided > 0 && p.leftElided()) {
      for (int i = 1; i < elided; i++) {
        out.add(1, in[i]); // as Keras does it
      }
    } else if (elided > 0) {
      for (int i = rank - elided; i < rank; i++) {
        out.add(in[i]);
      }
    }
    Map<Character, Integer> inputIndex = new HashMap<>();
    Map<Character, Integer> outputIndex = new HashMap<>();
    for (int i = 0; i < p.input().length(); i++) {
      inputIndex.put(p.input().charAt(i), p.leftElided() ? i + elided : i);
    }
    for (int i = 0; i < p.output().length(); i++) {
      outputIndex.put(p.output().charAt(i), p.leftElided() ? i + elided : i);
    }
    if (outputIndex.values().stream().anyMatch(i -> i >= out.size())) {
      throw problem(
          "output_shape "
              + partialOutputShape
              + " does not have an axis for each letter of \""
              + p.output()
              + "\"");
    }
    for (char d : p.input().toCharArray()) {
      Integer o = outputIndex.get(d);
      long inDim = in[inputIndex.get(d)];
      if (o != null && out.get(o) != null && out.get(o) >= 0 && inDim >= 0 && out.get(o) != inDim) {
        throw problem(
            "input shape and output shape do not match at shared dimension '"
                + d
                + "': input "
                + inDim
                + ", output "
                + out.get(o));
      }
    }
    for (char d : p.output().toCharArray()) {
      if (p.input().indexOf(d) < 0 && p.weight().indexOf(d) < 0) {
        throw problem("output letter '" + d + "' is in neither the input nor the kernel");
      }
    }
    long[] kernelShape = new long[p.weight().length()];
    List<Integer> inputAxes = new ArrayList<>();
    List<Integer> outputAxes = new ArrayList<>();
    for (int i = 0; i < kernelShape.length; i++) {
      char d = p.weight().charAt(i);
      Long size;
      if (outputIndex.containsKey(d)) {
        size = out.get(outputIndex.get(d));
        outputAxes.add(i);
      } else if (inputIndex.containsKey(d)) {
        size = in[inputIndex.get(d)];
        inputAxes.add(i);
      } else {
        throw problem("kernel letter '" + d + "' is in neither the input nor the output");
      }
      if (size == null || size < 0) {
        throw problem(
            "the kernel axis '"
                + d
                + "' has no known size (give it in output_shape, or a known input axis); input "
                + KerasShape.format(inputShape));
      }
      kernelShape[i] = size;
    }
    long[] biasShape = null;
    if (biasAxes != null) {
      int leftElided = p.leftElided() ? elided : 0;
      int first = Integer.MAX_VALUE;
      for (char c : biasAxes.toCharArray()) {
        int at = p.output().indexOf(c);
        if (at < 0) {
          throw problem("bias letter '" + c + "' is not in the output \"" + p.output() + "\"");
        }
        first = Math.min(first, at);
      }
      List<Long> bias = new ArrayList<>();
      for (int i = first; i < p.output().length(); i++) {
        Long size = out.get(i + leftElided);
        bias.add(biasAxes.indexOf(p.output().charAt(i)) >= 0 ? size : 1L);
      }
      if (!p.leftElided()) {
        for (int i = 0; i < elided; i++) {
          bias.add(1L);
        }
      }
      biasShape = new long[bias.size()];
      for (int i = 0; i < biasShape.length; i++) {
        Long size = bias.get(i);
        if (size == null || size < 0) {
          throw problem("a bias axis has no known size; input " + KerasShape.format(inputShape));
        }
        biasShape[i] = size;
      }
    }
    long[] full = new long[out.size()];
    for (int i = 0; i < full.length; i++) {
      full[i] = out.get(i) == null ? Shape.UNKNOWN_SIZE : out.get(i);
    }
    return new Analysis(kernelShape, biasShape, full, inputAxes, outputAxes);
  }

  private IllegalArgumentException problem(String detail) {
    return new IllegalArgumentException(
        "Layer \"" + name() + "\" (EinsumDense, equation \"" + equation + "\"): " + detail);
  }

  @Override
  protected void build(Shape inputShape) {
    Analysis a = analyze(inputShape);
    Initializer init = kernelInitializer;
    if (init instanceof VarianceScaling vs && (vs.inputAxes() == null || vs.outputAxes() == null)) {
      // Keras sizes the fans by the kernel's input and output axes.
      Map<String, Object> config = new LinkedHashMap<>(vs.getConfig());
      config.put("input_axes", a.inputAxes());
      config.put("output_axes", a.outputAxes());
      init = Initializers.fromConfig(vs.className(), config);
    }
    kernel =
        addWeight(
            "kernel", Shape.of(a.kernelShape()), init, kernelRegularizer, kernelConstraint, true);
    if (a.biasShape() != null) {
      bias =
          addWeight(
              "bias",
              Shape.of(a.biasShape()),
              biasInitializer,
              biasRegularizer,
              biasConstraint,
              true);
    }
    setInputSpec(InputSpec.rank(inputShape.numDimensions()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(analyze(inputShape).outputShape());
  }

  // ---- call ------------------------------------------------------------------------------------

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> y = tf.linalg.einsum(List.of(inputs, kernel.value()), equation);
    if (bias != null) {
      y = tf.math.add(y, bias.value());
    }
    return activation.apply(tf, y);
  }

  // ---- config ----------------------------------------------------------------------------------

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("output_shape", new ArrayList<>(partialOutputShape));
    config.put("equation", equation);
    config.put("activation", activation.name());
    config.put("bias_axes", biasAxes);
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put("bias_initializer", KerasObjects.serialize("keras.initializers", biasInitializer));
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put("bias_regularizer", KerasObjects.serialize("keras.regularizers", biasRegularizer));
    config.put(
        "activity_regularizer",
        KerasObjects.serialize("keras.regularizers", activityRegularizer()));
    config.put("kernel_constraint", KerasObjects.serialize("keras.constraints", kernelConstraint));
    config.put("bias_constraint", KerasObjects.serialize("keras.constraints", biasConstraint));
    config.put("quantization_config", null);
    return config;
  }

  /**
   * Optional arguments of {@link EinsumDense}, with Keras 3's defaults (no bias axes, no
   * activation, glorot_uniform kernel, zeros bias).
   *
   * <pre>{@code EinsumDense.builder("ab,bc->ac", 8L).biasAxes("c").build()}</pre>
   */
  public static final class Builder extends KernelLayerBuilder<Builder> {
    private final String equation;
    private final List<Long> outputShape;
    private String biasAxes;

    private Builder(String equation, List<Long> outputShape) {
      this.equation = equation;
      this.outputShape = outputShape == null ? List.of() : new ArrayList<>(outputShape);
    }

    /**
     * The output letters that get a bias ({@code "c"}, {@code "de"}); null (the default) for no
     * bias.
     *
     * <pre>{@code builder.biasAxes("de")}</pre>
     */
    public Builder biasAxes(String biasAxes) {
      this.biasAxes = biasAxes;
      return this;
    }

    /**
     * The layer.
     *
     * <pre>{@code EinsumDense layer = builder.build();}</pre>
     */
    public EinsumDense build() {
      return new EinsumDense(this);
    }
  }
}
