package io.jkeras.serving;

/**
 * A request that cannot be served, with the TensorFlow status code that decides the HTTP status.
 * The message is sent to the client as {@code {"error": message}}.
 *
 * <pre>{@code
 * throw ServingException.invalid("Input \"x\" expects DT_INT32 but instance 1 has 1.5");
 * }</pre>
 */
public final class ServingException extends Exception {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final int httpStatus;

  /**
   * A failure answered with {@code code}'s usual HTTP status.
   *
   * @param message sent to the client as {@code {"error": message}}
   */
  public ServingException(ErrorCode code, String message) {
    this(code, code.httpStatus(), message, null);
  }

  /**
   * A failure answered with an explicit HTTP status (for example 413 for a body that is too large).
   *
   * @param message sent to the client as {@code {"error": message}}
   * @param cause the underlying failure, or null
   */
  public ServingException(ErrorCode code, int httpStatus, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** 400: the request is wrong (bad JSON, dtype, shape, signature...). */
  public static ServingException invalid(String message) {
    return new ServingException(ErrorCode.INVALID_ARGUMENT, message);
  }

  /** 404: no such model or version. */
  public static ServingException notFound(String message) {
    return new ServingException(ErrorCode.NOT_FOUND, message);
  }

  /** The TensorFlow status code of the failure. */
  public ErrorCode code() {
    return code;
  }

  /** The HTTP status to answer with (usually {@code code().httpStatus()}). */
  public int httpStatus() {
    return httpStatus;
  }
}
