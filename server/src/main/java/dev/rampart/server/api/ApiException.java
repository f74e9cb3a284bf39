package dev.rampart.server.api;

/** A request that cannot be served, with a stable code and a message that says what to do. */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;

  public ApiException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static ApiException notFound(String what) {
    return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
  }

  public static ApiException invalid(String message) {
    return new ApiException(ErrorCode.INVALID_REQUEST, message);
  }
}
