package io.jkeras.losses;

import io.jkeras.ConfigValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of losses with Keras's {@code name} and {@code reduction} arguments: their config starts
 * with those two keys, then the subclass's ({@link #addConfig}).
 *
 * <pre>{@code
 * Loss huber = new Huber(0.5).reduction("sum");
 * }</pre>
 */
public abstract class LossFunction implements Loss {

  private static final List<String> REDUCTIONS =
      List.of("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight");

  private String name;
  private String reduction = "sum_over_batch_size";

  protected LossFunction(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String reduction() {
    return reduction;
  }

  /** Sets Keras's {@code reduction}: "sum_over_batch_size" (default), "mean" or "sum". */
  public LossFunction reduction(String reduction) {
    if (!REDUCTIONS.contains(reduction)) {
      throw new IllegalArgumentException(
          className()
              + ": reduction must be one of "
              + REDUCTIONS
              + " (\"none\" cannot train), got \""
              + reduction
              + "\"");
    }
    this.reduction = reduction;
    return this;
  }

  /** Sets Keras's {@code name} of the loss. */
  public LossFunction name(String name) {
    this.name = name;
    return this;
  }

  /** The subclass's config keys, after name and reduction. */
  protected void addConfig(Map<String, Object> config) {}

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("reduction", reduction);
    addConfig(c);
    return c;
  }

  @Override
  public String className() {
    return getClass().getSimpleName();
  }

  /**
   * Reads {@code name}, {@code reduction} (and ignores {@code dtype}) into {@code loss}, refusing
   * keys other than those and {@code own}. For subclasses' {@code fromConfig}.
   */
  protected static <L extends LossFunction> L withBase(
      L loss, Map<String, Object> config, List<String> own) {
    List<String> allowed = new ArrayList<>(List.of("name", "reduction", "dtype"));
    allowed.addAll(own);
    ConfigValues.checkKeys(loss.className(), config, allowed);
    LossFunction base = loss;
    base.name = ConfigValues.string(loss.className(), config, "name", base.name);
    Object reduction = config.get("reduction");
    if (reduction != null && !reduction.equals("auto")) {
      try {
        base.reduction(ConfigValues.string(loss.className(), config, "reduction", null));
      } catch (IllegalArgumentException e) {
        throw ConfigValues.invalid(loss.className(), "reduction", reduction, REDUCTIONS.toString());
      }
    }
    return loss;
  }

  /** A boolean config value. */
  protected static boolean bool(
      String cls, Map<String, Object> config, String key, boolean fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw ConfigValues.invalid(cls, key, v, "true or false");
    }
    return b;
  }

  /** An integer config value (an axis). */
  protected static int integer(String cls, Map<String, Object> config, String key, int fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw ConfigValues.invalid(cls, key, v, "a whole number");
    }
    return n.intValue();
  }
}
