package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.scoring.service.Comparisons;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.CompletionStrategy;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Comparisons ({@code compare --serve}): {@code GET /v1/compare} (each comparison's latest
 * standing), {@code /v1/compare/{id}} (one, as its {@code compare.json}) and {@code
 * /v1/compare/{id}/events}: a {@code look} event per look of the sequential test (the running
 * estimate with its interval, the boundary and the spend), then one {@code done}.
 */
public final class CompareRoutes {
  public static final List<ApiRoutes.Endpoint> ENDPOINTS = List.of(
      new ApiRoutes.Endpoint("GET", "/v1/compare"),
      new ApiRoutes.Endpoint("GET", "/v1/compare/{id}"),
      new ApiRoutes.Endpoint("GET", "/v1/compare/{id}/events"));

  /** Looks a slow client may lag behind before the oldest are dropped (a look per batch). */
  private static final int EVENT_BUFFER = 1024;

  private final ActorSystem<?> system;
  private final ActorRef<Comparisons.Command> comparisons;
  private final Duration timeout;

  public CompareRoutes(ActorSystem<?> system, ActorRef<Comparisons.Command> comparisons,
      Duration timeout) {
    this.system = system;
    this.comparisons = comparisons;
    this.timeout = timeout;
  }

  public Route routes() {
    return pathPrefix(PathMatchers.segment("v1").slash("compare"), () -> concat(
        pathEnd(() -> get(() -> onSuccess(list(), l -> complete(StatusCodes.OK, l, JsonSupport.json())))),
        pathPrefix(PathMatchers.segment(), id -> concat(
            pathEnd(() -> get(() -> onSuccess(one(id), c -> complete(StatusCodes.OK, c, JsonSupport.json())))),
            path("events", () -> get(() -> onSuccess(one(id), c ->
                complete(EventStream.response(events(id))))))))));
  }

  private CompletionStage<ObjectNode> list() {
    CompletionStage<Comparisons.Listing> l =
        AskPattern.ask(comparisons, Comparisons.ListAll::new, timeout, system.scheduler());
    return l.thenApply(listing -> {
      ObjectNode j = JsonNodeFactory.instance.objectNode();
      var all = j.putArray("comparisons");
      listing.comparisons().forEach(all::add);
      return j;
    });
  }

  private CompletionStage<ObjectNode> one(String id) {
    CompletionStage<Comparisons.Answer> a =
        AskPattern.ask(comparisons, r -> new Comparisons.Get(id, r), timeout, system.scheduler());
    return a.thenApply(answer -> answer.standing().orElseThrow(() ->
        ApiException.notFound("unknown_comparison", "no comparison with id '" + id + "'")));
  }

  private Source<ServerSentEvent, NotUsed> events(String id) {
    Source<Comparisons.StreamItem, org.apache.pekko.actor.ActorRef> pushed = Source.actorRef(
        m -> m == Comparisons.End.INSTANCE ? Optional.of(CompletionStrategy.draining()) : Optional.empty(),
        m -> Optional.empty(),
        EVENT_BUFFER,
        OverflowStrategy.dropHead());
    return pushed
        .mapMaterializedValue(ref -> {
          comparisons.tell(new Comparisons.Subscribe(id, Adapter.toTyped(ref)));
          return NotUsed.getInstance();
        })
        .filter(item -> item instanceof Comparisons.Look)
        .map(item -> toEvent((Comparisons.Look) item))
        .keepAlive(JobRoutes.HEARTBEAT, ServerSentEvent::heartbeat);
  }

  private static ServerSentEvent toEvent(Comparisons.Look look) throws JsonProcessingException {
    return ServerSentEvent.create(JsonSupport.MAPPER.writeValueAsString(look.standing()),
        look.finished() ? "done" : "look");
  }
}
