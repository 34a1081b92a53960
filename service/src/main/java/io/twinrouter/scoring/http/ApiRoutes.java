package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import java.util.List;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Every route of the service, behind the error handlers, the body limit and (but for {@code
 * /health}) the bearer token. {@link #ENDPOINTS} lists them: the OpenAPI test checks that the
 * document and the server agree with this list.
 */
public final class ApiRoutes {

  /** One route: an HTTP method and an OpenAPI path template. */
  public record Endpoint(String method, String path) {}

  public static final List<Endpoint> ENDPOINTS = java.util.stream.Stream.of(List.of(
      new Endpoint("GET", "/health"),
      new Endpoint("GET", "/openapi.yaml"),
      new Endpoint("GET", "/v1/static/banks"),
      new Endpoint("GET", "/v1/static/banks/{bank}/prefixes"),
      new Endpoint("POST", "/v1/static/banks/{bank}/score"),
      new Endpoint("POST", "/v1/static/banks/{bank}/evaluations"),
      new Endpoint("GET", "/v1/jobs/{id}"),
      new Endpoint("GET", "/v1/jobs/{id}/events"),
      new Endpoint("GET", "/v1/jobs/{id}/predictions"),
      new Endpoint("GET", "/v1/live/runs"),
      new Endpoint("GET", "/v1/live/runs/{id}"),
      new Endpoint("GET", "/v1/live/runs/{id}/score"),
      new Endpoint("GET", "/v1/live/runs/{id}/events")),
      CompareRoutes.ENDPOINTS, GapRoutes.ENDPOINTS, UiRoutes.ENDPOINTS).flatMap(List::stream).toList();

  private final HttpSettings settings;
  private final Route open;
  private final List<Route> guarded;

  /**
   * @param open routes anyone may call ({@code /health})
   * @param guarded routes that need the bearer token when one is set
   */
  public ApiRoutes(HttpSettings settings, Route open, List<Route> guarded) {
    this.settings = settings;
    this.open = open;
    this.guarded = List.copyOf(guarded);
  }

  public Route routes() {
    BearerAuth auth = new BearerAuth(settings.apiToken());
    Route protectedRoutes = auth.authenticated(() -> concat(guarded.get(0), guarded.subList(1, guarded.size()).toArray(Route[]::new)));
    return handleExceptions(ApiErrors.EXCEPTIONS, () ->
        handleRejections(ApiErrors.REJECTIONS, () ->
            withSizeLimit(settings.maxBodyBytes(), () -> concat(open, protectedRoutes))));
  }
}
