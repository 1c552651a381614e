package io.jkeras.callbacks;

import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;

/**
 * The monitored value of {@link EarlyStopping}, {@link ModelCheckpoint} and {@link
 * ReduceLROnPlateau}, as Keras's {@code MonitorCallback} decides improvements: mode {@code "min"}
 * or {@code "max"}, or {@code "auto"}, which minimizes a loss ({@code loss}, {@code val_loss}) and
 * otherwise follows the direction of the compiled metric of that name ({@code val_} removed),
 * decided when the first epoch ends. An improvement must beat the reference by more than {@code
 * minDelta}.
 */
final class Monitor {

  private final String owner;
  private final String name;
  private final String mode;
  private final double minDelta;
  private Boolean maximize;

  Monitor(String owner, String name, String mode, double minDelta) {
    if (!mode.equals("auto") && !mode.equals("min") && !mode.equals("max")) {
      throw new IllegalArgumentException(
          owner + ": mode must be one of [auto, min, max], got \"" + mode + "\"");
    }
    this.owner = owner;
    this.name = name;
    this.mode = mode;
    this.minDelta = Math.abs(minDelta);
  }

  String name() {
    return name;
  }

  /** Decides the direction (once): from the mode, or in mode "auto" from the model's metrics. */
  void resolve(Model model) {
    if (maximize != null) {
      return;
    }
    if (!mode.equals("auto")) {
      maximize = mode.equals("max");
      return;
    }
    String metric = name.startsWith("val_") ? name.substring(4) : name;
    if (metric.equals("loss")) {
      maximize = false;
      return;
    }
    String direction = ModelRuntime.of(model).metricDirection(metric);
    if (direction == null) {
      throw new IllegalStateException(
          owner
              + ": monitor \""
              + name
              + "\" is not a compiled metric whose direction is known, so mode \"auto\" cannot"
              + " tell whether it should be maximized or minimized; give mode \"max\" or \"min\"");
    }
    maximize = direction.equals("up");
  }

  /** Whether {@code current} improves on {@code reference} (any value improves on null). */
  boolean isImprovement(double current, Double reference) {
    if (reference == null) {
      return true;
    }
    return maximize ? current - minDelta > reference : current + minDelta < reference;
  }
}
