package io.jkeras.models;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Input;
import io.jkeras.layers.InputLayer;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * A plain stack of single-input, single-output layers, as Keras's {@code keras.Sequential}. It is
 * built as soon as its input shape is known: from an {@link Input} added first, from {@link
 * #build}, or from the first data given to {@code predict}/{@code fit}.
 *
 * <pre>{@code
 * try (Sequential model = new Sequential()) {
 *   model.add(Input.of(3));
 *   model.add(new Dense(5));
 *   model.add(new Dense(1, "sigmoid"));
 *   model.summary();
 * }
 * }</pre>
 */
public class Sequential extends Model {

  private final List<Layer> stack = new ArrayList<>();
  private KerasTensor input;
  private KerasTensor output;

  /**
   * An empty Sequential model with an automatic name ({@code "sequential"}, {@code
   * "sequential_1"}...).
   */
  public Sequential() {
    this((String) null);
  }

  /** An empty Sequential model named {@code name} (null for an automatic name). */
  public Sequential(String name) {
    super(name, "sequential");
  }

  /** A stack of these layers; an {@link InputLayer} first fixes the input shape. */
  public Sequential(Layer... layers) {
    this((String) null);
    for (Layer l : layers) {
      add(l);
    }
  }

  @Override
  public String className() {
    return "Sequential";
  }

  /** Sets the input, as Keras's {@code model.add(keras.Input(shape))}. Only as the first entry. */
  public Sequential add(KerasTensor modelInput) {
    if (!(modelInput.layer() instanceof InputLayer)) {
      throw new IllegalArgumentException(
          "Sequential \""
              + name()
              + "\": only an Input.of(...) tensor can be added, got one made"
              + " by layer \""
              + modelInput.layer().name()
              + "\"");
    }
    if (input != null || !stack.isEmpty()) {
      throw new IllegalArgumentException(
          "Sequential \"" + name() + "\": an input can only be added first");
    }
    input = modelInput;
    output = modelInput;
    return this;
  }

  /** Appends a layer; once the input shape is known, the layer is called right away. */
  public Sequential add(Layer layer) {
    if (layer instanceof InputLayer) {
      return add(((InputLayer) layer).output());
    }
    for (Layer l : stack) {
      if (l.name().equals(layer.name())) {
        throw new IllegalArgumentException(
            "Sequential \""
                + name()
                + "\" already has a layer named \""
                + layer.name()
                + "\"; all layer names should be unique");
      }
    }
    if (output != null) {
      KerasTensor next = layer.apply(output);
      stack.add(layer);
      output = next;
      setStructure(List.of(input), List.of(output));
    } else {
      stack.add(layer);
    }
    return this;
  }

  /** Builds the model for samples of this shape (without the batch), float32 input. */
  public Sequential build(long... sampleShape) {
    return build("float32", sampleShape);
  }

  /** Builds the model for samples of this shape and dtype. */
  public Sequential build(String dtype, long... sampleShape) {
    if (input != null) {
      Shape expected = input.shape();
      Shape given = KerasShape.batchOf(sampleShape);
      if (!java.util.Arrays.equals(expected.asArray(), given.asArray())) {
        throw new IllegalArgumentException(
            "Sequential \""
                + name()
                + "\" is built for input shape "
                + KerasShape.format(expected)
                + ", got "
                + KerasShape.format(given));
      }
      return this;
    }
    List<Layer> pending = new ArrayList<>(stack);
    stack.clear();
    add(Input.of(dtype, sampleShape));
    for (Layer l : pending) {
      add(l);
    }
    return this;
  }

  @Override
  protected void requireStructure() {
    if (!hasStructure()) {
      throw new IllegalStateException(
          "Sequential \""
              + name()
              + "\" is not built yet: add an Input first, call build(shape),"
              + " or give it data");
    }
  }

  @Override
  protected void requireStructureFor(List<HostArray> xs) {
    if (!hasStructure() && xs.size() == 1 && !stack.isEmpty()) {
      HostArray x = xs.get(0);
      String dtype = x.dtype().equals("float32") ? "float32" : "int32";
      build(dtype, x.sampleShape().asArray());
    }
    requireStructure();
  }

  /** The layers, without the input layer (as Keras's {@code Sequential.layers}). */
  @Override
  public List<Layer> layers() {
    if (!hasStructure()) {
      return List.copyOf(stack);
    }
    return super.layers().stream().filter(l -> !(l instanceof InputLayer)).toList();
  }

  /** The input layer, or null before the input shape is known. */
  public InputLayer inputLayer() {
    return input == null ? null : (InputLayer) input.layer();
  }
}
