package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.twinrouter.scoring.service.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code GET /v1/jobs/{id}} (the status), {@code GET /v1/jobs/{id}/events}: server-sent
 * events, {@code progress} while the job runs (only when it changed), then one {@code done} event
 * whose data is the final status with the summary (or {@code failed} with the reason); and
 * {@code GET /v1/jobs/{id}/predictions}: the done job's prediction file (JSONL, as {@code static
 * route} writes it; 409 while the job runs).
 */
public final class JobRoutes {
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private static final ContentType NDJSON = ContentTypes.create(
      org.apache.pekko.http.javadsl.model.MediaTypes.applicationWithOpenCharset("x-ndjson"),
      HttpCharsets.UTF_8);

  private final ScoringClient scoring;

  public JobRoutes(ScoringClient scoring) {
    this.scoring = scoring;
  }

  public Route routes() {
    return pathPrefix(PathMatchers.segment("v1").slash("jobs"), () -> pathPrefix(PathMatchers.segment(), id ->
        concat(
            pathEnd(() -> get(() -> onSuccess(scoring.job(id), job ->
                complete(StatusCodes.OK, job, JsonSupport.json())))),
            path("events", () -> get(() -> onSuccess(scoring.job(id), first ->
                complete(EventStream.response(events(id)))))),
            path("predictions", () -> get(() -> onSuccess(scoring.predictions(id), jsonl ->
                complete(HttpEntities.create(NDJSON, jsonl))))))));
  }

  /**
   * The actor holds one status per job; the stream samples it every {@link #POLL_INTERVAL} and
   * sends what changed, so a slow client never slows the job.
   */
  private Source<ServerSentEvent, NotUsed> events(String id) {
    AtomicReference<JobStatus.Progress> lastSent = new AtomicReference<>();
    return Source.tick(Duration.ZERO, POLL_INTERVAL, id)
        .mapMaterializedValue(c -> NotUsed.getInstance())
        .mapAsync(1, scoring::findJob)
        .takeWhile(Optional::isPresent)
        .map(Optional::get)
        .takeWhile(job -> !job.finished(), true)
        .mapConcat(job -> toEvents(job, lastSent))
        .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat);
  }

  private static List<ServerSentEvent> toEvents(JobStatus job, AtomicReference<JobStatus.Progress> lastSent)
      throws JsonProcessingException {
    List<ServerSentEvent> out = new ArrayList<>(2);
    if (!job.progress().equals(lastSent.getAndSet(job.progress()))) {
      out.add(ServerSentEvent.create(JsonSupport.MAPPER.writeValueAsString(job.progress()), "progress"));
    }
    if (job.finished()) {
      String type = job.status() == JobStatus.State.DONE ? "done" : "failed";
      out.add(ServerSentEvent.create(JsonSupport.MAPPER.writeValueAsString(job), type));
    }
    return out;
  }
}
