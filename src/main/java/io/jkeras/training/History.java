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
   * The series logged as {@code name}, one value per epoch (Keras's {@code history.history[name]}).
   *
   * <pre>{@code
   * List<Double> losses = history.get("val_loss");
   * }</pre>
   *
   * @param name a log name such as {@code "loss"} or {@code "val_auc"}
   * @return the values, first epoch first
   * @throws IllegalArgumentException naming the logged series when {@code name} is not one
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

  /**
   * The epochs that ran (from 0), as Keras's {@code history.epoch}.
   *
   * <pre>{@code
   * int ran = history.epochs().size();
   * }</pre>
   *
   * @return the epoch numbers
   */
  public List<Integer> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /**
   * How long each epoch took, validation included.
   *
   * <pre>{@code
   * double first = history.epochSeconds().get(0);
   * }</pre>
   *
   * @return seconds per epoch
   */
  public List<Double> epochSeconds() {
    return Collections.unmodifiableList(epochSeconds);
  }
}
