package io.jkeras.training;

import io.jkeras.backend.HostArray;
import io.jkeras.models.ModelRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Sample weights as a user gave them (none, one array for every output, one per output, or by
 * output name), resolved against a model into one array (or null) per output as Keras's data
 * adapters do: a single array for a multi-output model is repeated for each output and must hold
 * one weight per sample.
 */
final class SampleWeightSpec {

  static final SampleWeightSpec NONE = new SampleWeightSpec(null, null, null);

  private final HostArray shared;
  private final List<HostArray> perOutput;
  private final Map<String, HostArray> named;

  private SampleWeightSpec(
      HostArray shared, List<HostArray> perOutput, Map<String, HostArray> named) {
    this.shared = shared;
    this.perOutput = perOutput;
    this.named = named;
  }

  static SampleWeightSpec shared(HostArray weights) {
    return new SampleWeightSpec(weights, null, null);
  }

  static SampleWeightSpec perOutput(List<HostArray> weights) {
    return new SampleWeightSpec(null, List.copyOf(weights), null);
  }

  static SampleWeightSpec named(Map<String, HostArray> weights) {
    return new SampleWeightSpec(null, null, Map.copyOf(weights));
  }

  boolean isNone() {
    return shared == null && perOutput == null && named == null;
  }

  /** One weight array (or null) per output; null when no weights were given. */
  List<HostArray> resolve(ModelRuntime runtime, int outputs, String where) {
    if (shared != null) {
      int rank = shared.shape().numDimensions();
      boolean samplewise = rank == 1 || (rank == 2 && shared.shape().size(1) == 1);
      if (outputs > 1 && !samplewise) {
        throw new IllegalArgumentException(
            where
                + ": a single sample_weight array for a model with "
                + outputs
                + " outputs must hold one weight per sample (shape (batch,)), got shape "
                + shared.shape()
                + "; give one array per output instead");
      }
      return Collections.nCopies(outputs, shared);
    }
    if (perOutput != null) {
      if (perOutput.size() != outputs) {
        throw new IllegalArgumentException(
            where
                + ": expected one sample_weight array per output ("
                + outputs
                + "), got "
                + perOutput.size());
      }
      return perOutput;
    }
    if (named != null) {
      return new ArrayList<>(runtime.outputsByName(named, where + " sample weights"));
    }
    return null;
  }
}
