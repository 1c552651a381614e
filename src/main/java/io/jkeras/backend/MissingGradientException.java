package io.jkeras.backend;

/**
 * Thrown when training needs the gradient of an op that neither TensorFlow nor jkeras can
 * differentiate. The message names the op, its type and the layer that emitted it.
 *
 * <pre>{@code
 * try {
 *   model.fit(x, y, FitOptions.epochs(1));
 * } catch (MissingGradientException e) {
 *   System.err.println(e.opType() + " in layer " + e.layer()); // e.g. "Bucketize in layer my_layer"
 * }
 * }</pre>
 */
public final class MissingGradientException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String opType;
  private final String opName;
  private final String layer;

  /**
   * Creates the exception for op {@code opName} of type {@code opType}, emitted in the graph scope
   * of {@code layer} (null when no layer scope contains it); {@code cause} is TensorFlow's error.
   */
  public MissingGradientException(String opType, String opName, String layer, Throwable cause) {
    super(
        (layer == null ? "" : "Layer \"" + layer + "\": ")
            + "op \""
            + opName
            + "\" of type "
            + opType
            + " has no gradient in TensorFlow Java 1.1.0, so weights before it cannot be trained;"
            + " express it with differentiable ops, or wrap it in tf.stopGradient if no gradient"
            + " should flow through it",
        cause);
    this.opType = opType;
    this.opName = opName;
    this.layer = layer;
  }

  /** The TensorFlow op type without a gradient, for example {@code "Bucketize"}. */
  public String opType() {
    return opType;
  }

  /** The op's name in the graph, for example {@code "my_layer/Bucketize"}. */
  public String opName() {
    return opName;
  }

  /** The graph scope of the layer that emitted the op, or null when it is not in a layer scope. */
  public String layer() {
    return layer;
  }
}
