package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterCheck;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.scoring.service.EvaluationJob;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /v1/static/banks/{bank}/evaluations}: starts a job that asks a router for every
 * row of the bank and scores the answers; answers 202 with the job's id.
 */
public final class EvaluationRoutes {
  public static final int MAX_CONCURRENCY = 256;
  private static final Set<String> FIELDS = Set.of("router", "label", "concurrency", "timeout_ms");

  private final ScoringClient scoring;
  private final StaticEvaluations statics;
  private final Executor scoringExecutor;
  private final HttpSettings settings;

  public EvaluationRoutes(ScoringClient scoring, StaticEvaluations statics, Executor scoringExecutor,
      HttpSettings settings) {
    this.scoring = scoring;
    this.statics = statics;
    this.scoringExecutor = scoringExecutor;
    this.settings = settings;
  }

  /** The validated request body; {@code label} is null when the body gives none. */
  record EvaluationRequest(String router, String label, int concurrency, Duration timeout) {}

  public Route routes() {
    return path(PathMatchers.segment("v1").slash("static").slash("banks").slash(PathMatchers.segment()).slash("evaluations"),
        bank -> post(() -> extractRequestEntity(requestEntity -> {
          MediaTypes.requireJson(requestEntity.getContentType());
          return onSuccess(scoring.bank(bank), served ->
              entity(Unmarshaller.entityToString(), body -> {
                EvaluationRequest request = parse(body);
                return onSuccess(start(served, request), job -> complete(
                    StatusCodes.ACCEPTED,
                    List.of(Location.create("/v1/jobs/" + job.id())),
                    Map.of("id", job.id(), "status", job.status().wireName()),
                    JsonSupport.json()));
              }));
        })));
  }

  private CompletionStage<io.twinrouter.scoring.service.JobStatus> start(ServedBank bank, EvaluationRequest request) {
    // building a label-reading router (oracle, knn) reads the whole bank: not on this thread
    return CompletableFuture.supplyAsync(() -> router(bank, request), scoringExecutor)
        .thenCompose(router -> answers(router, bank))
        .thenCompose(router -> scoring.startJob(new EvaluationJob(
            bank, router, router.name(), request.concurrency(), statics, scoringExecutor)));
  }

  /** The router, once it answered the bank's first row; a 400 when nothing answers there. */
  private CompletionStage<Router> answers(Router router, ServedBank bank) {
    return RouterCheck.check(router, statics.context(bank, 0), scoringExecutor).handle((ok, failure) -> {
      if (failure == null) {
        return router;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof IllegalArgumentException) {
        throw ApiException.badRequest("field 'router': " + cause.getMessage());
      }
      throw new CompletionException(cause);
    });
  }

  private Router router(ServedBank bank, EvaluationRequest request) {
    String name = request.router();
    if (name.strip().startsWith("java:")) {
      // loading classes by a client's say-so is for the CLI, where the user owns the class path
      throw ApiException.badRequest("field 'router': java: routers are not served over HTTP; "
          + "name a built-in router or an http:// URL");
    }
    try {
      return statics.router(name, request.label(), bank, request.timeout());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("field 'router': " + e.getMessage());
    }
  }

  EvaluationRequest parse(String body) {
    JsonNode node;
    try {
      node = JsonSupport.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      // a limit of the parser (nesting depth, number length) comes without a location
      throw ApiException.badRequest("request body" + (e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr())
          + ": bad JSON: "
          + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("request body: must be a JSON object {\"router\", \"label\", \"concurrency\", \"timeout_ms\"}");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw ApiException.badRequest("field '" + field + "': unknown (expected router, label, concurrency, timeout_ms)");
      }
    }
    JsonNode router = node.get("router");
    if (router == null || !router.isTextual() || router.textValue().isBlank()) {
      throw ApiException.badRequest("field 'router': required, a built-in router name or an http:// URL");
    }
    RouterHosts.check(router.textValue().strip(), settings.routerHosts());
    JsonNode label = node.get("label");
    if (label != null && !label.isNull() && !label.isTextual()) {
      throw ApiException.badRequest("field 'label': must be a string, the router's name in the job and its summary");
    }
    if (label != null && label.isTextual()) {
      try {
        Routers.checkLabel(label.textValue());
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("field 'label': " + e.getMessage());
      }
    }
    int concurrency = intField(node, "concurrency", settings.evaluationConcurrency(), 1, MAX_CONCURRENCY);
    long timeoutMs = intField(node, "timeout_ms", (int) settings.evaluationTimeout().toMillis(), 1, Integer.MAX_VALUE);
    return new EvaluationRequest(router.textValue(), label == null || label.isNull() ? null : label.textValue(),
        concurrency, Duration.ofMillis(timeoutMs));
  }

  private static int intField(JsonNode node, String field, int fallback, int min, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw ApiException.badRequest("field '" + field + "': must be an integer in " + min + ".." + max + ", got " + v);
    }
    return v.intValue();
  }
}
