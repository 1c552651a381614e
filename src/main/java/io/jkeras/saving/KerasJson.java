package io.jkeras.saving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The JSON of Keras model files ({@code config.json}, {@code metadata.json}, legacy {@code
 * model_config}) as plain Java values, and typed access to them whose errors name where in the file
 * the bad value is. Python's {@code json} writes {@code NaN} and {@code Infinity} bare; both are
 * read and written that way.
 */
final class KerasJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(200).build())
                  .build())
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          // As Python's json.loads ("Extra data"): nothing may follow the value.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private KerasJson() {}

  /** Parses a JSON object; anything else (malformed text, a list at the top) is an error. */
  static Map<String, Object> parseObject(byte[] json, String where) {
    Object value;
    try {
      value = MAPPER.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      String detail = String.valueOf(e.getOriginalMessage()).replaceAll("\\[Source: [^;]*; ", "[");
      throw new KerasFileException(where + ": malformed JSON: " + detail + location(e), e);
    } catch (IOException | RuntimeException e) {
      throw new KerasFileException(where + ": unreadable JSON: " + e, e);
    }
    return object(value, where);
  }

  /** Parses a JSON object held in a string. */
  static Map<String, Object> parseObject(String json, String where) {
    return parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), where);
  }

  /**
   * The JSON text of member {@code key} of the top-level object in {@code json}, exactly as it is
   * written there, or null when there is no such member.
   */
  static String rawMember(byte[] json, String key, String where) {
    try (JsonParser p = MAPPER.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new KerasFileException(where + ": expected a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        long start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        if (name.equals(key)) {
          long end = p.currentLocation().getByteOffset();
          return new String(
              json, (int) start, (int) (end - start), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      return null;
    } catch (IOException e) {
      throw new KerasFileException(where + ": unreadable JSON: " + e, e);
    }
  }

  /** Writes a value as compact UTF-8 JSON. */
  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write model config as JSON: " + e, e);
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  // ---- typed access ----------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v, String where) {
    if (!(v instanceof Map<?, ?>)) {
      throw wrongType(where, "an object", v);
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object v, String where) {
    if (!(v instanceof List<?>)) {
      throw wrongType(where, "a list", v);
    }
    return (List<Object>) v;
  }

  static String string(Object v, String where) {
    if (!(v instanceof String s)) {
      throw wrongType(where, "a string", v);
    }
    return s;
  }

  /** A non-negative int. */
  static int index(Object v, String where) {
    Long n = integral(v);
    if (n == null || n < 0 || n > Integer.MAX_VALUE) {
      throw wrongType(where, "a non-negative integer", v);
    }
    return n.intValue();
  }

  /** A required member of an object. */
  static Object member(Map<String, Object> map, String key, String where) {
    if (!map.containsKey(key)) {
      throw new KerasFileException(where + ": \"" + key + "\" is missing");
    }
    return map.get(key);
  }

  /** A member that is a string or null / absent. */
  static String optionalString(Map<String, Object> map, String key, String where) {
    Object v = map.get(key);
    return v == null ? null : string(v, where + "." + key);
  }

  /** Checks a shape as Keras writes one: a list of non-negative integers and nulls. */
  static void checkShape(Object v, String where) {
    List<Object> dims = list(v, where);
    for (int i = 0; i < dims.size(); i++) {
      if (dims.get(i) != null) {
        index(dims.get(i), where + "[" + i + "]");
      }
    }
  }

  /**
   * Checks the members every Keras object entry may have besides its config: {@code module} and
   * {@code registered_name} (strings or null), {@code build_config} (null or {@code {"input_shape":
   * shape, a list of shapes, or null}}).
   */
  static void checkEntryMembers(Map<String, Object> entry, String where) {
    optionalString(entry, "module", where);
    optionalString(entry, "registered_name", where);
    Object build = entry.get("build_config");
    if (build == null) {
      return;
    }
    Map<String, Object> b = object(build, where + ".build_config");
    Object shape = b.get("input_shape");
    String w = where + ".build_config.input_shape";
    if (shape == null) {
      return;
    }
    List<Object> dims = list(shape, w);
    if (!dims.isEmpty() && dims.get(0) instanceof List<?>) {
      for (int i = 0; i < dims.size(); i++) {
        checkShape(dims.get(i), w + "[" + i + "]");
      }
    } else {
      checkShape(dims, w);
    }
  }

  static Long integral(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    return null;
  }

  static KerasFileException wrongType(String where, String expected, Object actual) {
    return new KerasFileException(where + ": expected " + expected + ", got " + show(actual));
  }

  /** A short rendering of a JSON value with its type. */
  static String show(Object v) {
    if (v == null) {
      return "null";
    }
    String type =
        v instanceof String
            ? "a string"
            : v instanceof Boolean
                ? "a boolean"
                : v instanceof Number
                    ? "a number"
                    : v instanceof List
                        ? "a list"
                        : v instanceof Map ? "an object" : v.getClass().getSimpleName();
    String text = v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    if (text.length() > 100) {
      text = text.substring(0, 97) + "...";
    }
    return text + " (" + type + ")";
  }
}
