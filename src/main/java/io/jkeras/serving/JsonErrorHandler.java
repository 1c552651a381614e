package io.jkeras.serving;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Makes the errors that Jetty itself answers (unparsable HTTP, a URI it refuses, 503 while shutting
 * down) use the API's body, {@code {"error": "..."}}, instead of an HTML page.
 *
 * <pre>{@code
 * server.setErrorHandler(new JsonErrorHandler());
 * }</pre>
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    byte[] body = ServingJson.error(text(code, message));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static String text(int code, String message) {
    String m = message == null || message.isEmpty() ? HttpStatus.getMessage(code) : message;
    if (code == 503) {
      m = m + " (the server is shutting down or not ready)";
    }
    return m;
  }
}
