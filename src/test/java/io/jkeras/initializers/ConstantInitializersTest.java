package io.jkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstantInitializersTest {

  @Test
  void zerosFillsWithZeroForEveryRank() {
    assertArrayEquals(new float[6], new Zeros().generate(new long[] {2, 3}, null));
    assertArrayEquals(new float[1], new Zeros().generate(new long[] {}, null));
    assertEquals(0, new Zeros().generate(new long[] {4, 0, 3}, null).length);
  }

  @Test
  void onesFillsWithOne() {
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, new Ones().generate(new long[] {3, 2}, null));
    assertArrayEquals(new float[] {1}, new Ones().generate(new long[] {}, null));
  }

  @Test
  void constantFillsWithItsValueAsFloat() {
    float[] v = new Constant(0.1).generate(new long[] {2, 2, 2}, null);
    assertEquals(8, v.length);
    for (float x : v) {
      assertEquals(0.1f, x);
    }
    assertArrayEquals(new float[3], new Constant().generate(new long[] {3}, null));
  }

  @Test
  void constantRejectsNonFiniteValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Constant(Double.NaN));
    assertTrue(e.getMessage().contains("'value'"), e.getMessage());
    assertTrue(e.getMessage().contains("finite"), e.getMessage());
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void identityPutsGainOnTheMainDiagonal() {
    float[] v = new Identity(2.5).generate(new long[] {3, 5}, null);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(i == j ? 2.5f : 0f, v[i * 5 + j], "at " + i + "," + j);
      }
    }
    float[] tall = new Identity().generate(new long[] {4, 2}, null);
    assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0, 0, 0}, tall);
  }

  @Test
  void identityRejectsShapesThatAreNot2d() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Identity().generate(new long[] {3, 3, 3}, null));
    assertTrue(e.getMessage().contains("2-D"), e.getMessage());
    assertTrue(e.getMessage().contains("[3, 3, 3]"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new Identity().generate(new long[] {3}, null));
  }

  @Test
  void configsMatchKeras() {
    assertEquals("Zeros", new Zeros().className());
    assertEquals("Ones", new Ones().className());
    assertEquals("Constant", new Constant().className());
    assertEquals("Identity", new Identity().className());
    assertEquals(Map.of(), new Zeros().getConfig());
    assertEquals(Map.of(), new Ones().getConfig());
    assertEquals(Map.of("value", 0.0), new Constant().getConfig());
    assertEquals(Map.of("value", 3.0), new Constant(3).getConfig());
    // Keras 3.15.1's Identity.get_config() is {} even for a non-default gain.
    assertEquals(Map.of(), new Identity(2.0).getConfig());
  }

  @Test
  void equalityFollowsArguments() {
    assertEquals(new Constant(1.5), new Constant(1.5));
    assertNotEquals(new Constant(1.5), new Constant(2.5));
    assertNotEquals(new Identity(1.0), new Identity(2.0));
    assertEquals(new Zeros(), new Zeros());
    assertNotEquals(new Zeros(), new Ones());
  }

  @Test
  void badShapesAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Ones().generate(new long[] {2, -1}, null));
    assertTrue(e.getMessage().contains("[2, -1]"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Zeros().generate(new long[] {1L << 20, 1L << 20}, null));
    assertThrows(IllegalArgumentException.class, () -> new Zeros().generate(null, null));
    for (Initializer init : List.of(new Zeros(), new Ones(), new Constant(1), new Identity())) {
      assertThrows(IllegalArgumentException.class, () -> init.generate(new long[] {-3, 2}, null));
    }
  }
}
