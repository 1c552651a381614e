package io.jkeras.serving;

/**
 * TensorFlow's status codes, with the HTTP status TensorFlow Serving's REST API answers for each.
 *
 * <pre>{@code
 * int http = ErrorCode.NOT_FOUND.httpStatus(); // 404
 * }</pre>
 */
public enum ErrorCode {
  /** Success. */
  OK(200),
  /** The operation was cancelled, typically by the caller. */
  CANCELLED(499),
  /** An error with no better code, for example a model that failed to load. */
  UNKNOWN(500),
  /** The request is malformed: bad JSON, dtype, shape or signature. */
  INVALID_ARGUMENT(400),
  /** The operation did not finish before its deadline. */
  DEADLINE_EXCEEDED(504),
  /** No such model, version or signature. */
  NOT_FOUND(404),
  /** What the request would create exists already. */
  ALREADY_EXISTS(409),
  /** The caller may not do this. */
  PERMISSION_DENIED(403),
  /** A resource or quota ran out. */
  RESOURCE_EXHAUSTED(429),
  /** The system is not in a state where the operation can run. */
  FAILED_PRECONDITION(400),
  /** The operation was aborted, for example by a concurrency conflict. */
  ABORTED(409),
  /** A value is past the valid range. */
  OUT_OF_RANGE(400),
  /** The operation is not implemented or not supported. */
  UNIMPLEMENTED(501),
  /** An internal error: an invariant of the server or runtime was broken. */
  INTERNAL(500),
  /** The service is unavailable for now, for example while stopping; the request may be retried. */
  UNAVAILABLE(503),
  /** Unrecoverable data loss or corruption. */
  DATA_LOSS(500),
  /** The request has no valid credentials. */
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
