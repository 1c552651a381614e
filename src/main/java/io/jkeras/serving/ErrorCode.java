package io.jkeras.serving;

/**
 * TensorFlow's status codes, with the HTTP status TensorFlow Serving's REST API answers for each.
 *
 * <pre>{@code
 * int http = ErrorCode.NOT_FOUND.httpStatus(); // 404
 * }</pre>
 */
public enum ErrorCode {
  OK(200),
  CANCELLED(499),
  UNKNOWN(500),
  INVALID_ARGUMENT(400),
  DEADLINE_EXCEEDED(504),
  NOT_FOUND(404),
  ALREADY_EXISTS(409),
  PERMISSION_DENIED(403),
  RESOURCE_EXHAUSTED(429),
  FAILED_PRECONDITION(400),
  ABORTED(409),
  OUT_OF_RANGE(400),
  UNIMPLEMENTED(501),
  INTERNAL(500),
  UNAVAILABLE(503),
  DATA_LOSS(500),
  UNAUTHENTICATED(401);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The HTTP status code for this error. */
  public int httpStatus() {
    return httpStatus;
  }
}
