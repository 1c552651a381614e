package io.jkeras.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A java.net.http client for the serving tests: JSON in, status and JSON out. */
final class TestHttp {

  /** A response: status code, raw body and the body parsed as JSON (null if it is not). */
  record Reply(int status, String body, JsonNode json) {
    String error() {
      return json == null || json.get("error") == null ? null : json.get("error").asText();
    }
  }

  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  final URI base;

  TestHttp(URI base) {
    this.base = base;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = ServingJson.MAPPER.readTree(r.body());
    } catch (IOException e) {
      json = null;
    }
    return new Reply(r.statusCode(), r.body(), json);
  }

  static JsonNode json(String s) {
    try {
      return ServingJson.MAPPER.readTree(s);
    } catch (IOException e) {
      throw new IllegalArgumentException(s, e);
    }
  }
}
