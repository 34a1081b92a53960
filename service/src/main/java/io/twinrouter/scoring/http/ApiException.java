package io.twinrouter.scoring.http;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A client's mistake, answered with {@code status} and the JSON body {@code {"error","detail"}}.
 * {@code error} is a short stable code; {@code detail} names the line or field at fault.
 */
public final class ApiException extends RuntimeException {
  private final StatusCode status;
  private final String error;

  public ApiException(StatusCode status, String error, String detail) {
    super(detail);
    this.status = status;
    this.error = error;
  }

  public StatusCode status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String detail() {
    return getMessage();
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(StatusCodes.BAD_REQUEST, "bad_request", detail);
  }

  public static ApiException notFound(String error, String detail) {
    return new ApiException(StatusCodes.NOT_FOUND, error, detail);
  }
}
