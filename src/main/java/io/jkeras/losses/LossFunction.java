package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
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

  private String name;
  private final String functionName;
  private String reduction = "sum_over_batch_size";

  /**
   * For subclasses: a loss named {@code name} (Keras's default name of the class, which is also the
   * loss function's) with reduction {@code "sum_over_batch_size"}.
   */
  protected LossFunction(String name) {
    this.name = name;
    this.functionName = name;
  }

  @Override
  public String name() {
    return name;
  }

  /** The Keras function: the class's default name, not changed by {@link #name(String)}. */
  @Override
  public String functionName() {
    return functionName;
  }

  @Override
  public String reduction() {
    return reduction == null ? "none" : reduction;
  }

  /**
   * Sets Keras's {@code reduction}, one of {@link LossReduction#NAMES}: "sum_over_batch_size"
   * (default), "mean", "mean_with_sample_weight", "sum" or "none"; null is Keras's {@code None} (as
   * "none", and written back as null).
   *
   * <pre>{@code Loss perSample = new MeanSquaredError().reduction("none");}</pre>
   */
  public LossFunction reduction(String reduction) {
    this.reduction = reduction == null ? null : LossReduction.check(className(), reduction);
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
    ConfigReader keys = ConfigReader.of(loss.className(), config);
    allowed.forEach(keys::ignore);
    keys.rejectUnknownKeys();
    LossFunction base = loss;
    base.name = ConfigReader.of(loss.className(), config).string("name", base.name);
    Object reduction = config.get("reduction");
    if (config.containsKey("reduction") && !"auto".equals(reduction)) {
      if (reduction != null
          && !(reduction instanceof String s && LossReduction.NAMES.contains(s))) {
        throw ConfigReader.of(loss.className(), java.util.Map.of())
            .wrongValue("reduction", LossReduction.NAMES + " or null", reduction);
      }
      base.reduction((String) reduction);
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
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "true or false", v);
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
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "a whole number", v);
    }
    return n.intValue();
  }
}
