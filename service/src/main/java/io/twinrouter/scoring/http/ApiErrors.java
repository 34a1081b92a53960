package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.twinrouter.common.Failures;
import io.twinrouter.config.InputFormatException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps everything a client can cause to a 4xx answer with the JSON body {@code {"error",
 * "detail"}}. Only our own bugs and infrastructure failures become a 500, and they are logged.
 */
public final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  public static Route respond(StatusCode status, String error, String detail) {
    return complete(status, new ErrorBody(error, detail), JsonSupport.json());
  }

  public static HttpResponse response(StatusCode status, String error, String detail) {
    try {
      byte[] body = JsonSupport.MAPPER.writeValueAsBytes(new ErrorBody(error, detail));
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static final ExceptionHandler EXCEPTIONS =
      ExceptionHandler.newBuilder().matchAny(ApiErrors::handle).build();

  /**
   * Pekko's own rejections (unknown path, wrong method, missing parameter, a body past the limit)
   * keep their status and message; only the body becomes our JSON error.
   */
  public static final RejectionHandler REJECTIONS =
      RejectionHandler.defaultHandler().mapRejectionResponse(ApiErrors::asJsonError);

  private static Route handle(Throwable thrown) {
    Throwable e = Failures.cause(thrown);
    if (e instanceof ApiException api) {
      return respond(api.status(), api.error(), api.detail());
    }
    if (e instanceof InputFormatException input) {
      // a malformed prediction body, an unknown tier or row id, an impossible sample
      return respond(StatusCodes.BAD_REQUEST, "bad_request", input.getMessage());
    }
    if (e instanceof EntityStreamSizeException size) {
      return respond(
          StatusCodes.PAYLOAD_TOO_LARGE,
          "payload_too_large",
          "request body exceeds the limit of " + size.limit() + " bytes");
    }
    if (e instanceof IllegalRequestException bad) {
      StatusCode status = bad.status();
      return respond(status, errorCode(status), bad.info().summary());
    }
    if (e instanceof JsonProcessingException json) {
      return respond(StatusCodes.BAD_REQUEST, "bad_request", json.getOriginalMessage());
    }
    if (e instanceof TimeoutException) {
      log.warn("request timed out: {}", e.getMessage());
      return respond(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", "the service is busy: " + e.getMessage());
    }
    log.error("internal error", e);
    return respond(StatusCodes.INTERNAL_SERVER_ERROR, "internal", e.getClass().getSimpleName());
  }


  private static HttpResponse asJsonError(HttpResponse response) {
    if (response.entity().getContentType().mediaType().equals(ContentTypes.APPLICATION_JSON.mediaType())) {
      return response;
    }
    String text =
        response.entity() instanceof HttpEntity.Strict strict
            ? strict.getData().utf8String()
            : response.status().reason();
    return response(response.status(), errorCode(response.status()), text);
  }

  static String errorCode(StatusCode status) {
    int code = status.intValue();
    return switch (code) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 503 -> "unavailable";
      default -> code >= 500 ? "internal" : "client_error";
    };
  }
}
