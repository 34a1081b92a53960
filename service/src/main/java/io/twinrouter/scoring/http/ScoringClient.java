package io.twinrouter.scoring.http;

import io.twinrouter.scoring.service.JobStatus;
import io.twinrouter.scoring.service.JobWork;
import io.twinrouter.scoring.service.ScoringActor;
import io.twinrouter.scoring.service.ServedBank;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The routes' side of the scoring actor: every ask, with the configured timeout
 * ({@code twinrouter.http.ask-timeout}); a missing bank or job fails the stage with a 404.
 */
public final class ScoringClient {
  private final ActorSystem<?> system;
  private final ActorRef<ScoringActor.Command> actor;
  private final Duration timeout;

  public ScoringClient(ActorSystem<?> system, ActorRef<ScoringActor.Command> actor, Duration timeout) {
    this.system = system;
    this.actor = actor;
    this.timeout = timeout;
  }

  public CompletionStage<ScoringActor.Health> health() {
    return AskPattern.ask(actor, ScoringActor.GetHealth::new, timeout, system.scheduler());
  }

  public CompletionStage<List<ServedBank>> banks() {
    return AskPattern.ask(actor, ScoringActor.ListBanks::new, timeout, system.scheduler());
  }

  public CompletionStage<ServedBank> bank(String name) {
    CompletionStage<Optional<ServedBank>> found =
        AskPattern.ask(actor, r -> new ScoringActor.GetBank(name, r), timeout, system.scheduler());
    return found.thenApply(
        b -> b.orElseThrow(() -> ApiException.notFound("unknown_bank", "no bank named '" + name + "' is loaded")));
  }

  public CompletionStage<JobStatus> startJob(JobWork work) {
    return AskPattern.ask(actor, r -> new ScoringActor.StartJob(work, r), timeout, system.scheduler());
  }

  public CompletionStage<Optional<JobStatus>> findJob(String id) {
    return AskPattern.ask(actor, r -> new ScoringActor.GetJob(id, r), timeout, system.scheduler());
  }

  /** The job's prediction file once it is done; 404 for an unknown job, 409 while it runs. */
  public CompletionStage<byte[]> predictions(String id) {
    CompletionStage<Optional<ScoringActor.JobPredictions>> found =
        AskPattern.ask(actor, r -> new ScoringActor.GetPredictions(id, r), timeout, system.scheduler());
    return found.thenApply(j -> {
      ScoringActor.JobPredictions p = j.orElseThrow(() -> unknownJob(id));
      if (p.jsonl() == null) {
        throw new ApiException(StatusCodes.CONFLICT, "job_not_done", p.job().finished()
            ? "job '" + id + "' failed (" + p.job().error() + "): it has no predictions"
            : "job '" + id + "' is running; its predictions are there once it is done");
      }
      return p.jsonl();
    });
  }

  private static ApiException unknownJob(String id) {
    return ApiException.notFound("unknown_job", "no job with id '" + id + "'");
  }

  public CompletionStage<JobStatus> job(String id) {
    return findJob(id).thenApply(
        j -> j.orElseThrow(() -> unknownJob(id)));
  }
}
