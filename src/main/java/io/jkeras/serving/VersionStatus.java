package io.jkeras.serving;

/**
 * The state of one model version, as {@code GET /v1/models/{name}} reports it.
 *
 * <pre>{@code
 * new VersionStatus(3, VersionStatus.AVAILABLE, ErrorCode.OK, "")
 * // -> {"version": "3", "state": "AVAILABLE", "status": {"error_code": "OK", "error_message": ""}}
 * }</pre>
 *
 * @param version the version number (the folder name under the base path)
 * @param state {@link #LOADING}, {@link #AVAILABLE}, {@link #UNLOADING} or {@link #END}
 * @param errorCode {@code OK}, or why the version is not serving (a failed load is {@code UNKNOWN}
 *     with the loader's message)
 * @param errorMessage empty when OK
 */
public record VersionStatus(long version, String state, ErrorCode errorCode, String errorMessage) {

  /** The version is being loaded and does not serve yet. */
  public static final String LOADING = "LOADING";

  /** The version is loaded and serves requests. */
  public static final String AVAILABLE = "AVAILABLE";

  /** The version is being unloaded: requests in flight finish, new ones go to other versions. */
  public static final String UNLOADING = "UNLOADING";

  /** Unloaded, or failed to load (then {@code errorCode} is not OK). */
  public static final String END = "END";
}
