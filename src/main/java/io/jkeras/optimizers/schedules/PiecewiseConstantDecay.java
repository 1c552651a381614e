package io.jkeras.optimizers.schedules;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code values[0]} up to and including step {@code boundaries[0]}, {@code values[i]} for steps in
 * {@code (boundaries[i-1], boundaries[i]]}, and the last value after the last boundary, as Keras's
 * PiecewiseConstantDecay.
 *
 * <pre>{@code
 * new SGD().learningRate(new PiecewiseConstantDecay(List.of(100.0, 200.0), List.of(0.1, 0.05, 0.01)));
 * }</pre>
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {

  private final List<Double> boundaries;
  private final List<Double> values;
  private final String name;

  /**
   * Constant rates between step boundaries, named {@code "PiecewiseConstant"} as Keras names it.
   *
   * @param boundaries the steps where the rate changes, increasing
   * @param values the rates, one more than boundaries
   * @throws IllegalArgumentException if the sizes do not match
   */
  public PiecewiseConstantDecay(List<Double> boundaries, List<Double> values) {
    this(boundaries, values, "PiecewiseConstant");
  }

  /**
   * Constant rates between step boundaries, with a config name.
   *
   * @param boundaries the steps where the rate changes, increasing
   * @param values the rates, one more than boundaries
   * @param name the {@code name} written in the config
   * @throws IllegalArgumentException if the sizes do not match
   */
  public PiecewiseConstantDecay(List<Double> boundaries, List<Double> values, String name) {
    if (boundaries.isEmpty() || boundaries.size() != values.size() - 1) {
      throw new IllegalArgumentException(
          "PiecewiseConstantDecay: expected one value more than boundaries (at least one), got "
              + boundaries
              + " and "
              + values);
    }
    this.boundaries = List.copyOf(boundaries);
    this.values = List.copyOf(values);
    this.name = name;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> result =
        tf.math.mul(
            tf.dtypes.cast(
                tf.math.lessEqual(step, tf.constant(boundaries.get(0).floatValue())),
                TFloat32.class),
            tf.constant(values.get(0).floatValue()));
    result =
        tf.math.add(
            result,
            tf.math.mul(
                tf.dtypes.cast(
                    tf.math.greater(
                        step, tf.constant(boundaries.get(boundaries.size() - 1).floatValue())),
                    TFloat32.class),
                tf.constant(values.get(values.size() - 1).floatValue())));
    for (int i = 0; i + 1 < boundaries.size(); i++) {
      Operand<TFloat32> inRange =
          tf.dtypes.cast(
              tf.math.logicalAnd(
                  tf.math.greater(step, tf.constant(boundaries.get(i).floatValue())),
                  tf.math.lessEqual(step, tf.constant(boundaries.get(i + 1).floatValue()))),
              TFloat32.class);
      result =
          tf.math.add(result, tf.math.mul(inRange, tf.constant(values.get(i + 1).floatValue())));
    }
    return result;
  }

  @Override
  public String className() {
    return "PiecewiseConstantDecay";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("boundaries", boundaries.stream().map(ScheduleConfig::number).toList());
    c.put("values", values);
    c.put("name", name);
    return c;
  }

  /** From a Keras config. */
  public static PiecewiseConstantDecay fromConfig(Map<String, Object> config) {
    String cls = "PiecewiseConstantDecay";
    ScheduleConfig.check(cls, config, List.of("boundaries", "values", "name"));
    return new PiecewiseConstantDecay(
        numbers(cls, config, "boundaries"),
        numbers(cls, config, "values"),
        ConfigReader.of(cls, config).string("name", "PiecewiseConstant"));
  }

  private static List<Double> numbers(String cls, Map<String, Object> config, String key) {
    Object v = config.get(key);
    if (!(v instanceof List<?> list)) {
      throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "a list of numbers", v);
    }
    List<Double> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Number n)) {
        throw ConfigReader.of(cls, java.util.Map.of()).wrongValue(key, "a list of numbers", v);
      }
      out.add(n.doubleValue());
    }
    return out;
  }
}
