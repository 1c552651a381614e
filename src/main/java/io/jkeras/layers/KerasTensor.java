package io.jkeras.layers;

import org.tensorflow.ndarray.Shape;

/**
 * A symbolic tensor of the functional API: the shape and dtype of a value that does not exist yet,
 * and where it comes from (the layer, which call of it, which output: Keras's {@code
 * keras_history}). Made by {@link Input} and by {@link Layer#apply(KerasTensor)}.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(250);
 * KerasTensor y = new Dense(10).apply(x); // shape (None, 10)
 * }</pre>
 */
public final class KerasTensor {

  private final Shape shape;
  private final String dtype;
  private final Layer layer;
  private final int nodeIndex;
  private final int tensorIndex;

  KerasTensor(Shape shape, String dtype, Layer layer, int nodeIndex, int tensorIndex) {
    this.shape = shape;
    this.dtype = dtype;
    this.layer = layer;
    this.nodeIndex = nodeIndex;
    this.tensorIndex = tensorIndex;
  }

  /** The shape, batch first, {@link Shape#UNKNOWN_SIZE} for the batch. */
  public Shape shape() {
    return shape;
  }

  /** The Keras dtype name: {@code "float32"}, {@code "int32"}, ... */
  public String dtype() {
    return dtype;
  }

  /** The layer whose call produced this tensor. */
  public Layer layer() {
    return layer;
  }

  /** Which call of {@link #layer()} produced it (index into its inbound nodes). */
  public int nodeIndex() {
    return nodeIndex;
  }

  /** Which output of that call it is. */
  public int tensorIndex() {
    return tensorIndex;
  }

  /** The call that produced this tensor. */
  public Node node() {
    return layer.inboundNodes().get(nodeIndex);
  }

  @Override
  public String toString() {
    return "<KerasTensor shape="
        + KerasShape.format(shape)
        + ", dtype="
        + dtype
        + ", from="
        + layer.name()
        + "["
        + nodeIndex
        + "]["
        + tensorIndex
        + "]>";
  }
}
