package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * The layer behind {@link Input}: it has no weights and no call; it only holds the model input's
 * batch shape and dtype. A functional model's inputs are the outputs of its input layers.
 *
 * <pre>{@code
 * KerasTensor tokens = Input.of("int32", 100); // an InputLayer named "input_layer"
 * }</pre>
 */
public final class InputLayer extends Layer {

  private final Shape batchShape;
  private final String inputDtype;
  private final KerasTensor output;

  /** An input layer for samples of shape {@code batchShape} (batch first, -1 for unknown). */
  public InputLayer(Shape batchShape, String dtype, String name) {
    super(name == null ? KerasNames.unique("input_layer") : name);
    DTypes.tfType(dtype);
    if (batchShape.isUnknown() || batchShape.numDimensions() < 1) {
      throw new IllegalArgumentException(
          "InputLayer \"" + name() + "\": expected a batch shape of rank >= 1, got "
              + batchShape);
    }
    for (int i = 1; i < batchShape.numDimensions(); i++) {
      if (batchShape.size(i) == 0 || batchShape.size(i) < Shape.UNKNOWN_SIZE) {
        throw new IllegalArgumentException(
            "InputLayer \"" + name() + "\": dimension " + i + " must be positive or None, got "
                + KerasShape.format(batchShape));
      }
    }
    this.batchShape = batchShape;
    this.inputDtype = dtype;
    markBuilt(List.of(batchShape));
    this.output = new KerasTensor(batchShape, dtype, this, 0, 0);
    registerInputNode(output);
  }

  private void registerInputNode(KerasTensor out) {
    // An input layer's single node has no inputs and one output: the model input.
    addInboundNode(new Node(this, List.of(), List.of(out)));
  }

  /** The model input this layer produces. */
  public KerasTensor output() {
    return output;
  }

  public Shape batchShape() {
    return batchShape;
  }

  @Override
  public String dtype() {
    return inputDtype;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return batchShape;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("batch_shape", KerasShape.toConfig(batchShape));
    config.put("dtype", inputDtype);
    config.put("sparse", false);
    config.put("ragged", false);
    config.put("name", name());
    config.put("optional", false);
    return config;
  }
}
