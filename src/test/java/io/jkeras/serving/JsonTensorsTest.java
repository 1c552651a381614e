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
    TensorData u8 = tensor("[0, 128, 255]", spec("DT_UINT8", -1));
    assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255}, u8.uint8s());
    assertEquals(
        "[0,128,255]", new String(ServingJson.write(g -> JsonTensors.write(g, u8, false))));
    assertThrows(ServingException.class, () -> tensor("[256]", spec("DT_UINT8", -1)));
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

  private static PredictCodec.Request read(String body) throws Exception {
    return PredictCodec.read(
        new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        100,
        1 << 20);
  }

  /**
   * TensorFlow Serving's {@code {"b64": ...}}: the decoded bytes of a DT_STRING element (padding
   * optional), refused for other dtypes, for bad base64 and for any other object; an object with
   * more keys is named inputs, even when one of them is "b64".
   */
  @Test
  void binaryValuesDecodeForStringInputsOnly() throws Exception {
    byte[][] s =
        tensor("[{\"b64\": \"AP9h\"}, \"a\", {\"b64\": \"AP9hIQ\"}]", spec("DT_STRING", -1))
            .strings();
    assertArrayEquals(new byte[] {0, (byte) 0xff, 'a'}, s[0]);
    assertArrayEquals(new byte[] {'a'}, s[1]);
    assertArrayEquals(new byte[] {0, (byte) 0xff, 'a', '!'}, s[2]);
    TensorData scalar =
        tensor("{\"b64\": \"AP9h\"}", new TensorSpec("t:0", "DT_STRING", new long[0]));
    assertArrayEquals(new long[0], scalar.shape());
    assertArrayEquals(new byte[] {0, (byte) 0xff, 'a'}, scalar.strings()[0]);

    ServingException e =
        assertThrows(
            ServingException.class, () -> tensor("[{\"b64\": \"AP9h\"}]", spec("DT_FLOAT", -1)));
    assertTrue(e.getMessage().contains("needs a number"), e.getMessage());
    assertTrue(e.getMessage().contains("{\"b64\": \"AP9h\"}"), e.getMessage());
    e = assertThrows(ServingException.class, () -> read("{\"inputs\": [{\"b64\": \"A*\"}]}"));
    assertEquals(400, e.httpStatus());
    assertTrue(e.getMessage().contains("the tensor[0]"), e.getMessage());
    assertTrue(e.getMessage().contains("not valid base64"), e.getMessage());
    for (String notBinary : List.of("{\"b64\": 5}", "{\"b64\": \"AP9h\", \"x\": 1}", "{}")) {
      e =
          assertThrows(
              ServingException.class, () -> read("{\"inputs\": [[1], [" + notBinary + "]]}"));
      assertEquals(400, e.httpStatus());
      assertTrue(e.getMessage().contains("the tensor[1][0]"), e.getMessage());
      assertTrue(e.getMessage().contains("{\"b64\": \"<base64>\"}"), e.getMessage());
    }

    PredictCodec.Request rows =
        read("{\"instances\": [{\"b64\": \"AP9h\", \"n\": 1}, {\"n\": 2, \"b64\": \"x\"}]}");
    assertEquals(List.of("b64", "n"), List.copyOf(rows.named().keySet()));
    byte[][] named =
        JsonTensors.fromLeaves(rows.named().get("b64"), true, "b64", spec("DT_STRING", -1))
            .strings();
    assertArrayEquals(new byte[][] {"AP9h".getBytes(), "x".getBytes()}, named);
    assertArrayEquals(
        new long[] {1, 2},
        JsonTensors.fromLeaves(rows.named().get("n"), true, "n", spec("DT_INT64", -1)).longs());
    PredictCodec.Request cols = read("{\"inputs\": {\"b64\": \"AP9h\", \"n\": [3]}}");
    assertArrayEquals(
        new byte[][] {"AP9h".getBytes()},
        JsonTensors.fromLeaves(
                cols.named().get("b64"),
                false,
                "b64",
                new TensorSpec("t:0", "DT_STRING", new long[0]))
            .strings());
    assertArrayEquals(
        new long[] {3},
        JsonTensors.fromLeaves(cols.named().get("n"), false, "n", spec("DT_INT64", -1)).longs());
  }

  /** DT_STRING outputs named *_bytes are written as {"b64": ...}, the others as text. */
  @Test
  void binaryOutputsAreThoseNamedBytes() throws Exception {
    SignatureSpec sig =
        new SignatureSpec(
            "serving_default",
            SignatureSpec.PREDICT_METHOD,
            java.util.Map.of("x", spec("DT_STRING", -1)),
            java.util.Map.of(
                "image_bytes", spec("DT_STRING", -1),
                "label", spec("DT_STRING", -1),
                "n_bytes", spec("DT_INT32", -1)));
    byte[][] image = {{0, (byte) 0xff, 'a'}, {}};
    java.util.Map<String, TensorData> outs =
        java.util.Map.of(
            "image_bytes", TensorData.ofStrings(image, 2),
            "label", TensorData.ofStrings(new byte[][] {"cat".getBytes(), "dog".getBytes()}, 2),
            "n_bytes", TensorData.ofInts(new int[] {3, 0}, 2));
    assertEquals(
        json(
            "{\"predictions\": [{\"image_bytes\": {\"b64\": \"AP9h\"}, \"label\": \"cat\","
                + " \"n_bytes\": 3}, {\"image_bytes\": {\"b64\": \"\"}, \"label\": \"dog\","
                + " \"n_bytes\": 0}]}"),
        json(new String(PredictCodec.response(true, sig, outs))));
    assertEquals(
        json(
            "{\"outputs\": {\"image_bytes\": [{\"b64\": \"AP9h\"}, {\"b64\": \"\"}],"
                + " \"label\": [\"cat\", \"dog\"], \"n_bytes\": [3, 0]}}"),
        json(new String(PredictCodec.response(false, sig, outs))));
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
    assertEquals("2.5", new String(ServingJson.write(g -> JsonTensors.write(g, s, false))));
  }

  /**
   * Floats and doubles are written as TensorFlow Serving writes them: the expectations of its own
   * json_tensor_test (six significant digits in %g form, else as many as the type needs, ".0" on
   * whole numbers), and %g itself checked against C's printf (Python's % operator) on values across
   * the whole range.
   */
  @Test
  void floatsAndDoublesPrintAsTensorFlowServingPrintsThem() throws Exception {
    TensorData f =
        TensorData.ofFloats(
            new float[] {9000000, 999999, 0.5f, .0003f, .00003f, 555557.5f, 1f / 3, -0f}, 4, 2);
    assertEquals(
        "[[9e+06,999999.0],[0.5,0.0003],[3e-05,555557.5],[0.333333343,-0.0]]",
        new String(ServingJson.write(g -> JsonTensors.write(g, f, false))));
    TensorData nonFinite =
        TensorData.ofFloats(
            new float[] {Float.NaN, Float.POSITIVE_INFINITY, 3, Float.NEGATIVE_INFINITY}, 2, 2);
    assertEquals(
        "[[NaN,Infinity],[3.0,-Infinity]]",
        new String(ServingJson.write(g -> JsonTensors.write(g, nonFinite, false))));
    TensorData d = TensorData.ofDoubles(new double[] {0.1, 1.0 / 3, 1e100, 0.662}, 4);
    assertEquals(
        "[0.1,0.33333333333333331,1e+100,0.662]",
        new String(ServingJson.write(g -> JsonTensors.write(g, d, false))));

    java.util.Random r = new java.util.Random(4);
    StringBuilder values = new StringBuilder();
    double[] xs = new double[600];
    for (int i = 0; i < xs.length; i++) {
      xs[i] =
          i % 2 == 0
              ? Float.intBitsToFloat(r.nextInt() & 0x7f7fffff | (r.nextBoolean() ? 1 << 31 : 0))
              : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20);
      values.append(i == 0 ? "" : " ").append(Double.toString(xs[i]));
    }
    String[] printf =
        io.jkeras.testing.PythonKeras.runCode(
                "import sys\n"
                    + "for v in map(float, sys.argv[1:]):\n"
                    + "    print('%.6g %.9g %.17g' % (v, v, v))",
                values.toString().split(" "))
            .stdout()
            .split("\n");
    for (int i = 0; i < xs.length; i++) {
      String want = printf[i].trim();
      double x = xs[i];
      String got =
          io.jkeras.io.DecimalText.general(x, 6)
              + " "
              + io.jkeras.io.DecimalText.general(x, 9)
              + " "
              + io.jkeras.io.DecimalText.general(x, 17);
      assertEquals(want, got, "%g of " + xs[i]);
    }
  }

  @Test
  void writesNestedListsAndRows() {
    TensorData t = TensorData.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 3, 2);
    assertEquals(
        "[[1,2],[3,4],[5,6]]", new String(ServingJson.write(g -> JsonTensors.write(g, t, false))));
    assertEquals("[5,6]", new String(ServingJson.write(g -> JsonTensors.writeRow(g, t, false, 2))));
    TensorData v = TensorData.ofFloats(new float[] {0.1f, 3f}, 2);
    assertEquals("0.1", new String(ServingJson.write(g -> JsonTensors.writeRow(g, v, false, 0))));
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
