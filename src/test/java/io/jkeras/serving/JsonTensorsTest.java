package io.jkeras.serving;

import static io.jkeras.serving.TestHttp.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON to tensors and back, and the row slicing that batching relies on. */
class JsonTensorsTest {

  private static TensorSpec spec(String dtype, long... shape) {
    return new TensorSpec("t:0", dtype, shape);
  }

  /** The columnar tensor {@code json} converted for {@code spec}. */
  private static TensorData tensor(String json, TensorSpec spec) throws Exception {
    PredictCodec.Request r =
        PredictCodec.read(
            new java.io.ByteArrayInputStream(("{\"inputs\": " + json + "}").getBytes()),
            100,
            1 << 20);
    return JsonTensors.fromLeaves(r.unnamed(), false, "x", spec);
  }

  @Test
  void instancesStackAlongANewFirstDimension() throws Exception {
    PredictCodec.Request r =
        PredictCodec.read(
            new java.io.ByteArrayInputStream(
                "{\"instances\": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}".getBytes()),
            100,
            1 << 20);
    TensorData t = JsonTensors.fromLeaves(r.unnamed(), true, "x", spec("DT_INT64", -1, 2, 2));
    assertArrayEquals(new long[] {2, 2, 2}, t.shape());
    assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, t.longs());
  }

  @Test
  void dtypesAreChecked() throws Exception {
    assertArrayEquals(
        new long[] {9007199254740993L}, tensor("[9007199254740993]", spec("DT_INT64", -1)).longs());
    assertArrayEquals(
        new boolean[] {true, false}, tensor("[true, false]", spec("DT_BOOL", -1)).booleans());
    assertThrows(ServingException.class, () -> tensor("[1.0]", spec("DT_INT32", -1)));
    assertThrows(ServingException.class, () -> tensor("[1]", spec("DT_BOOL", -1)));
    byte[][] s = tensor("[\"a\", \"\u00e9\"]", spec("DT_STRING", -1)).strings();
    assertArrayEquals(new byte[] {'a'}, s[0]);
    assertArrayEquals("\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8), s[1]);
    ServingException e =
        assertThrows(ServingException.class, () -> tensor("[1]", spec("DT_STRING", -1)));
    assertTrue(e.getMessage().contains("needs a string"), e.getMessage());
    e = assertThrows(ServingException.class, () -> tensor("[\"a\"]", spec("DT_INT32", -1)));
    assertTrue(e.getMessage().contains("\"a\""), e.getMessage());
    e = assertThrows(ServingException.class, () -> tensor("[1]", spec("DT_HALF", -1)));
    assertTrue(e.getMessage().contains("DT_HALF"), e.getMessage());
    float[] f = tensor("[NaN, -Infinity, 1e40]", spec("DT_FLOAT", -1)).floats();
    assertTrue(
        Float.isNaN(f[0]) && f[1] == Float.NEGATIVE_INFINITY && f[2] == Float.POSITIVE_INFINITY);
  }

  @Test
  void stringBytesCountInTheTensorByteBudget() throws Exception {
    // 2 values (16 bytes) + 2 strings of 300 UTF-8 bytes with 24 bytes of overhead each = 664.
    String body = "{\"inputs\": [\"" + "é".repeat(150) + "\", \"" + "x".repeat(300) + "\"]}";
    ServingException e =
        assertThrows(
            ServingException.class,
            () ->
                PredictCodec.read(
                    new java.io.ByteArrayInputStream(
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    100,
                    663));
    assertEquals(413, e.httpStatus(), e.getMessage());
    PredictCodec.Request ok =
        PredictCodec.read(
            new java.io.ByteArrayInputStream(
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            100,
            664);
    assertEquals(
        300,
        JsonTensors.fromLeaves(ok.unnamed(), false, "x", spec("DT_STRING", -1))
            .strings()[0]
            .length);
  }

  @Test
  void scalarsAndUnknownRank() throws Exception {
    TensorData s = tensor("2.5", spec("DT_DOUBLE"));
    assertEquals(0, s.rank());
    assertEquals(2.5, s.doubles()[0]);
    TensorData any = tensor("[[1], [2]]", new TensorSpec("t:0", "DT_FLOAT", null));
    assertArrayEquals(new long[] {2, 1}, any.shape());
    assertEquals("2.5", new String(ServingJson.write(g -> JsonTensors.write(g, s))));
  }

  @Test
  void writesNestedListsAndRows() {
    TensorData t = TensorData.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 3, 2);
    assertEquals(
        "[[1,2],[3,4],[5,6]]", new String(ServingJson.write(g -> JsonTensors.write(g, t))));
    assertEquals("[5,6]", new String(ServingJson.write(g -> JsonTensors.writeRow(g, t, 2))));
    TensorData v = TensorData.ofFloats(new float[] {0.1f, 3f}, 2);
    assertEquals("0.1", new String(ServingJson.write(g -> JsonTensors.writeRow(g, v, 0))));
  }

  @Test
  void rowsAndConcatRoundTrip() {
    TensorData t = TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    TensorData a = t.rows(0, 1);
    TensorData b = t.rows(1, 3);
    assertArrayEquals(new long[] {2, 2}, b.shape());
    assertEquals(t, TensorData.concatRows(List.of(a, b)));
    assertThrows(
        IllegalArgumentException.class,
        () -> TensorData.concatRows(List.of(a, TensorData.ofFloats(new float[] {1, 2, 3}, 1, 3))));
    assertThrows(IllegalArgumentException.class, () -> TensorData.ofFloats(new float[] {1}, 2));
    assertThrows(IllegalStateException.class, t::ints);
  }
}
