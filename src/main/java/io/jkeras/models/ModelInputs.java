package io.jkeras.models;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.ndarray.Shape;

/**
 * The data given to a model's inputs, checked against them before it reaches the graph, and arrays
 * given by name (Keras's dicts) put in the order of the model's inputs or outputs.
 */
final class ModelInputs {

  private ModelInputs() {}

  /** Checks the number, sample shapes and sample counts of model inputs. */
  static void check(Model model, List<HostArray> xs) {
    List<KerasTensor> inputs = model.inputs();
    String name = model.name();
    if (xs.size() != inputs.size()) {
      throw new IllegalArgumentException(
          "Model \""
              + name
              + "\" expects "
              + inputs.size()
              + " inputs "
              + inputs.stream().map(t -> t.layer().name()).toList()
              + ", got "
              + xs.size());
    }
    for (int i = 0; i < xs.size(); i++) {
      Shape expected = inputs.get(i).shape();
      Shape actual = xs.get(i).shape();
      boolean ok = expected.numDimensions() == actual.numDimensions();
      for (int d = 1; ok && d < expected.numDimensions(); d++) {
        ok = expected.size(d) < 0 || expected.size(d) == actual.size(d);
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "Input \""
                + inputs.get(i).layer().name()
                + "\" of model \""
                + name
                + "\": expected shape "
                + KerasShape.format(expected)
                + ", got data of shape "
                + KerasShape.format(actual));
      }
      if (xs.get(i).count() != xs.get(0).count()) {
        throw new IllegalArgumentException(
            "Model \""
                + name
                + "\": all inputs need the same number of samples; input 0 has "
                + xs.get(0).count()
                + ", input "
                + i
                + " has "
                + xs.get(i).count());
      }
    }
  }

  /**
   * The arrays of {@code named} in the order of {@code names}, as Keras reads a dict: every name
   * must be present; other keys are ignored (a dict may carry features the model does not use).
   */
  static <T> List<T> byName(Model model, Map<String, T> named, List<String> names, String what) {
    List<T> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String n : names) {
      T value = named.get(n);
      if (value == null) {
        missing.add(n);
      }
      out.add(value);
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Model \""
              + model.name()
              + "\": "
              + what
              + " given by name lack "
              + missing
              + "; expected keys "
              + names
              + ", got "
              + new TreeSet<>(named.keySet()));
    }
    return out;
  }
}
