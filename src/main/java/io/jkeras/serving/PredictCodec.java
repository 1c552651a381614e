package io.jkeras.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <pre>{@code
 * PredictCodec.Request r = PredictCodec.parse(ServingJson.MAPPER.readTree(body));
 * Map<String, TensorData> in = PredictCodec.inputs(r, signature);
 * byte[] json = PredictCodec.response(r.rowFormat(), signature, model.run(signature.name(), in));
 * }</pre>
 */
public final class PredictCodec {

  private PredictCodec() {}

  /** A parsed request: which signature and the raw instances or inputs. */
  public record Request(String signatureName, boolean rowFormat, JsonNode payload) {}

  /** Reads the signature name and the instances or inputs of a request body. */
  public static Request parse(JsonNode root) throws ServingException {
    if (root == null || !root.isObject()) {
      throw ServingException.invalid(
          "The request body must be a JSON object with \"instances\"" + " or \"inputs\"");
    }
    JsonNode sig = root.get("signature_name");
    String signature = ServableModel.DEFAULT_SIGNATURE;
    if (sig != null && !sig.isNull()) {
      if (!sig.isTextual()) {
        throw ServingException.invalid("\"signature_name\" must be a string, got " + sig);
      }
      if (!sig.textValue().isEmpty()) {
        signature = sig.textValue();
      }
    }
    JsonNode instances = root.get("instances");
    JsonNode inputs = root.get("inputs");
    if (instances != null && inputs != null) {
      throw ServingException.invalid(
          "The request has both \"instances\" (row format) and "
              + "\"inputs\" (columnar format); send only one of them");
    }
    if (instances == null && inputs == null) {
      throw ServingException.invalid(
          "The request has neither \"instances\" (row format) nor "
              + "\"inputs\" (columnar format)");
    }
    if (instances != null) {
      if (!instances.isArray()) {
        throw ServingException.invalid("\"instances\" must be a list, one entry per instance");
      }
      return new Request(signature, true, instances);
    }
    return new Request(signature, false, inputs);
  }

  /** Converts the payload to the signature's input tensors. */
  public static Map<String, TensorData> inputs(Request r, SignatureSpec sig)
      throws ServingException {
    Map<String, TensorSpec> specs = sig.inputs();
    Map<String, TensorData> out = new LinkedHashMap<>();
    if (r.rowFormat()) {
      JsonNode instances = r.payload();
      int objects = 0;
      for (JsonNode i : instances) {
        if (i.isObject()) {
          objects++;
        }
      }
      if (objects > 0 && objects < instances.size()) {
        throw ServingException.invalid(
            "\"instances\" mixes objects and plain values; use "
                + "objects {input: value} for every instance or for none");
      }
      boolean named = objects > 0;
      if (!named && specs.size() != 1) {
        throw ServingException.invalid(
            "Signature \""
                + sig.name()
                + "\" has "
                + specs.size()
                + " inputs "
                + specs.keySet()
                + ": each instance must be an object with these keys");
      }
      if (!named) {
        Map.Entry<String, TensorSpec> only = specs.entrySet().iterator().next();
        List<JsonNode> items = new ArrayList<>(instances.size());
        instances.forEach(items::add);
        out.put(only.getKey(), JsonTensors.fromInstances(items, only.getKey(), only.getValue()));
        return out;
      }
      for (int i = 0; i < instances.size(); i++) {
        checkKeys(instances.get(i), specs, "Instance " + i);
      }
      for (Map.Entry<String, TensorSpec> e : specs.entrySet()) {
        List<JsonNode> items = new ArrayList<>(instances.size());
        for (JsonNode i : instances) {
          items.add(i.get(e.getKey()));
        }
        out.put(e.getKey(), JsonTensors.fromInstances(items, e.getKey(), e.getValue()));
      }
      return out;
    }
    JsonNode inputs = r.payload();
    if (inputs.isObject()) {
      checkKeys(inputs, specs, "\"inputs\"");
      for (Map.Entry<String, TensorSpec> e : specs.entrySet()) {
        out.put(
            e.getKey(), JsonTensors.fromTensor(inputs.get(e.getKey()), e.getKey(), e.getValue()));
      }
      return out;
    }
    if (specs.size() != 1) {
      throw ServingException.invalid(
          "Signature \""
              + sig.name()
              + "\" has "
              + specs.size()
              + " inputs "
              + specs.keySet()
              + ": \"inputs\" must be an object with these keys");
    }
    Map.Entry<String, TensorSpec> only = specs.entrySet().iterator().next();
    out.put(only.getKey(), JsonTensors.fromTensor(inputs, only.getKey(), only.getValue()));
    return out;
  }

  private static void checkKeys(JsonNode obj, Map<String, TensorSpec> specs, String what)
      throws ServingException {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!specs.containsKey(k)) {
        throw ServingException.invalid(
            what
                + " has \""
                + k
                + "\", which is not an input of the "
                + "signature; its inputs are "
                + specs.keySet());
      }
    }
    for (String k : specs.keySet()) {
      if (!obj.has(k)) {
        throw ServingException.invalid(
            what + " lacks input \"" + k + "\"; the signature's " + "inputs are " + specs.keySet());
      }
    }
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
              JsonTensors.write(g, outs.values().iterator().next());
            } else {
              g.writeStartObject();
              for (Map.Entry<String, TensorData> e : outs.entrySet()) {
                g.writeFieldName(e.getKey());
                JsonTensors.write(g, e.getValue());
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
            JsonTensors.write(g, outs.values().iterator().next());
          } else {
            g.writeStartArray();
            for (int i = 0; i < n; i++) {
              g.writeStartObject();
              for (Map.Entry<String, TensorData> e : outs.entrySet()) {
                g.writeFieldName(e.getKey());
                JsonTensors.writeRow(g, e.getValue(), i);
              }
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        });
  }
}
