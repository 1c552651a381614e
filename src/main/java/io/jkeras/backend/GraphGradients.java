package io.jkeras.backend;

import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Input;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;
import org.tensorflow.proto.OpDef;
import org.tensorflow.types.TInt64;

/**
 * Adds the gradient ops of a loss to a {@link GraphSession}'s graph, the one way jkeras takes
 * gradients, without the native crashes TensorFlow Java 1.1.0 has there.
 *
 * <p>Two things go wrong in TensorFlow's C++ gradient code that {@code Graph.addGradients} runs:
 *
 * <ul>
 *   <li>Several gradient functions (for example {@code Square}'s) build constants of their input's
 *       data type. Layer weights are reference-typed variables ({@code DT_FLOAT_REF}), a type no
 *       constant can have, so the function dereferences a null node and the JVM dies with SIGSEGV.
 *       TensorFlow Java refuses to replace a gradient that already exists, so jkeras removes the
 *       cause instead: before gradients are added, every op on the path from the weights to the
 *       loss that reads a reference-typed tensor through an ordinary input is rewired to read it
 *       through an {@code Identity} (the "read" op of TensorFlow 1's variables). The values are the
 *       same; the gradient functions then see plain {@code float} inputs.
 *   <li>Some ops have no C++ gradient. jkeras registers its own for those layers use ({@link
 *       JkerasGradients}); for any other, {@link #add} throws a {@link MissingGradientException}
 *       naming the op and its layer instead of TensorFlow's bare message.
 * </ul>
 *
 * <p>One rewrite before the gradients are added and several after make training steps faster with
 * the same values: a global max pooling of {@code relu(x + bias)} takes the max first, ReLU
 * gradients read the ReLU's output (so grappler can fuse the ReLU into the op before it), bias
 * gradients are plain sums, convolution filter gradients, matmul weight gradients and deep matmuls
 * run oneDNN's kernels on CPU builds, the input gradient of a 1-D convolution is one matrix product
 * and a segment sum on CPU builds, and a 1-D convolution under a global max takes both gradients
 * from the steps holding the maxima ({@link MaxPooledConv1DGradients}) on CPU builds.
 *
 * <pre>{@code
 * Output<?>[] dw = GraphGradients.add(g, loss, new Output<?>[] {kernel.value().asOutput()});
 * }</pre>
 */
public final class GraphGradients {

  private static final Set<String> DILATED_GRADIENT_BROKEN =
      Set.of("Conv2D", "DepthwiseConv2dNative", "Conv3D");

  /** Path products over at least this many inputs run oneDNN's MatMul in training steps. */
  static final long ONEDNN_FORWARD_MIN_DEPTH = 1024;

  private static Set<String> refConsumingOps;

  private GraphGradients() {}

  /**
   * Registers jkeras's own gradients with TensorFlow, once per JVM. {@link GraphSession} calls this
   * before it creates a graph, so every gradient jkeras takes can use them.
   */
  public static void registerOnce() {
    JkerasGradients.registerOnce();
  }

  /**
   * Adds the ops computing {@code d loss / d x} for every {@code x} of {@code wrt} and returns
   * their outputs, in the order of {@code wrt}; an entry is null when the loss does not depend on
   * that {@code x}.
   *
   * <pre>{@code
   * Output<?>[] grads = GraphGradients.add(g, trainLoss, new Output<?>[] {w.value().asOutput()});
   * }</pre>
   *
   * @throws MissingGradientException when an op between {@code wrt} and the loss has no gradient
   */
  public static synchronized Output<?>[] add(GraphSession g, Operand<?> loss, Output<?>[] wrt) {
    registerOnce();
    Set<GraphOperation> path = opsBetween(wrt, loss);
    if (maxBeforeBiasAndRelu(g, path)) {
      path = opsBetween(wrt, loss);
    }
    readReferencesThroughIdentity(g, path, wrt);
    checkDilatedConvolutions(g, path);
    GraphOperation missing = firstWithoutGradient(path, wrt);
    Output<?>[] grads;
    JkerasGradients.takeFailure();
    try {
      grads = g.graph().addGradients(loss.asOutput(), wrt);
    } catch (RuntimeException e) {
      RuntimeException failure = JkerasGradients.takeFailure();
      if (failure != null) {
        throw failure;
      }
      if (missing == null) {
        throw e;
      }
      throw new MissingGradientException(
          missing.type(), missing.name(), g.scopeOf(missing.name()), e);
    }
    RuntimeException failure = JkerasGradients.takeFailure();
    if (failure != null) {
      throw failure;
    }
    readReluGradsFromOutputs(g, path);
    MaxPooledConv1DGradients.rewrite(g, path, grads);
    computeFilterGradientsWithOneDnn(g, path, grads);
    computeMatMulsWithOneDnn(g, path, grads);
    computeConv1DInputGradientsByMatMul(g, path, grads);
    for (int i = 0; i < grads.length; i++) {
      // An input reached only through non-differentiable ops (Floor, Shape...) comes back as an
      // output without an op: report it as no gradient.
      if (grads[i] != null) {
        TF_Operation handle = ((GraphOperation) grads[i].op()).getUnsafeNativeHandle();
        if (handle == null || handle.isNull()) {
          grads[i] = null;
        }
      }
    }
    sumBiasGradients(g, grads);
    return grads;
  }

  /**
   * TensorFlow Java 1.1.0's gradient of a dilated convolution ignores the dilation: the values are
   * wrong and oneDNN's kernel can crash the JVM on the mismatched shapes. Refuse it with a clear
   * message instead.
   */
  private static void checkDilatedConvolutions(GraphSession g, Set<GraphOperation> path) {
    for (GraphOperation op : path) {
      if (!DILATED_GRADIENT_BROKEN.contains(op.type())) {
        continue;
      }
      for (long d : op.attributes().getAttrIntList("dilations")) {
        if (d != 1) {
          String layer = g.scopeOf(op.name());
          throw new IllegalArgumentException(
              (layer == null ? "" : "Layer \"" + layer + "\": ")
                  + "op \""
                  + op.name()
                  + "\" of type "
                  + op.type()
                  + " has dilations "
                  + Arrays.toString(op.attributes().getAttrIntList("dilations"))
                  + ", whose gradient TensorFlow Java 1.1.0 computes wrongly (it drops the"
                  + " dilation); express the dilation with spaceToBatchNd / batchToSpaceNd around"
                  + " an undilated convolution");
        }
      }
    }
  }

  /**
   * Takes each path {@code Max} over steps of {@code relu(x + bias)} (a convolution's activation
   * before global max pooling) as {@code relu(max(x) + bias)}. Adding a per-channel bias and ReLU
   * are non-decreasing in each value, rounding included, so the step holding the largest value is
   * the same and the result is equal; the training step then adds the bias and applies ReLU to
   * {@code (batch, channels)} instead of {@code (batch, steps, channels)}, and their gradients
   * (ReluGrad and the bias sum) shrink the same way. The gradient is the same too, but where two
   * different steps round to the same {@code x + bias} (TensorFlow would then share it between
   * them). Matches {@code Max <- [Squeeze] <- [Relu] <- [BiasAdd]} (one of the last two at least),
   * channels last, the last axis not reduced, no device set, and each op read only by the next; the
   * rewired ops stay in the graph for whoever fetches them. Returns whether any was rewritten.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean maxBeforeBiasAndRelu(GraphSession g, Set<GraphOperation> path) {
    boolean rewritten = false;
    for (GraphOperation max : path) {
      if (!max.type().equals("Max")
          || !max.device().isEmpty()
          || max.output(0).shape().numDimensions() < 2
          || reducesLastAxis(max)) {
        continue;
      }
      GraphOperation squeeze = soleProducer(max, "Squeeze");
      GraphOperation relu = soleProducer(squeeze == null ? max : squeeze, "Relu");
      GraphOperation biasAdd =
          soleProducer(relu != null ? relu : squeeze != null ? squeeze : max, "BiasAdd");
      if (relu == null && biasAdd == null
          || biasAdd != null && !biasAdd.attributes().getAttrString("data_format").equals("NHWC")
          || squeeze != null && !keepsLastAxis(squeeze)) {
        continue;
      }
      Ops tf = g.tf().withSubScope(g.uniqueScope(max.name().replace('/', '_') + "_first"));
      Operand x = (biasAdd != null ? biasAdd : relu).input(0);
      if (squeeze != null) {
        x =
            tf.squeeze(
                x,
                org.tensorflow.op.core.Squeeze.axis(
                    Arrays.stream(squeeze.attributes().getAttrIntList("squeeze_dims"))
                        .boxed()
                        .toList()));
      }
      Operand y =
          tf.max(
              x,
              (Operand) max.input(1),
              org.tensorflow.op.core.Max.keepDims(max.attributes().getAttrBool("keep_dims")));
      if (biasAdd != null) {
        y = tf.nn.biasAdd(y, (Operand) biasAdd.input(1));
      }
      if (relu != null) {
        y = tf.nn.relu(y);
      }
      replace(g, max.output(0), y.asOutput(), new Output<?>[0]);
      rewritten = true;
    }
    return rewritten;
  }

  /** The op of type {@code type} that gives {@code op}'s first input and has no other reader. */
  private static GraphOperation soleProducer(GraphOperation op, String type) {
    GraphOperation producer = (GraphOperation) op.input(0).op();
    return producer.type().equals(type)
            && producer.numOutputs() == 1
            && producer.numConsumers() == 1
            && producer.numControlConsumers() == 0
            && producer.device().isEmpty()
        ? producer
        : null;
  }

  /** Whether a {@code Max}'s constant reduction axes include its input's last axis. */
  private static boolean reducesLastAxis(GraphOperation max) {
    int rank = max.input(0).shape().numDimensions();
    GraphOperation axes = (GraphOperation) max.input(1).op();
    if (rank < 1 || !axes.type().equals("Const")) {
      return true; // unknown: treat as reduced
    }
    try (org.tensorflow.Tensor t = axes.attributes().getAttrTensor("value")) {
      boolean int64 = t.dataType() == org.tensorflow.proto.DataType.DT_INT64;
      org.tensorflow.ndarray.buffer.ByteDataBuffer bytes = t.asRawTensor().data();
      for (long i = 0; i < t.shape().size(); i++) {
        long axis = int64 ? bytes.asLongs().getLong(i) : bytes.asInts().getInt(i);
        if (Math.floorMod(axis, rank) == rank - 1) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a {@code Squeeze} keeps its input's last axis (the channels). */
  private static boolean keepsLastAxis(GraphOperation squeeze) {
    int rank = squeeze.input(0).shape().numDimensions();
    long[] dims = squeeze.attributes().getAttrIntList("squeeze_dims");
    if (rank < 1 || dims.length == 0) {
      return false;
    }
    return Arrays.stream(dims).noneMatch(d -> Math.floorMod(d, rank) == rank - 1);
  }

  /** The ops that both depend on one of {@code wrt} and that the loss depends on. */
  private static Set<GraphOperation> opsBetween(Output<?>[] wrt, Operand<?> loss) {
    Set<GraphOperation> upstream = new HashSet<>();
    Deque<GraphOperation> todo = new ArrayDeque<>();
    todo.add((GraphOperation) loss.op());
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      if (upstream.add(op)) {
        for (int i = 0; i < op.numInputs(); i++) {
          todo.push((GraphOperation) op.input(i).op());
        }
      }
    }
    Set<GraphOperation> path = new LinkedHashSet<>();
    for (Output<?> x : wrt) {
      todo.push((GraphOperation) x.op());
    }
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      if (upstream.contains(op) && path.add(op)) {
        todo.addAll(op.consumers());
      }
    }
    return path;
  }

  /**
   * Rewires every ordinary input of a path op that receives a reference-typed tensor to an {@code
   * Identity} of that tensor, one per tensor.
   */
  private static void readReferencesThroughIdentity(
      GraphSession g, Set<GraphOperation> path, Output<?>[] wrt) {
    Set<String> refConsumers = refConsumingOps();
    Map<Output<?>, Output<?>> reads = new HashMap<>();
    for (GraphOperation op : path) {
      if (refConsumers.contains(op.type())) {
        continue;
      }
      for (int i = 0; i < op.numInputs(); i++) {
        Output<?> in = op.input(i);
        if (!isReference(in) || !((GraphOperation) in.op()).device().isEmpty()) {
          // A variable a distribution strategy placed (on a parameter server) keeps TensorFlow's
          // own read: the strategy finds its lookup gradient by the ops TensorFlow emits for it.
          continue;
        }
        Output<?> read = reads.computeIfAbsent(in, src -> identity(g, src));
        updateEdge(g.graph(), read, op, i);
      }
    }
  }

  /**
   * TensorFlow's C++ gradient of {@code Relu} reads the op's input, Python's its output: {@code
   * ReluGrad(dy, f)} passes {@code dy} where {@code f > 0}, and {@code relu(x) > 0} exactly where
   * {@code x > 0}, so both give the same values. Reading the input keeps it alive for a second
   * consumer, which stops grappler's remapper from fusing the Relu into the convolution or matmul
   * before it ({@code _FusedConv2D}, {@code _FusedMatMul}) in training graphs: one more pass over
   * the activation per step, and for a convolution two (BiasAdd and Relu). Each ReluGrad that reads
   * a Relu's input is rewired to read the Relu's output.
   */
  private static void readReluGradsFromOutputs(GraphSession g, Set<GraphOperation> path) {
    for (GraphOperation relu : path) {
      if (!relu.type().equals("Relu")) {
        continue;
      }
      Output<?> features = relu.input(0);
      GraphOperation producer = (GraphOperation) features.op();
      for (GraphOperation consumer : producer.consumers(features.index())) {
        if (consumer.type().equals("ReluGrad") && consumer.input(1).equals(features)) {
          updateEdge(g.graph(), relu.output(0), consumer, 1);
        }
      }
    }
  }

  /**
   * Replaces each {@code Conv2DBackpropFilter} that a path convolution's gradient added by oneDNN's
   * kernel for the same op ({@code _MklNativeConv2DBackpropFilter}, selected by its kernel label),
   * which is registered in TensorFlow's CPU builds whether or not {@code TF_ENABLE_ONEDNN_OPTS}
   * turns oneDNN's graph rewrites on. Same inputs, attributes and values (float rounding aside);
   * measured on the IMDB convolution ((batch, 1, 100, 50) * (1, 3, 50, 250)): 9.1-9.6 vs 15.7-23 ms
   * at batch 256, 33.5-35 vs 39-55 ms at 1024. Only the filter gradient: oneDNN's input gradient
   * was 2.5-3x slower than Eigen's there. Skipped on builds with GPU kernels (the oneDNN op would
   * pin the gradient to the CPU) and where the oneDNN op or its kernel is absent.
   */
  private static void computeFilterGradientsWithOneDnn(
      GraphSession g, Set<GraphOperation> path, Output<?>[] grads) {
    if (!OneDnn.HAS_FILTER_GRADIENT) {
      return;
    }
    for (GraphOperation grad : convolutionGradients(path, 0, "Conv2DBackpropFilter", grads)) {
      replaceByOneDnn(
          g,
          grad,
          OneDnn.FILTER_GRADIENT,
          grads,
          "strides",
          "use_cudnn_on_gpu",
          "padding",
          "explicit_paddings",
          "data_format",
          "dilations");
    }
  }

  /**
   * Runs two kinds of float {@code MatMul} of a training step on oneDNN's kernel for the same op
   * ({@code _MklMatMul}, selected by its kernel label, registered in TensorFlow's CPU builds
   * whatever {@code TF_ENABLE_ONEDNN_OPTS} says), with the same inputs and attributes and the same
   * sums in another order:
   *
   * <ul>
   *   <li>the weight gradients that the gradient of a path {@code MatMul} added, the products with
   *       {@code transpose_a} ({@code x^T dy} for {@code y = x W}): Eigen contracts their long
   *       batch axis slowly. One op at a time (median, 2 cores): xDeepFM's CIN, (16384, 1280) and
   *       (16384, 128) over the 16384 rows, 26.3 against 41.6 ms; a (1024, 400) Dense layer's input
   *       and gradient 1.8 against 3.3 ms; every weight-gradient shape measured (batch 32 to 65536,
   *       100 to 5000 inputs, 128 to 400 units) ran as fast or faster on oneDNN. The input
   *       gradients ({@code dy W^T}) stay on Eigen: oneDNN took 0.67 to 1.22 times its time on
   *       them, about 1 on most shapes.
   *   <li>path products over at least {@value #ONEDNN_FORWARD_MIN_DEPTH} inputs (the CIN's (16384,
   *       1280) x (1280, 128): 27.7 against 33 ms), whose bias and activation then run as their own
   *       ops instead of in Eigen's fused kernel; below that depth oneDNN's kernel alone gained
   *       1-21%, but whole DeepFM and DCN-v2 epochs did not change with every forward product
   *       swapped. Only in the training step: inference graphs, which SavedModels export, keep
   *       {@code MatMul}.
   * </ul>
   *
   * <p>Whole epochs, both kernels alternating in one process: xDeepFM on Frappe at batch 1024 6.76
   * against 6.44 s for the weight gradients (median of 6), 6.45 against 6.04 and 6.50 against 6.37
   * s for the forward product on top; DeepFM and DCN-v2 at batch 4096 2-5% faster; the IMDB models
   * unchanged. Skipped on builds with GPU kernels and where the oneDNN op or its kernel is absent.
   */
  private static void computeMatMulsWithOneDnn(
      GraphSession g, Set<GraphOperation> path, Output<?>[] grads) {
    if (!OneDnn.HAS_MATMUL) {
      return;
    }
    Set<GraphOperation> found = new LinkedHashSet<>();
    for (GraphOperation matMul : path) {
      if (!isFloatMatMul(matMul)) {
        continue;
      }
      if (!matMul.attributes().getAttrBool("transpose_a")
          && depth(matMul) >= ONEDNN_FORWARD_MIN_DEPTH) {
        found.add(matMul);
      }
      for (int i = 0; i < 2; i++) {
        Output<?> read = matMul.input(i);
        for (GraphOperation grad : ((GraphOperation) read.op()).consumers(read.index())) {
          if (isFloatMatMul(grad)
              && !path.contains(grad)
              && grad.attributes().getAttrBool("transpose_a")) {
            found.add(grad);
          }
        }
      }
    }
    for (GraphOperation matMul : found) {
      replaceByOneDnn(g, matMul, OneDnn.MATMUL, grads, "transpose_a", "transpose_b");
    }
  }

  private static boolean isFloatMatMul(GraphOperation op) {
    return op.type().equals("MatMul")
        && op.device().isEmpty()
        && op.attributes().getAttrType("T") == DataType.DT_FLOAT;
  }

  /** The number of products summed per output of a {@code MatMul}, or -1 when not static. */
  private static long depth(GraphOperation matMul) {
    org.tensorflow.ndarray.Shape b = matMul.input(1).shape();
    if (b.isUnknown() || b.numDimensions() != 2) {
      return -1;
    }
    return b.size(matMul.attributes().getAttrBool("transpose_b") ? 1 : 0);
  }

  /** The gradient ops of type {@code gradType} of each unplaced path {@code Conv2D}. */
  private static List<GraphOperation> convolutionGradients(
      Set<GraphOperation> path, int index, String gradType, Output<?>[] grads) {
    Set<GraphOperation> found = new LinkedHashSet<>();
    for (GraphOperation conv : path) {
      if (conv.type().equals("Conv2D") && conv.device().isEmpty()) {
        found.addAll(convolutionGradients(conv, index, gradType, grads));
      }
    }
    return List.copyOf(found);
  }

  /**
   * The unplaced ops of type {@code gradType} that read input {@code index} of {@code conv} as
   * their own input {@code index}: its filter gradients for 0 (the convolution's input), its input
   * gradients for 1 (the filter). Ops an earlier rewrite replaced (no reader, not one of {@code
   * grads}) are left out.
   */
  static List<GraphOperation> convolutionGradients(
      GraphOperation conv, int index, String gradType, Output<?>[] grads) {
    List<GraphOperation> found = new ArrayList<>();
    Output<?> read = conv.input(index);
    for (GraphOperation grad : ((GraphOperation) read.op()).consumers(read.index())) {
      if (grad.type().equals(gradType)
          && grad.input(index).equals(read)
          && grad.device().isEmpty()
          && (grad.numConsumers() > 0 || Arrays.asList(grads).contains(grad.output(0)))) {
        found.add(grad);
      }
    }
    return found;
  }

  /**
   * Replaces each {@code BiasAddGrad} (channels last) that gives a returned gradient, directly or
   * through {@code Identity} (a variable's read) and {@code AddN} ops, by a {@code Sum} over all
   * axes but the last: the same sum, which TensorFlow's CPU kernel for {@code Sum} computes about
   * twice as fast. Measured on a (batch, 1, 98, 250) gradient (the IMDB convolution's, median of
   * 25): 1.0-1.2 vs 2.0-2.3 ms at batch 256, 4.5-4.8 vs 9.1-10.9 ms at 1024; on (batch, 250) the
   * two are equal. CPU builds only, as the other kernel swaps.
   */
  private static void sumBiasGradients(GraphSession g, Output<?>[] grads) {
    if (!CpuBuild.AVAILABLE) {
      return; // measured on CPU kernels only
    }
    Deque<Output<?>> todo = new ArrayDeque<>();
    for (Output<?> grad : grads) {
      if (grad != null) {
        todo.add(grad);
      }
    }
    Set<Output<?>> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Output<?> grad = todo.pop();
      if (!seen.add(grad)) {
        continue;
      }
      GraphOperation op = (GraphOperation) grad.op();
      if (op.type().equals("AddN") || op.type().equals("Identity")) {
        for (int i = 0; i < op.numInputs(); i++) {
          todo.add(op.input(i));
        }
      } else {
        sumBiasGradient(g, grad, grads);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void sumBiasGradient(GraphSession g, Output<?> grad, Output<?>[] grads) {
    GraphOperation op = (GraphOperation) grad.op();
    if (!op.type().equals("BiasAddGrad")
        || !op.attributes().getAttrString("data_format").equals("NHWC")
        || op.input(0).shape().isUnknown()
        || op.input(0).shape().numDimensions() < 2) {
      return;
    }
    int rank = op.input(0).shape().numDimensions();
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    Ops tf = g.tf().withSubScope(g.uniqueScope(op.name().replace('/', '_') + "_sum"));
    Output<?> sum = tf.sum((Operand) op.input(0), tf.constant(axes)).asOutput();
    replace(g, grad, sum, grads);
  }

  /**
   * Replaces each {@code Conv2DBackpropInput} of a path convolution over one row ({@code Conv1D}'s
   * form: input {@code (batch, 1, steps, c)}, kernel {@code (1, k, c, f)}, padding VALID or SAME,
   * no dilation) by a matrix product and a segment sum. With {@code dy} the output gradient, row
   * {@code (b, t)} of {@code dy * W^T} holds, for each tap {@code j}, the gradient of input
   * position {@code t * stride + j - padLeft} of sample {@code b}; an {@code UnsortedSegmentSum}
   * adds these rows into their positions (padding positions get negative ids, which it drops). Same
   * sums as TensorFlow's kernel in another order; measured on the IMDB convolution ((batch, 1, 100,
   * 50) * (1, 3, 50, 250), quiet machine, median of 25): 6.4 vs 8.2 ms at batch 256, 24.3 vs 30.8
   * ms at 1024. Skipped where TensorFlow has GPU kernels for the convolution's gradient.
   */
  private static void computeConv1DInputGradientsByMatMul(
      GraphSession g, Set<GraphOperation> path, Output<?>[] grads) {
    if (!CpuBuild.AVAILABLE) {
      return;
    }
    for (GraphOperation grad : convolutionGradients(path, 1, "Conv2DBackpropInput", grads)) {
      Output<?> replacement =
          grad.input(0).op().type().equals("Shape") ? conv1DInputGradient(g, grad) : null;
      if (replacement != null) {
        replace(g, grad.output(0), replacement, grads);
      }
    }
  }

  /** The matmul form of {@code grad}, or null when it is not a 1-D convolution's it handles. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Output<?> conv1DInputGradient(GraphSession g, GraphOperation grad) {
    var a = grad.attributes();
    long[] strides = a.getAttrIntList("strides");
    String padding = a.getAttrString("padding");
    long[] x = ((GraphOperation) grad.input(0).op()).input(0).shape().asArray();
    long[] w = grad.input(1).shape().asArray();
    long[] dy = grad.input(2).shape().asArray();
    if (!a.getAttrString("data_format").equals("NHWC")
        || !(padding.equals("VALID") || padding.equals("SAME"))
        || x == null
        || w == null
        || dy == null
        || x.length != 4
        || w.length != 4
        || dy.length != 4
        || x[1] != 1
        || w[0] != 1
        || dy[1] != 1
        || x[2] <= 0
        || x[3] <= 0
        || w[1] <= 0
        || w[2] != x[3]
        || w[3] <= 0
        || dy[2] <= 0
        || strides[0] != 1
        || strides[1] != 1
        || strides[3] != 1) {
      return null;
    }
    for (long d : a.getAttrIntList("dilations")) {
      if (d != 1) {
        return null;
      }
    }
    long steps = x[2];
    long c = x[3];
    long k = w[1];
    long f = w[3];
    long outSteps = dy[2];
    long stride = strides[2];
    long padLeft =
        padding.equals("SAME") ? Math.max((outSteps - 1) * stride + k - steps, 0) / 2 : 0;
    // pos[t * k + j]: the input position tap j of output step t reads, or a negative number (its
    // segment id stays negative for every sample) for a padding position.
    long[] pos = new long[Math.toIntExact(outSteps * k)];
    for (long t = 0; t < outSteps; t++) {
      for (long j = 0; j < k; j++) {
        long p = t * stride + j - padLeft;
        pos[(int) (t * k + j)] = p >= 0 && p < steps ? p : Long.MIN_VALUE / 2;
      }
    }
    Ops tf = g.tf().withSubScope(g.uniqueScope(grad.name().replace('/', '_') + "_matmul"));
    Operand dyRows = tf.reshape((Operand) grad.input(2), tf.constant(new long[] {-1, f}));
    Operand kernel = tf.reshape((Operand) grad.input(1), tf.constant(new long[] {k * c, f}));
    Operand taps =
        tf.reshape(
            tf.linalg.matMul(dyRows, kernel, MatMul.transposeB(true)),
            tf.constant(new long[] {-1, c}));
    Operand<TInt64> batch =
        tf.dtypes.cast(tf.gather(grad.input(0), tf.constant(0), tf.constant(0)), TInt64.class);
    Operand<TInt64> sampleStart =
        tf.reshape(
            tf.math.mul(tf.range(tf.constant(0L), batch, tf.constant(1L)), tf.constant(steps)),
            tf.constant(new long[] {-1, 1}));
    Operand<TInt64> segments =
        tf.reshape(
            tf.math.add(sampleStart, tf.constant(new long[][] {pos})),
            tf.constant(new long[] {-1}));
    Operand dx = tf.math.unsortedSegmentSum(taps, segments, tf.math.mul(batch, tf.constant(steps)));
    return tf.reshape(dx, (Operand) grad.input(0)).asOutput();
  }

  /**
   * Replaces {@code op} by oneDNN's kernel {@code type} for the same op: same inputs, {@code T} and
   * attributes {@code attrs}, and the kernel label that selects oneDNN's kernel.
   */
  private static void replaceByOneDnn(
      GraphSession g, GraphOperation op, String type, Output<?>[] grads, String... attrs) {
    String name = g.uniqueScope(op.name().replace('/', '_') + "_onednn");
    GraphOperationBuilder b = g.graph().opBuilder(type, name, g.tf().scope());
    for (int i = 0; i < op.numInputs(); i++) {
      b.addInput(op.input(i));
    }
    b.setAttr("T", op.attributes().getAttrType("T")).setAttr("_kernel", OneDnn.LABEL);
    for (String attr : attrs) {
      b.setAttr(attr, op.attributes().getAttrValueProto(attr));
    }
    replace(g, op.output(0), b.build().output(0), grads);
  }

  /**
   * Rewires every consumer of {@code old} but {@code by}'s own op (and its entry in {@code grads})
   * to {@code by}.
   */
  static void replace(GraphSession g, Output<?> old, Output<?> by, Output<?>[] grads) {
    GraphOperation op = (GraphOperation) old.op();
    for (GraphOperation consumer : op.consumers(old.index())) {
      if (consumer.equals(by.op())) {
        continue;
      }
      for (int i = 0; i < consumer.numInputs(); i++) {
        if (consumer.input(i).equals(old)) {
          updateEdge(g.graph(), by, consumer, i);
        }
      }
    }
    for (int i = 0; i < grads.length; i++) {
      if (old.equals(grads[i])) {
        grads[i] = by;
      }
    }
  }

  /**
   * oneDNN's kernels that jkeras selects by label on CPU builds: each flag says whether this
   * TensorFlow has the op with a CPU kernel of that label and no GPU kernels for gradients.
   */
  private static final class OneDnn {
    static final String LABEL = "MklNameChangeOp";
    static final String FILTER_GRADIENT = "_MklNativeConv2DBackpropFilter";
    static final String MATMUL = "_MklMatMul";
    static final boolean HAS_FILTER_GRADIENT = has(FILTER_GRADIENT);
    static final boolean HAS_MATMUL = has(MATMUL);

    private static boolean has(String op) {
      try {
        boolean cpuKernel = false;
        for (KernelDef k : kernels(op)) {
          cpuKernel |= k.getDeviceType().equals("CPU") && k.getLabel().equals(LABEL);
        }
        return cpuKernel && CpuBuild.AVAILABLE;
      } catch (RuntimeException | InvalidProtocolBufferException e) {
        return false;
      }
    }
  }

  /**
   * Whether this TensorFlow build has no GPU kernels for convolution gradients (the CPU builds),
   * where the rewrites for CPU kernels apply.
   */
  static final class CpuBuild {
    static final boolean AVAILABLE = check();

    private static boolean check() {
      try {
        for (String op : List.of("Conv2DBackpropFilter", "Conv2DBackpropInput")) {
          for (KernelDef k : kernels(op)) {
            if (k.getDeviceType().contains("GPU")) { // GPU, XLA_GPU_JIT; CPU, XLA_CPU_JIT are fine
              return false;
            }
          }
        }
        return true;
      } catch (RuntimeException | InvalidProtocolBufferException e) {
        return false;
      }
    }
  }

  /** The kernels TensorFlow has registered for {@code op}. */
  private static List<KernelDef> kernels(String op) throws InvalidProtocolBufferException {
    try (TF_Status status = TF_Status.newStatus()) {
      TF_Buffer buffer = tensorflow.TF_GetRegisteredKernelsForOp(op, status);
      if (tensorflow.TF_GetCode(status) != tensorflow.TF_OK || buffer == null) {
        return List.of();
      }
      try {
        return KernelList.parseFrom(buffer.data().capacity(buffer.length()).asByteBuffer())
            .getKernelList();
      } finally {
        tensorflow.TF_DeleteBuffer(buffer);
      }
    }
  }

  private static Output<?> identity(GraphSession g, Output<?> ref) {
    Ops tf = g.tf().withSubScope(g.uniqueScope(ref.op().name().replace('/', '_') + "_read"));
    return tf.identity(ref).asOutput();
  }

  private static boolean isReference(Output<?> out) {
    // Reference types are the DT_*_REF values, the plain type plus 100.
    return out.dataType().getNumber() > 100;
  }

  /** Op types with a reference-typed input (Assign, ApplyAdam...): these must keep the variable. */
  private static synchronized Set<String> refConsumingOps() {
    if (refConsumingOps == null) {
      Set<String> types = new HashSet<>();
      for (OpDef def : TensorFlow.registeredOpList().getOpList()) {
        for (OpDef.ArgDef arg : def.getInputArgList()) {
          if (arg.getIsRef()) {
            types.add(def.getName());
          }
        }
      }
      refConsumingOps = types;
    }
    return refConsumingOps;
  }

  static void updateEdge(Graph graph, Output<?> src, GraphOperation dst, int index) {
    try (TF_Output from = new TF_Output();
        TF_Input to = new TF_Input();
        TF_Status status = TF_Status.newStatus()) {
      from.oper(((GraphOperation) src.op()).getUnsafeNativeHandle()).index(src.index());
      to.oper(dst.getUnsafeNativeHandle()).index(index);
      tensorflow.TF_UpdateEdge(nativeGraph(graph), from, to, status);
      if (tensorflow.TF_GetCode(status) != tensorflow.TF_OK) {
        throw new IllegalStateException(
            "Cannot rewire input "
                + index
                + " of op \""
                + dst.name()
                + "\" to "
                + src.op().name()
                + ": "
                + tensorflow.TF_Message(status).getString());
      }
    }
  }

  /**
   * The C handle of {@code graph}: TensorFlow Java keeps it private, and the C API's {@code
   * TF_UpdateEdge} needs it.
   */
  private static TF_Graph nativeGraph(Graph graph) {
    try {
      Field handle = Graph.class.getDeclaredField("nativeHandle");
      handle.setAccessible(true);
      return (TF_Graph) handle.get(graph);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "Cannot reach the native graph of TensorFlow Java (expected version 1.1.0 on the class"
              + " path): "
              + e,
          e);
    }
  }

  /** The first op of the path, other than the {@code wrt} ops, whose type has no gradient. */
  private static GraphOperation firstWithoutGradient(Set<GraphOperation> path, Output<?>[] wrt) {
    Set<GraphOperation> sources = new HashSet<>();
    for (Output<?> x : wrt) {
      sources.add((GraphOperation) x.op());
    }
    for (GraphOperation op : path) {
      if (!sources.contains(op) && !tensorflow.TFJ_HasGradient(op.type())) {
        return op;
      }
    }
    return null;
  }
}
