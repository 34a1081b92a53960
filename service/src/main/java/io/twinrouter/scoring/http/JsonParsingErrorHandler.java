package io.twinrouter.scoring.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests too malformed to reach the routes (a bad request-target, an oversized header) get the
 * same JSON error body as everything else; Pekko HTTP instantiates this class by name
 * ({@code pekko.http.server.parsing.error-handler}).
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("refused a malformed request: {}", info.formatPretty());
    return ApiErrors.response(status, ApiErrors.errorCode(status), info.summary());
  }
}
