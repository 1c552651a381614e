package io.jkeras.serving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code :predict} body token by token into {@link JsonLeaves}, never building a JSON tree,
 * and stops with 413 as soon as the body, the instance count or the decoded size passes its limit,
 * so a request costs at most its limits in memory whatever it claims.
 *
 * <pre>{@code
 * PredictCodec.Request r = new PredictBodyReader(limits).read(body);
 * }</pre>
 *
 * <p>Shapes are checked while reading: every list at one depth must have the length of the first
 * list at that depth, and values sit at one depth only (no ragged tensors).
 */
final class PredictBodyReader {

  /**
   * What one request may cost.
   *
   * @param maxInstances most instances (row format) or dimension 0 (columnar format)
   * @param maxTensorBytes most decoded input bytes, counting 8 bytes for every number or boolean
   */
  record Limits(int maxInstances, long maxTensorBytes) {}

  /** The key of TensorFlow Serving's binary values: {@code {"b64": "<base64>"}}. */
  static final String BASE64_KEY = "b64";

  /** Most distinct input names in one request (a signature has far fewer inputs). */
  static final int MAX_INPUT_NAMES = 1024;

  private final Limits limits;
  private final TensorBudget.Claim claim;
  private long leaves;
  private long heapBytes;
  private long stringBytes;

  PredictBodyReader(Limits limits, TensorBudget.Claim claim) {
    this.limits = limits;
    this.claim = claim;
  }

  /**
   * Reads a whole body.
   *
   * @throws ServingException 400 for malformed JSON or a request of the wrong form, 413 over a
   *     limit
   * @throws IOException when the body cannot be read (the client went away, or the stream's own
   *     size limit)
   */
  PredictCodec.Request read(InputStream body) throws ServingException, IOException {
    try (JsonParser p = ServingJson.MAPPER.createParser(body)) {
      PredictCodec.Request r = readRoot(p);
      if (p.nextToken() != null) {
        throw ServingException.invalid(
            "Malformed JSON in the request body: trailing content after the object" + at(p));
      }
      return r;
    } catch (JsonProcessingException e) {
      throw ServingException.invalid(
          "Malformed JSON in the request body: "
              + e.getOriginalMessage()
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
    }
  }

  private static String at(JsonParser p) {
    var loc = p.currentLocation();
    return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private PredictCodec.Request readRoot(JsonParser p) throws ServingException, IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw ServingException.invalid(
          "The request body must be a JSON object with \"instances\" or \"inputs\"");
    }
    String signature = ServableModel.DEFAULT_SIGNATURE;
    Boolean rowFormat = null;
    Values values = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "signature_name" -> {
          if (t == JsonToken.VALUE_STRING) {
            if (!p.getText().isEmpty()) {
              signature = p.getText();
            }
          } else if (t != JsonToken.VALUE_NULL) {
            throw ServingException.invalid(
                "\"signature_name\" must be a string, got " + clip(tokenText(p)));
          }
        }
        case "instances", "inputs" -> {
          boolean rows = field.equals("instances");
          if (rowFormat != null && rowFormat != rows) {
            throw ServingException.invalid(
                "The request has both \"instances\" (row format) and "
                    + "\"inputs\" (columnar format); send only one of them");
          }
          rowFormat = rows;
          values = rows ? readInstances(p) : readInputs(p);
        }
        default -> p.skipChildren();
      }
    }
    if (rowFormat == null) {
      throw ServingException.invalid(
          "The request has neither \"instances\" (row format) nor \"inputs\" (columnar format)");
    }
    return new PredictCodec.Request(
        signature, rowFormat, values.instances, values.unnamed, values.named);
  }

  /** What "instances" or "inputs" held: one unnamed value or values by input name. */
  private record Values(int instances, JsonLeaves unnamed, Map<String, JsonLeaves> named) {}

  private Values readInstances(JsonParser p) throws ServingException, IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw ServingException.invalid("\"instances\" must be a list, one entry per instance");
    }
    JsonLeaves unnamed = null;
    Map<String, JsonLeaves> named = null;
    int n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (n == limits.maxInstances()) {
        throw tooLarge(
            "more than "
                + limits.maxInstances()
                + " instances (--max_instances_per_request); send them in several requests");
      }
      // An object is the instance's inputs by name, unless it is a binary value {"b64": ...}.
      ObjectHead head = t == JsonToken.START_OBJECT ? ObjectHead.read(p) : null;
      boolean object = head != null && head.base64() == null;
      if (n > 0 && object != (named != null)) {
        throw ServingException.invalid(
            "\"instances\" mixes objects and plain values; use objects {input: value} for every"
                + " instance or for none");
      }
      if (object) {
        if (named == null) {
          named = new LinkedHashMap<>();
        }
        String preRead = head.firstString();
        for (String name = head.firstName(); name != null; ) {
          JsonLeaves leaves = named.get(name);
          if (leaves == null && named.size() == MAX_INPUT_NAMES) {
            throw ServingException.invalid(
                "Instance " + n + " has more than " + MAX_INPUT_NAMES + " different input names");
          }
          if (leaves == null) {
            leaves = new JsonLeaves(name);
            leaves.firstLacking = n > 0 ? 0 : -1;
            leaves.firstHaving = n;
            named.put(name, leaves);
          }
          readInstance(p, leaves, n, preRead, false);
          leaves.instances = n + 1;
          name = nextField(p, preRead != null);
          preRead = null;
        }
        for (JsonLeaves l : named.values()) {
          if (l.instances < n + 1 && l.firstLacking < 0) {
            l.firstLacking = n;
          }
        }
      } else {
        if (unnamed == null) {
          unnamed = new JsonLeaves(null);
        }
        readInstance(p, unnamed, n, head == null ? null : head.base64(), head != null);
        unnamed.instances = n + 1;
      }
      n++;
    }
    return new Values(n, unnamed, named);
  }

  /**
   * Reads one instance's value of an input: the value at the current token, or the string {@code
   * preRead} already taken from the body ({@code binary}: the base64 text of a {@code {"b64": ...}}
   * object).
   */
  private void readInstance(
      JsonParser p, JsonLeaves leaves, int index, String preRead, boolean binary)
      throws ServingException, IOException {
    String where = "instance " + index;
    ValueReader reader = new ValueReader(p, leaves, where);
    long[] shape = preRead == null ? reader.read() : reader.readScalar(preRead, binary);
    if (index == 0 || leaves.shape == null) {
      leaves.shape = shape;
    } else if (!Arrays.equals(shape, leaves.shape)) {
      throw ServingException.invalid(
          "Ragged instances"
              + forInput(leaves)
              + ": instance 0 has shape "
              + Arrays.toString(leaves.shape)
              + " but instance "
              + index
              + " has shape "
              + Arrays.toString(shape)
              + "; every instance must have the same shape");
    }
  }

  private Values readInputs(JsonParser p) throws ServingException, IOException {
    ObjectHead head = p.currentToken() == JsonToken.START_OBJECT ? ObjectHead.read(p) : null;
    if (head == null || head.base64() != null) {
      // One unnamed tensor: a value or list, or a binary scalar {"b64": ...}.
      JsonLeaves only = new JsonLeaves(null);
      ValueReader reader = new ValueReader(p, only, "the tensor");
      only.shape = head == null ? reader.read() : reader.readScalar(head.base64(), true);
      checkInstances(only);
      return new Values(instancesOf(only), only, null);
    }
    Map<String, JsonLeaves> named = new LinkedHashMap<>();
    int n = 0;
    String preRead = head.firstString();
    for (String name = head.firstName(); name != null; ) {
      if (named.size() == MAX_INPUT_NAMES) {
        throw ServingException.invalid(
            "\"inputs\" has more than " + MAX_INPUT_NAMES + " different input names");
      }
      JsonLeaves l = new JsonLeaves(name);
      ValueReader reader = new ValueReader(p, l, "the tensor");
      l.shape = preRead == null ? reader.read() : reader.readScalar(preRead, false);
      checkInstances(l);
      named.put(name, l);
      n = Math.max(n, instancesOf(l));
      name = nextField(p, preRead != null);
      preRead = null;
    }
    return new Values(n, null, named);
  }

  /**
   * The name of the next field of an object, with the parser moved onto its value, or null at the
   * object's end. {@code atNext}: the token after the last value is current already.
   */
  private static String nextField(JsonParser p, boolean atNext) throws IOException {
    JsonToken t = atNext ? p.currentToken() : p.nextToken();
    if (t != JsonToken.FIELD_NAME) {
      return null;
    }
    String name = p.currentName();
    p.nextToken();
    return name;
  }

  /**
   * The start of a JSON object, read just far enough to tell a binary value {@code {"b64": "..."}}
   * (TensorFlow Serving's encoding of bytes: that key alone, with a string) from an object of named
   * inputs.
   *
   * @param base64 the base64 text when the object is a binary value, read to its end
   * @param firstName else the first field's name (null for an empty object, read to its end); the
   *     parser is on that field's value
   * @param firstString unless that value is a string that has been read already: then this, and the
   *     parser is on the token after it
   */
  private record ObjectHead(String base64, String firstName, String firstString) {
    static ObjectHead read(JsonParser p) throws IOException {
      if (p.nextToken() != JsonToken.FIELD_NAME) {
        return new ObjectHead(null, null, null);
      }
      String name = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_STRING || !name.equals(BASE64_KEY)) {
        return new ObjectHead(null, name, null);
      }
      String text = p.getText();
      if (p.nextToken() == JsonToken.END_OBJECT) {
        return new ObjectHead(text, null, null);
      }
      return new ObjectHead(null, name, text);
    }
  }

  private void checkInstances(JsonLeaves l) throws ServingException {
    if (l.shape.length > 0 && l.shape[0] > limits.maxInstances()) {
      throw tooLarge(
          "dimension 0 of "
              + l.shape[0]
              + " is more than "
              + limits.maxInstances()
              + " instances (--max_instances_per_request)");
    }
  }

  private static int instancesOf(JsonLeaves l) {
    return l.shape.length == 0 ? 1 : (int) l.shape[0];
  }

  private ServingException tooLarge(String what) {
    return new ServingException(
        ErrorCode.INVALID_ARGUMENT, 413, "The request is too large: " + what, null);
  }

  private static String tokenText(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      return "a JSON object";
    }
    if (t == JsonToken.START_ARRAY) {
      return "a list";
    }
    return t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
  }

  private static String forInput(JsonLeaves l) {
    return l.input() == null ? "" : " for input \"" + l.input() + "\"";
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** Reads one value (a number, boolean or nested lists of them) and returns its shape. */
  private final class ValueReader {
    private final JsonParser p;
    private final JsonLeaves out;
    private final String where;

    /** Length of the lists at each depth, -1 until the first list there has closed. */
    private long[] dims = new long[8];

    /** Position in the list at each depth, for error messages. */
    private long[] index = new long[8];

    private int leafDepth = -1;
    private int deepest = -1;

    ValueReader(JsonParser p, JsonLeaves out, String where) {
      this.p = p;
      this.out = out;
      this.where = where;
      Arrays.fill(dims, -1);
    }

    long[] read() throws ServingException, IOException {
      value(0);
      return shape();
    }

    /**
     * Takes a string already read from the body as the whole value (a scalar): {@code binary}, the
     * base64 text of a {@code {"b64": ...}} object.
     */
    long[] readScalar(String text, boolean binary) throws ServingException, IOException {
      leaf(0, binary ? JsonToken.START_OBJECT : JsonToken.VALUE_STRING, text);
      return shape();
    }

    private long[] shape() {
      int rank = leafDepth >= 0 ? leafDepth : deepest + 1;
      long[] shape = new long[rank];
      for (int d = 0; d < rank; d++) {
        shape[d] = dims[d];
      }
      return shape;
    }

    private void value(int depth) throws ServingException, IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.START_ARRAY) {
        if (leafDepth >= 0 && depth >= leafDepth) {
          throw ragged(depth, "a list stands where a single value was expected");
        }
        if (depth == dims.length) {
          dims = Arrays.copyOf(dims, depth * 2);
          Arrays.fill(dims, depth, dims.length, -1);
          index = Arrays.copyOf(index, depth * 2);
        }
        long n = 0;
        for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken()) {
          index[depth] = n++;
          value(depth + 1);
        }
        if (dims[depth] < 0) {
          dims[depth] = n;
          deepest = Math.max(deepest, depth);
        } else if (dims[depth] != n) {
          throw ragged(
              depth, "a list of " + n + " stands where a list of " + dims[depth] + " was expected");
        }
        return;
      }
      String text = null;
      if (t == JsonToken.START_OBJECT) {
        ObjectHead head = ObjectHead.read(p);
        if (head.base64() == null) {
          throw ServingException.invalid(
              "Bad value"
                  + forInput(out)
                  + ": in "
                  + position(depth)
                  + " a JSON object stands where a value or list was expected (the only object a"
                  + " tensor takes is {\"b64\": \"<base64>\"}, the bytes of a DT_STRING element)");
        }
        text = head.base64();
      } else if (t == JsonToken.VALUE_STRING) {
        text = p.getText();
      }
      leaf(depth, t, text);
    }

    /**
     * Adds one element at {@code depth}: a token of kind {@code t} ({@code START_OBJECT} for a
     * binary value, whose base64 is {@code text}; {@code VALUE_STRING} for the string {@code
     * text}).
     */
    private void leaf(int depth, JsonToken t, String text) throws ServingException, IOException {
      if (leafDepth < 0) {
        leafDepth = depth;
      } else if (depth != leafDepth) {
        throw ragged(
            depth,
            "a single value "
                + clip(t == JsonToken.START_OBJECT ? "{\"b64\": ...}" : tokenText(p))
                + " stands where a list of "
                + dims[depth]
                + " was expected");
      }
      byte[] bytes = null;
      if (t == JsonToken.START_OBJECT) {
        try {
          bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          throw ServingException.invalid(
              "Bad value"
                  + forInput(out)
                  + ": in "
                  + position(depth)
                  + " {\"b64\": \""
                  + clip(text)
                  + "\"} is not valid base64 ("
                  + e.getMessage()
                  + ")");
        }
      } else if (t == JsonToken.VALUE_STRING) {
        bytes = text.getBytes(StandardCharsets.UTF_8);
      }
      if (bytes != null) {
        stringBytes += bytes.length + JsonLeaves.STRING_OVERHEAD;
      }
      if (++leaves * 8 + stringBytes > limits.maxTensorBytes()) {
        throw tooLarge(
            "its inputs decode to more than "
                + limits.maxTensorBytes()
                + " bytes (--max_tensor_bytes, counting 8 bytes per value and each string's"
                + " bytes)");
      }
      // The budget holds what decoding really takes: the leaf arrays of every input so far, with
      // their growth slack and the copy made while growing, plus the typed tensor still to come.
      long next = out.heapBytesAfterAdd();
      heapBytes += next - out.heapBytes();
      if (bytes != null) {
        heapBytes += bytes.length + JsonLeaves.STRING_OVERHEAD;
      }
      if (!claim.grow(heapBytes + next / 2 + leaves * 8 + stringBytes)) {
        throw new ServingException(
            ErrorCode.UNAVAILABLE,
            503,
            "The server is busy: the requests in flight hold all of --max_inflight_tensor_bytes;"
                + " retry later",
            null);
      }
      switch (t) {
        case VALUE_NUMBER_INT -> {
          if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            out.addDouble(finite(depth));
          } else {
            out.addLong(p.getLongValue());
          }
        }
        case VALUE_NUMBER_FLOAT -> out.addDouble(p.isNaN() ? p.getDoubleValue() : finite(depth));
        case VALUE_TRUE -> out.addBoolean(true);
        case VALUE_FALSE -> out.addBoolean(false);
        case VALUE_STRING -> out.addString(bytes);
        case START_OBJECT -> out.addBinary(bytes);
        default -> out.addOther(clip(tokenText(p)));
      }
    }

    /**
     * The value of the current number token, which is written out in digits: past the double range
     * it is refused, as TensorFlow Serving's parser refuses it, rather than read as infinity (the
     * bare tokens {@code Infinity} and {@code -Infinity} are the way to send one).
     */
    private double finite(int depth) throws ServingException, IOException {
      double v = p.getDoubleValue();
      if (Double.isInfinite(v)) {
        throw ServingException.invalid(
            "Bad value"
                + forInput(out)
                + ": in "
                + position(depth)
                + " the number "
                + clip(p.getText())
                + " is too big for a double; send Infinity or -Infinity for an infinite value");
      }
      return v;
    }

    /** "instance 3[0][2]" for the element at {@code depth} being read. */
    private String position(int depth) {
      StringBuilder w = new StringBuilder(where);
      for (int d = 0; d < depth; d++) {
        w.append('[').append(index[d]).append(']');
      }
      return w.toString();
    }

    private ServingException ragged(int depth, String what) {
      return ServingException.invalid(
          "Ragged tensor"
              + forInput(out)
              + ": in "
              + position(depth)
              + " "
              + what
              + " (all lists at one depth must have the same length)");
    }
  }
}
