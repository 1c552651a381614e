package io.jkeras.training;

import io.jkeras.callbacks.Callback;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code fit} returns, as Keras's {@code History}: for each logged name ({@code loss}, {@code
 * accuracy}, {@code val_loss}...), its value at the end of each epoch, plus each epoch's wall time
 * in seconds (training and validation).
 *
 * <pre>{@code
 * History h = model.fit(x, y, FitOptions.epochs(2));
 * double last = h.last("val_accuracy");
 * }</pre>
 */
public final class History implements Callback {

  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private final List<Double> epochSeconds = new ArrayList<>();
  private final List<Integer> epochs = new ArrayList<>();
  private long epochStart;

  @Override
  public void onEpochBegin(int epoch) {
    epochStart = System.nanoTime();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
    epochSeconds.add((System.nanoTime() - epochStart) / 1e9);
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
    }
  }

  /** Every logged series, by name. */
  public Map<String, List<Double>> history() {
    return Collections.unmodifiableMap(values);
  }

  /**
   * The per-epoch values logged under {@code name} ({@code "loss"}, {@code "val_accuracy"}...).
   *
   * @throws IllegalArgumentException if nothing was logged under that name; the message lists the
   *     names that were
   */
  public List<Double> get(String name) {
    List<Double> v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "History has no \"" + name + "\"; it has " + values.keySet());
    }
    return Collections.unmodifiableList(v);
  }

  /** The value of {@code name} after the last epoch. */
  public double last(String name) {
    List<Double> v = get(name);
    return v.get(v.size() - 1);
  }

  /** The epoch numbers recorded, from 0 (from {@code initialEpoch} when training resumed). */
  public List<Integer> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** Each epoch's wall time in seconds, training and validation included. */
  public List<Double> epochSeconds() {
    return Collections.unmodifiableList(epochSeconds);
  }
}
