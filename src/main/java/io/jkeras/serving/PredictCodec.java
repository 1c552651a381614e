package io.jkeras.serving;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code :predict} body formats of TensorFlow Serving's REST API (public for tools such as the
 * serving benchmark, which feeds a model the same tensors as the server would).
 *
 * <p>Request: {@code {"signature_name": s?, "instances": ...}} (row format) or {@code
 * {"signature_name": s?, "inputs": ...}} (columnar format), never both. In the row format each
 * instance is the value of the only input, or an object {@code {input: value}} when the signature
 * has several inputs (allowed for one input too). In the columnar format {@code inputs} is the
 * tensor of the only input, or an object {@code {input: tensor}}.
 *
 * <p>Response: row format {@code {"predictions": [...]}}, one entry per instance, a value when the
 * signature has one output and an object {@code {output: value}} otherwise; columnar format {@code
 * {"outputs": tensor}} for one output or {@code {"outputs": {output: tensor}}}.
 *
 * <p>Binary strings travel as {@code {"b64": "<base64>"}}: a request may send any DT_STRING element
 * so (an instance, or the whole of "inputs", may be one such object, which is then a value and not
 * named inputs), and a DT_STRING output whose name ends in {@code _bytes} is written so.
 *
 * <pre>{@code
 * PredictCodec.Request r = PredictCodec.read(body, 10_000, 64L << 20);
 * Map<String, TensorData> in = PredictCodec.inputs(r, signature);
 * byte[] json = PredictCodec.response(r.rowFormat(), signature, model.run(signature.name(), in));
 * }</pre>
 */
public final class PredictCodec {

  private PredictCodec() {}

  /**
   * A read request: which signature, the format, how many instances, and the values of the one
   * unnamed input or of named inputs (exactly one of {@code unnamed} and {@code named} is set).
   */
  public record Request(
      String signatureName,
      boolean rowFormat,
      int instances,
      JsonLeaves unnamed,
      Map<String, JsonLeaves> named) {}

  /** The limits {@link #read} applies unless told otherwise (the server's defaults). */
  public static final int DEFAULT_MAX_INSTANCES = 10_000;

  /**
   * The default cap on one request's decoded input bytes (64 MiB), counting 8 bytes per number or
   * boolean.
   */
  public static final long DEFAULT_MAX_TENSOR_BYTES = 64L << 20;

  /**
   * Reads a request body with the given limits on instances and decoded bytes (see {@code
   * --max_instances_per_request} and {@code --max_tensor_bytes}).
   *
   * @throws ServingException 400 for malformed JSON or a body of the wrong form, 413 over a limit
   */
  public static Request read(InputStream body, int maxInstances, long maxTensorBytes)
      throws ServingException, IOException {
    return new PredictBodyReader(
            new PredictBodyReader.Limits(maxInstances, maxTensorBytes),
            TensorBudget.unlimited().claim())
        .read(body);
  }

  /** Converts the request's values to the signature's input tensors. */
  public static Map<String, TensorData> inputs(Request r, SignatureSpec sig)
      throws ServingException {
    Map<String, TensorSpec> specs = sig.inputs();
    Map<String, TensorData> out = new LinkedHashMap<>();
    if (r.rowFormat() && r.instances() == 0) {
      throw ServingException.invalid(
          "\"instances\" is empty: the signature's inputs "
              + specs.keySet()
              + " need at least one instance");
    }
    if (r.unnamed() != null) {
      if (specs.size() != 1) {
        throw ServingException.invalid(
            "Signature \""
                + sig.name()
                + "\" has "
                + specs.size()
                + " inputs "
                + specs.keySet()
                + (r.rowFormat()
                    ? ": each instance must be an object with these keys"
                    : ": \"inputs\" must be an object with these keys"));
      }
      Map.Entry<String, TensorSpec> only = specs.entrySet().iterator().next();
      out.put(
          only.getKey(),
          JsonTensors.fromLeaves(r.unnamed(), r.rowFormat(), only.getKey(), only.getValue()));
      return out;
    }
    String what = r.rowFormat() ? "Instance " : "\"inputs\"";
    for (JsonLeaves l : r.named().values()) {
      if (!specs.containsKey(l.input())) {
        throw ServingException.invalid(
            (r.rowFormat() ? what + l.firstHaving : what)
                + " has \""
                + l.input()
                + "\", which is not an input of the signature; its inputs are "
                + specs.keySet());
      }
    }
    for (String k : specs.keySet()) {
      JsonLeaves l = r.named().get(k);
      if (l == null || l.firstLacking >= 0) {
        throw ServingException.invalid(
            (r.rowFormat() ? what + (l == null ? 0 : l.firstLacking) : what)
                + " lacks input \""
                + k
                + "\"; the signature's inputs are "
                + specs.keySet());
      }
    }
    for (Map.Entry<String, TensorSpec> e : specs.entrySet()) {
      out.put(
          e.getKey(),
          JsonTensors.fromLeaves(
              r.named().get(e.getKey()), r.rowFormat(), e.getKey(), e.getValue()));
    }
    return out;
  }

  /** Writes the response body for the outputs of one run. */
  public static byte[] response(
      boolean rowFormat, SignatureSpec sig, Map<String, TensorData> results)
      throws ServingException {
    Map<String, TensorData> outs = new LinkedHashMap<>();
    for (String k : sig.outputs().keySet()) {
      TensorData t = results.get(k);
      if (t == null) {
        throw new ServingException(
            ErrorCode.INTERNAL,
            "The model returned no output \"" + k + "\" for signature \"" + sig.name() + "\"");
      }
      outs.put(k, t);
    }
    if (!rowFormat) {
      return ServingJson.write(
          g -> {
            g.writeStartObject();
            g.writeFieldName("outputs");
            if (outs.size() == 1) {
              Map.Entry<String, TensorData> only = outs.entrySet().iterator().next();
              JsonTensors.write(g, only.getValue(), binary(only));
            } else {
              g.writeStartObject();
              for (Map.Entry<String, TensorData> e : outs.entrySet()) {
                g.writeFieldName(e.getKey());
                JsonTensors.write(g, e.getValue(), binary(e));
              }
              g.writeEndObject();
            }
            g.writeEndObject();
          });
    }
    long rows = -1;
    for (Map.Entry<String, TensorData> e : outs.entrySet()) {
      TensorData t = e.getValue();
      if (t.rank() == 0 || (rows >= 0 && t.dim(0) != rows)) {
        throw ServingException.invalid(
            "Output \""
                + e.getKey()
                + "\" has shape "
                + java.util.Arrays.toString(t.shape())
                + ", which does not share dimension 0 with "
                + "the other outputs; the row format (\"instances\") needs that, use the columnar "
                + "format (\"inputs\")");
      }
      rows = t.dim(0);
    }
    final long n = rows;
    return ServingJson.write(
        g -> {
          g.writeStartObject();
          g.writeFieldName("predictions");
          if (outs.size() == 1) {
            Map.Entry<String, TensorData> only = outs.entrySet().iterator().next();
            JsonTensors.write(g, only.getValue(), binary(only));
          } else {
            g.writeStartArray();
            for (int i = 0; i < n; i++) {
              g.writeStartObject();
              for (Map.Entry<String, TensorData> e : outs.entrySet()) {
                g.writeFieldName(e.getKey());
                JsonTensors.writeRow(g, e.getValue(), binary(e), i);
              }
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        });
  }

  /** Whether an output's strings are written as {@code {"b64": ...}} (names ending in _bytes). */
  private static boolean binary(Map.Entry<String, TensorData> output) {
    return JsonTensors.isBinaryOutput(output.getKey(), output.getValue().dtype());
  }
}
