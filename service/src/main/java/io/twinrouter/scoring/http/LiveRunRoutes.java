package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.scoring.json.PythonJsonWriter;
import io.twinrouter.scoring.service.LiveRunView;
import io.twinrouter.scoring.service.LiveRuns;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.CompletionStrategy;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Live runs: {@code GET /v1/live/runs} (every run with its progress, spend and resolved count),
 * {@code /v1/live/runs/{id}} (each case's state and spend), {@code /v1/live/runs/{id}/score}
 * (the run's score.json, byte for byte as the run writes it; 409 while the run goes on) and
 * {@code /v1/live/runs/{id}/events}: server-sent events pushed by the {@link LiveRuns} registry,
 * a {@code case} event per case (its state now, then each update), then one {@code done}.
 */
public final class LiveRunRoutes {
  /** Case updates a slow client may lag behind before the oldest ones are dropped. */
  static final int EVENT_BUFFER = 4096;

  private final ActorSystem<?> system;
  private final ActorRef<LiveRuns.Command> runs;
  private final Duration timeout;

  public LiveRunRoutes(ActorSystem<?> system, ActorRef<LiveRuns.Command> runs, Duration timeout) {
    this.system = system;
    this.runs = runs;
    this.timeout = timeout;
  }

  public Route routes() {
    return pathPrefix(PathMatchers.segment("v1").slash("live").slash("runs"), () -> concat(
        pathEnd(() -> get(() -> onSuccess(list(), l -> complete(StatusCodes.OK, l, JsonSupport.json())))),
        pathPrefix(PathMatchers.segment(), id -> concat(
            pathEnd(() -> get(() -> onSuccess(detail(id), d -> complete(StatusCodes.OK, d, JsonSupport.json())))),
            path("score", () -> get(() -> onSuccess(score(id), s -> complete(HttpEntities.create(
                ContentTypes.APPLICATION_JSON, PythonJsonWriter.write(s)))))),
            path("events", () -> get(() -> onSuccess(detail(id), d ->
                complete(EventStream.response(events(id))))))))));
  }

  private CompletionStage<LiveRuns.RunList> list() {
    return AskPattern.ask(runs, LiveRuns.ListRuns::new, timeout, system.scheduler());
  }

  private CompletionStage<LiveRunView.Detail> detail(String id) {
    CompletionStage<LiveRuns.RunAnswer> found =
        AskPattern.ask(runs, r -> new LiveRuns.GetRun(id, r), timeout, system.scheduler());
    return found.thenApply(d -> d.run().orElseThrow(() -> unknown(id)));
  }

  private CompletionStage<ObjectNode> score(String id) {
    CompletionStage<LiveRuns.ScoreAnswer> answer =
        AskPattern.ask(runs, r -> new LiveRuns.GetScore(id, r), timeout, system.scheduler());
    return answer.thenApply(a -> {
      LiveRunView.Summary run = a.run().orElseThrow(() -> unknown(id));
      return a.score().orElseThrow(() -> new ApiException(StatusCodes.CONFLICT, "run_in_progress",
          "live run '" + id + "' is still going (" + run.progress().finished() + " of "
              + run.progress().total() + " cases finished); its score is final once it finishes:"
              + " follow GET /v1/live/runs/" + id + "/events"));
    });
  }

  private static ApiException unknown(String id) {
    return ApiException.notFound("unknown_run", "no live run with id '" + id + "'");
  }

  /**
   * The registry pushes into an actor-backed source (no polling); its end marker completes the
   * stream once the buffered events are out.
   */
  private Source<ServerSentEvent, NotUsed> events(String id) {
    Source<LiveRuns.StreamItem, org.apache.pekko.actor.ActorRef> pushed = Source.actorRef(
        m -> m == LiveRuns.End.INSTANCE ? Optional.of(CompletionStrategy.draining()) : Optional.empty(),
        m -> Optional.empty(),
        EVENT_BUFFER,
        OverflowStrategy.dropHead());
    return pushed
        .mapMaterializedValue(ref -> {
          runs.tell(new LiveRuns.Subscribe(id, Adapter.toTyped(ref)));
          return NotUsed.getInstance();
        })
        .map(LiveRunRoutes::toEvent)
        .keepAlive(JobRoutes.HEARTBEAT, ServerSentEvent::heartbeat);
  }

  private static ServerSentEvent toEvent(LiveRuns.StreamItem item) throws JsonProcessingException {
    if (item instanceof LiveRuns.CaseUpdate c) {
      return ServerSentEvent.create(JsonSupport.MAPPER.writeValueAsString(c.update()), "case");
    }
    if (item instanceof LiveRuns.Done d) {
      return ServerSentEvent.create(JsonSupport.MAPPER.writeValueAsString(d.run()), "done");
    }
    throw new IllegalStateException("not an event: " + item);
  }
}
