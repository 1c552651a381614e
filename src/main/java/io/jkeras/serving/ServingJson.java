package io.jkeras.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON dialect of the REST API, shared by the server, its tests and the benchmark: Jackson with
 * {@code NaN}, {@code Infinity} and {@code -Infinity} as bare number tokens both ways (as
 * TensorFlow Serving reads and writes them), duplicate keys and trailing garbage rejected. (Tensor
 * values are formatted by {@link JsonTensors}, as TensorFlow Serving formats them.)
 *
 * <pre>{@code
 * JsonNode body = ServingJson.MAPPER.readTree(bytes);
 * byte[] out = ServingJson.write(g -> { g.writeStartObject(); g.writeEndObject(); });
 * }</pre>
 */
public final class ServingJson {

  private ServingJson() {}

  /** Thread-safe mapper configured for the REST API. */
  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .build();

  /** Writes a document with a generator. */
  @FunctionalInterface
  public interface Writer {
    /**
     * Writes the document's tokens to {@code g}.
     *
     * @throws IOException if the generator fails
     */
    void write(JsonGenerator g) throws IOException;
  }

  /** Runs {@code writer} against a fresh generator and returns the UTF-8 bytes. */
  public static byte[] write(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code {"error": message}}. */
  public static byte[] error(String message) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("error", message == null ? "" : message);
          g.writeEndObject();
        });
  }
}
