package io.jkeras.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

class SessionOptionsTest {

  @Test
  void defaultsAreTensorFlowsWithSoftPlacement() {
    ConfigProto p = SessionOptions.builder().build().toConfigProto();
    assertEquals(0, p.getIntraOpParallelismThreads());
    assertEquals(0, p.getInterOpParallelismThreads());
    assertTrue(p.getAllowSoftPlacement());
    assertFalse(p.getLogDevicePlacement());
    assertEquals(0, p.getOperationTimeoutInMs());
  }

  @Test
  void everyOptionReachesTheConfigProto() {
    SessionOptions o =
        SessionOptions.builder()
            .intraOpThreads(3)
            .interOpThreads(2)
            .allowSoftPlacement(false)
            .logDevicePlacement(true)
            .operationTimeoutMillis(1500)
            .device("/CPU:0")
            .build();
    ConfigProto p = o.toConfigProto();
    assertEquals(3, p.getIntraOpParallelismThreads());
    assertEquals(2, p.getInterOpParallelismThreads());
    assertFalse(p.getAllowSoftPlacement());
    assertTrue(p.getLogDevicePlacement());
    assertEquals(1500, p.getOperationTimeoutInMs());
    assertEquals(o, o.toBuilder().build());
  }

  @Test
  void badValuesAreRefusedWithTheFieldName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionOptions.builder().intraOpThreads(-1).build());
    assertTrue(e.getMessage().contains("intraOpThreads must be >= 0"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionOptions.builder().interOpThreads(-2).build());
    assertTrue(e.getMessage().contains("interOpThreads must be >= -1"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> SessionOptions.builder().device("TPU").build());
    assertTrue(e.getMessage().contains("\"TPU\""), e.getMessage());
  }

  @Test
  void aModelRunsWithItsOwnOptionsAndGivesTheSameNumbers() {
    SessionOptions single =
        SessionOptions.builder().intraOpThreads(1).interOpThreads(1).device("/CPU:0").build();
    KerasTensor x = Input.of(3);
    Dense dense = new Dense(2);
    KerasTensor y = dense.apply(x);
    float[][] in = {{1, 2, 3}};
    float[][] expected;
    try (Model model = new Model(x, y)) {
      expected = model.predict(in);
      assertSame(SessionOptions.defaults(), ModelRuntime.of(model).graphSession().options());
    }
    try (Model model = new Model(x, y).sessionOptions(single)) {
      assertArrayEquals(expected[0], model.predict(in)[0]);
      assertSame(single, ModelRuntime.of(model).graphSession().options());
      assertThrows(IllegalStateException.class, () -> model.sessionOptions(single));
    }
    // -1: every op on the calling thread, a per-session setting TensorFlow honours at any time.
    SessionOptions inline = single.toBuilder().interOpThreads(-1).build();
    assertEquals(-1, inline.toConfigProto().getInterOpParallelismThreads());
    try (Model model = new Model(x, y).sessionOptions(inline)) {
      assertArrayEquals(expected[0], model.predict(in)[0]);
    }
  }

  @Test
  void globalDefaultsApplyToNewSessions() {
    SessionOptions before = SessionOptions.defaults();
    SessionOptions two = SessionOptions.builder().intraOpThreads(2).build();
    try {
      SessionOptions.setDefaults(two);
      try (GraphSession g = GraphSession.create()) {
        assertSame(two, g.options());
      }
      try (GraphSession g = GraphSession.onDevice("/CPU:0")) {
        assertEquals(2, g.options().intraOpThreads());
        assertEquals("/CPU:0", g.options().device());
      }
    } finally {
      SessionOptions.setDefaults(before);
    }
  }

  @Test
  void aSessionAskingForOtherThreadsThanTheProcessPoolsIsWarnedAboutOnce() {
    // Whatever session came first in this JVM, 3 is warned about at most once, and then 5 is.
    SessionOptions three = SessionOptions.builder().intraOpThreads(3).build();
    GraphSession.threadsWarning(three);
    assertEquals(null, GraphSession.threadsWarning(three));
    String five = GraphSession.threadsWarning(SessionOptions.builder().intraOpThreads(5).build());
    assertTrue(
        five != null
            && five.contains("asks for intraOpThreads=5 interOpThreads=0, but TensorFlow sized")
            && five.contains("set the threads with SessionOptions.setDefaults"),
        String.valueOf(five));
    // Inter-op threads of -1 hold per session: nothing to warn about beyond what 5 already was.
    assertEquals(
        null,
        GraphSession.threadsWarning(
            SessionOptions.builder().intraOpThreads(5).interOpThreads(-1).build()));
  }
}
