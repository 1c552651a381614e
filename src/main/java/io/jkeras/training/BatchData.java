package io.jkeras.training;

import io.jkeras.backend.HostArray;
import io.jkeras.models.ModelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inputs, labels and sample weights in model order, all with the same number of samples: the whole
 * of an array data set, or one streamed batch. {@code weights} is null when no sample or class
 * weights apply.
 */
record BatchData(List<HostArray> x, List<HostArray> y, List<HostArray> weights) {

  int count() {
    return x.get(0).count();
  }

  /** Checks the arrays against the model and resolves the sample weights. */
  static BatchData of(
      ModelRuntime runtime,
      List<HostArray> x,
      List<HostArray> y,
      SampleWeightSpec sampleWeight,
      String where) {
    runtime.checkInputs(x);
    int n = x.get(0).count();
    for (HostArray label : y) {
      if (label.count() != n) {
        throw new IllegalArgumentException(
            where + ": " + n + " input samples but " + label.count() + " labels");
      }
    }
    List<HostArray> weights = sampleWeight.resolve(runtime, y.size(), where);
    if (weights != null) {
      for (HostArray w : weights) {
        if (w.count() != n) {
          throw new IllegalArgumentException(
              where + ": " + n + " input samples but " + w.count() + " sample weights");
        }
      }
    }
    return new BatchData(List.copyOf(x), List.copyOf(y), weights);
  }

  /**
   * These data with Keras's {@code class_weight} turned into sample weights (single-output models
   * only): each sample weighs its class's weight, 1 for classes not listed; the class is the label
   * (rounded), or its argmax for one-hot labels.
   */
  BatchData withClassWeight(Map<Integer, Double> classWeight, String where) {
    if (classWeight == null) {
      return this;
    }
    if (weights != null) {
      throw new IllegalArgumentException(
          where + ": class_weight and sample_weight cannot be given at the same time");
    }
    if (y.size() != 1) {
      throw new IllegalArgumentException(
          where + ": class_weight is only supported for models with a single output");
    }
    HostArray labels = y.get(0);
    if (labels.shape().numDimensions() > 2) {
      throw new IllegalArgumentException(
          where
              + ": class_weight needs labels of shape (batch,) or (batch, classes), got "
              + labels.shape());
    }
    int n = labels.count();
    long perSample = labels.count() == 0 ? 0 : labels.shape().size() / n;
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      int cls;
      if (perSample == 1) {
        cls = (int) Math.rint(labels.valueAt(i));
      } else {
        cls = 0;
        double best = labels.valueAt((long) i * perSample);
        for (int c = 1; c < perSample; c++) {
          double v = labels.valueAt((long) i * perSample + c);
          if (v > best) {
            best = v;
            cls = c;
          }
        }
      }
      w[i] = classWeight.getOrDefault(cls, 1.0).floatValue();
    }
    List<HostArray> ws = new ArrayList<>();
    ws.add(HostArray.of(w));
    return new BatchData(x, y, ws);
  }
}
