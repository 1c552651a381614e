package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
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
          "InputLayer \"" + name() + "\": expected a batch shape of rank >= 1, got " + batchShape);
    }
    for (int i = 1; i < batchShape.numDimensions(); i++) {
      if (batchShape.size(i) == 0 || batchShape.size(i) < Shape.UNKNOWN_SIZE) {
        throw new IllegalArgumentException(
            "InputLayer \""
                + name()
                + "\": dimension "
                + i
                + " must be positive or None, got "
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
    addInboundNode(new Node(this, List.of(), java.util.Map.of(), List.of(out)));
  }

  /**
   * An input layer from its Keras config: Keras 3's {@code batch_shape} (or {@code shape} and
   * {@code batch_size}), Keras 2's {@code batch_input_shape}, and {@code dtype}. Sparse, ragged and
   * optional inputs are not supported.
   */
  public static InputLayer fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("InputLayer", config);
    String name = c.name();
    List<Long> dims = c.optionalDims("batch_shape");
    List<Long> legacy = c.optionalDims("batch_input_shape");
    List<Long> sample = c.optionalDims("shape");
    Long batch = c.optionalLong("batch_size");
    if (dims == null) {
      dims = legacy;
    }
    if (dims == null && sample != null) {
      List<Long> withBatch = new java.util.ArrayList<>();
      withBatch.add(batch);
      withBatch.addAll(sample);
      dims = withBatch;
    }
    if (dims == null) {
      throw c.fail(
          "batch_shape", "missing (expected \"batch_shape\", \"batch_input_shape\" or \"shape\")");
    }
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      Long d = dims.get(i);
      shape[i] = d == null ? Shape.UNKNOWN_SIZE : d;
    }
    Object dtypeValue = c.raw("dtype");
    String dtype = "float32";
    if (dtypeValue instanceof String s) {
      dtype = s;
    } else if (dtypeValue instanceof Map<?, ?> m
        && m.get("config") instanceof Map<?, ?> inner
        && inner.get("name") instanceof String s) {
      dtype = s;
    } else if (dtypeValue != null) {
      throw c.wrongValue("dtype", "a dtype name", dtypeValue);
    }
    c.requireDefault("sparse", false, "sparse input");
    c.requireDefault("ragged", false, "ragged input");
    c.requireDefault("optional", false, "optional input");
    c.requireDefault("input_tensor", null, "an input tensor");
    c.rejectUnknownKeys();
    return new InputLayer(Shape.of(shape), dtype, name);
  }

  /** The model input this layer produces. */
  public KerasTensor output() {
    return output;
  }

  /** The input's shape including the batch axis (usually unknown, -1). */
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
