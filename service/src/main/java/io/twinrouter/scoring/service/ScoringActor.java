package io.twinrouter.scoring.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.common.Failures;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Owns what the scoring service serves: the loaded banks (immutable, with their cached token
 * counts) and the jobs. It never scores itself: it hands out immutable bank references, and
 * CPU-bound work runs on the scoring dispatcher, so a score request never queues behind another.
 *
 * <p>Live-run results (issue 6) join as a third registry here, next to banks and jobs, with
 * their own commands; nothing below assumes the static track only.
 */
public final class ScoringActor extends AbstractBehavior<ScoringActor.Command> {

  public sealed interface Command {}

  /** Replies whether the banks are loaded. */
  public record GetHealth(ActorRef<Health> replyTo) implements Command {}

  public record ListBanks(ActorRef<List<ServedBank>> replyTo) implements Command {}

  public record GetBank(String name, ActorRef<Optional<ServedBank>> replyTo) implements Command {}

  /** Starts a job and replies with its first status (its id). */
  public record StartJob(JobWork work, ActorRef<JobStatus> replyTo) implements Command {}

  public record GetJob(String id, ActorRef<Optional<JobStatus>> replyTo) implements Command {}

  /** Replies with the job and, once it is done, its prediction file; empty for an unknown job. */
  public record GetPredictions(String id, ActorRef<Optional<JobPredictions>> replyTo) implements Command {}

  /** @param jsonl the job's prediction file, or null until the job is done */
  public record JobPredictions(JobStatus job, byte[] jsonl) {}

  private record BanksLoaded(List<ServedBank> banks, Throwable failure) implements Command {}

  private record JobProgressed(String id, int done, int errors) implements Command {}

  private record JobEnded(String id, JobWork.Result result, Throwable failure) implements Command {}

  /** {@code loading} until the banks are in; {@code failed} with the reason when loading failed. */
  public record Health(String status, List<String> banks, String detail) {
    public boolean ready() {
      return "ok".equals(status);
    }
  }

  public static Behavior<Command> create(CompletionStage<List<ServedBank>> banks, int maxFinishedJobs) {
    return Behaviors.setup(ctx -> new ScoringActor(ctx, banks, maxFinishedJobs));
  }

  private final Map<String, ServedBank> banks = new LinkedHashMap<>();
  private final Map<String, JobStatus> jobs = new HashMap<>();
  /** The prediction files of the done jobs among {@link #jobs}, dropped with them. */
  private final Map<String, byte[]> predictions = new HashMap<>();
  private final Deque<String> finishedJobs = new ArrayDeque<>();
  private final int maxFinishedJobs;
  private Health health = new Health("loading", List.of(), "loading the banks");

  private ScoringActor(
      ActorContext<Command> ctx, CompletionStage<List<ServedBank>> loading, int maxFinishedJobs) {
    super(ctx);
    this.maxFinishedJobs = maxFinishedJobs;
    ctx.pipeToSelf(loading, BanksLoaded::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(BanksLoaded.class, this::onBanksLoaded)
        .onMessage(GetHealth.class, m -> reply(m.replyTo(), health))
        .onMessage(ListBanks.class, m -> reply(m.replyTo(), List.copyOf(banks.values())))
        .onMessage(GetBank.class, m -> reply(m.replyTo(), Optional.ofNullable(banks.get(m.name()))))
        .onMessage(StartJob.class, this::onStartJob)
        .onMessage(GetJob.class, m -> reply(m.replyTo(), Optional.ofNullable(jobs.get(m.id()))))
        .onMessage(GetPredictions.class, m -> reply(m.replyTo(), Optional.ofNullable(jobs.get(m.id()))
            .map(j -> new JobPredictions(j, predictions.get(m.id())))))
        .onMessage(JobProgressed.class, this::onJobProgressed)
        .onMessage(JobEnded.class, this::onJobEnded)
        .build();
  }

  private <T> Behavior<Command> reply(ActorRef<T> to, T answer) {
    to.tell(answer);
    return this;
  }

  private Behavior<Command> onBanksLoaded(BanksLoaded msg) {
    if (msg.failure() != null) {
      String why = reason(msg.failure());
      getContext().getLog().error("loading the banks failed: {}", why);
      health = new Health("failed", List.of(), why);
      return this;
    }
    msg.banks().forEach(b -> banks.put(b.name(), b));
    health = new Health("ok", List.copyOf(banks.keySet()), "banks loaded");
    getContext().getLog().info("serving {} bank(s): {}", banks.size(), banks.keySet());
    return this;
  }

  private Behavior<Command> onStartJob(StartJob msg) {
    JobWork work = msg.work();
    String id = UUID.randomUUID().toString();
    JobStatus status = JobStatus.started(id, work.kind(), work.bank(), work.router(), work.total());
    jobs.put(id, status);
    ActorRef<Command> self = getContext().getSelf();
    CompletionStage<JobWork.Result> result;
    try {
      result = work.run((done, errors) -> self.tell(new JobProgressed(id, done, errors)));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    getContext().pipeToSelf(result, (done, failure) -> new JobEnded(id, done, failure));
    getContext().getLog().info("job {} started: {} of bank {} by {}", id, work.kind(), work.bank(), work.router());
    msg.replyTo().tell(status);
    return this;
  }

  /** The message of the failure behind the future's wrappers. */
  private static String reason(Throwable failure) {
    Throwable t = Failures.cause(failure);
    if (t instanceof java.io.UncheckedIOException u && u.getCause() != null) {
      t = u.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private Behavior<Command> onJobProgressed(JobProgressed msg) {
    JobStatus s = jobs.get(msg.id());
    // progress messages of one job may arrive out of order from several threads: keep the max
    if (s != null && !s.finished() && msg.done() >= s.progress().done()) {
      jobs.put(msg.id(), s.withProgress(new JobStatus.Progress(msg.done(), s.progress().total(), msg.errors())));
    }
    return this;
  }

  private Behavior<Command> onJobEnded(JobEnded msg) {
    JobStatus s = jobs.get(msg.id());
    if (s == null) {
      return this;
    }
    if (msg.failure() != null) {
      String why = reason(msg.failure());
      getContext().getLog().warn("job {} failed: {}", msg.id(), why);
      jobs.put(msg.id(), s.failed(why));
    } else {
      JobStatus.Progress p = s.progress();
      jobs.put(msg.id(), s.withProgress(new JobStatus.Progress(p.total(), p.total(), p.errors()))
          .done(msg.result().summary()));
      predictions.put(msg.id(), msg.result().predictionsJsonl());
      getContext().getLog().info("job {} done", msg.id());
    }
    finishedJobs.addLast(msg.id());
    while (finishedJobs.size() > maxFinishedJobs) {
      String dropped = finishedJobs.removeFirst();
      jobs.remove(dropped);
      predictions.remove(dropped);
    }
    return this;
  }
}
