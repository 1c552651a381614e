package io.jkeras.optimizers.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.config.KerasClass;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.Optimizers;
import io.jkeras.optimizers.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Schedules found by the class catalog, written and read back in optimizer configs. */
class LearningRateSchedulesTest {

  /** A user's schedule with a registered name, as Python's register_keras_serializable writes. */
  @KerasClass(registeredName = "MyTeam>Constant")
  public static final class Constant implements LearningRateSchedule {
    private final double value;

    public Constant(double value) {
      this.value = value;
    }

    @Override
    public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
      return tf.constant((float) value);
    }

    @Override
    public Map<String, Object> getConfig() {
      return Map.of("value", value);
    }

    @Override
    public String className() {
      return "Constant";
    }

    public static Constant fromConfig(Map<String, Object> config) {
      return new Constant(((Number) config.get("value")).doubleValue());
    }
  }

  @Test
  void builtInsAreFoundWithoutAList() {
    assertEquals(
        List.of(
            "CosineDecay",
            "CosineDecayRestarts",
            "ExponentialDecay",
            "InverseTimeDecay",
            "PiecewiseConstantDecay",
            "PolynomialDecay"),
        LearningRateSchedules.names().stream().filter(n -> !n.contains(">")).toList());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LearningRateSchedules.deserialize(Map.of("class_name", "Exponential")));
    assertTrue(e.getMessage().contains("ExponentialDecay"), e.getMessage());
  }

  @Test
  void builtInRoundTripsThroughAnOptimizerConfig() {
    Optimizer sgd = new SGD(0.1).learningRate(new InverseTimeDecay(0.1, 2, 0.5, true));
    Map<String, Object> config = sgd.getConfig();
    @SuppressWarnings("unchecked")
    Map<String, Object> lr = (Map<String, Object>) config.get("learning_rate");
    assertEquals("keras.optimizers.schedules", lr.get("module"));
    assertNull(lr.get("registered_name"));
    Optimizer back = Optimizers.fromConfig("SGD", config);
    assertInstanceOf(InverseTimeDecay.class, back.learningRateSchedule());
    assertEquals(lr.get("config"), back.learningRateSchedule().getConfig());
  }

  @Test
  void userScheduleIsWrittenAndReadByItsRegisteredName() {
    LearningRateSchedules.register(Constant.class);
    Map<String, Object> written = LearningRateSchedules.serialize(new Constant(0.25));
    assertEquals("MyTeam>Constant", written.get("registered_name"));
    assertEquals("Constant", written.get("class_name"));
    LearningRateSchedule back = LearningRateSchedules.deserialize(written);
    assertInstanceOf(Constant.class, back);
    assertEquals(Map.of("value", 0.25), back.getConfig());
  }
}
