package io.jkeras.layers;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keras's automatic names: a class name in snake case, made unique with a process-wide counter
 * ({@code dense}, {@code dense_1}, ...), as Keras names layers and models. {@link #reset()} starts
 * the counters again, as Keras's {@code clear_session()} does.
 *
 * <pre>{@code
 * KerasNames.toSnakeCase("GlobalAveragePooling1D");    // "global_average_pooling1d"
 * KerasNames.unique("dense");                           // "dense", then "dense_1", ...
 * }</pre>
 */
public final class KerasNames {

  private static final Pattern NON_WORD = Pattern.compile("\\W+");
  private static final Pattern CAPITALIZED_WORD = Pattern.compile("(.)([A-Z][a-z]+)");
  private static final Pattern LOWER_UPPER = Pattern.compile("([a-z])([A-Z])");
  private static final Map<String, Integer> COUNTERS = new HashMap<>();

  private KerasNames() {}

  /**
   * Keras's {@code to_snake_case}: {@code FMLayer -> fm_layer}, {@code GlobalMaxPooling1D ->
   * global_max_pooling1d}, {@code Conv1D -> conv1d}. It also names the groups of weight files.
   */
  public static String toSnakeCase(String className) {
    String s = NON_WORD.matcher(className).replaceAll("");
    s = CAPITALIZED_WORD.matcher(s).replaceAll("$1_$2");
    s = LOWER_UPPER.matcher(s).replaceAll("$1_$2");
    return s.toLowerCase(Locale.ROOT);
  }

  /** The next unique name for {@code prefix}: the prefix itself, then {@code prefix_1}, ... */
  public static synchronized String unique(String prefix) {
    int uid = COUNTERS.merge(prefix, 1, Integer::sum);
    return uid == 1 ? prefix : prefix + "_" + (uid - 1);
  }

  /** Forgets every counter, like Keras's {@code keras.utils.clear_session()}. */
  public static synchronized void reset() {
    COUNTERS.clear();
  }
}
