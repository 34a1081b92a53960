package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /health}: 200 once the banks are loaded, 503 before (or when loading failed). */
public final class HealthRoutes {
  private final ScoringClient scoring;

  public HealthRoutes(ScoringClient scoring) {
    this.scoring = scoring;
  }

  public Route routes() {
    return path("health", () -> get(() -> onSuccess(scoring.health(), h ->
        complete(h.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, h, JsonSupport.json()))));
  }
}
