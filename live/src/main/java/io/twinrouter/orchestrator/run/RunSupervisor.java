package io.twinrouter.orchestrator.run;

import io.twinrouter.agent.model.ModelSetupException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Runs the cases of one live run: at most {@code workers} at a time, each in its own supervised
 * actor. An exception from a case actor is an infrastructure failure (sandbox or engine gone, model
 * transport failing after its retries): the case is restarted with backoff, up to a cap, then
 * recorded as an infrastructure error. Outcomes the model causes arrive as values and are final.
 * Once the run's spend reaches the budget no new case starts; running cases finish. Once a
 * provider refuses the run's set-up ({@link ModelSetupException}: a key, credit, a model name) no
 * new case starts either, and running cases stop at their next model call without a result.
 */
public final class RunSupervisor extends AbstractBehavior<RunSupervisor.Command> {

  public sealed interface Command {}

  /** Sent by a case actor after each finished step, with the case's total spend so far. */
  public record CaseStepped(String caseId, int steps, double caseSpendUsd) implements Command {}

  /** Sent by a case actor once, when the case is over; the actor stops afterwards. */
  public record CaseCompleted(CaseResult result) implements Command {}

  public record GetProgress(ActorRef<RunProgress> replyTo) implements Command {}

  public record Subscribe(ActorRef<RunEvent> subscriber) implements Command {}

  /** Sent from inside each supervised case on every (re)start, so restarts become visible. */
  private record AttemptStarted(String caseId) implements Command {}

  /**
   * @param restartCap restarts of one case before it counts as an infrastructure error
   * @param budgetUsd run-wide spend after which no new case starts; empty for none
   */
  public record Settings(
      String runId,
      int workers,
      int restartCap,
      Duration minBackoff,
      Duration maxBackoff,
      Optional<Double> budgetUsd) {}

  private static final Duration NEVER_RESET = Duration.ofDays(1); // the scheduler refuses ~248 days and more

  private final Settings settings;
  private final CaseFactory factory;
  private final Deque<String> queue;
  private final int total;
  private final Map<ActorRef<Void>, String> childToCase = new HashMap<>();
  private final Map<String, CaseState> running = new LinkedHashMap<>();
  private final List<CaseResult> results = new ArrayList<>();
  private final List<ActorRef<RunEvent>> subscribers = new ArrayList<>();
  private final ActorRef<RunProgress> onFinished;
  private double finishedSpend;
  private long finishedSteps;
  private boolean budgetReached;
  /** The provider's refusal of the run's set-up, after which no case starts; null while none. */
  private ModelSetupException setupMistake;

  private static final class CaseState {
    int steps;
    double spend;
    int attempts;
    boolean completed;
    String lastFailure;
  }

  public static Behavior<Command> create(
      Settings settings, List<String> caseIds, CaseFactory factory, ActorRef<RunProgress> onFinished) {
    return Behaviors.setup(ctx -> new RunSupervisor(ctx, settings, caseIds, factory, onFinished));
  }

  private RunSupervisor(
      ActorContext<Command> ctx,
      Settings settings,
      List<String> caseIds,
      CaseFactory factory,
      ActorRef<RunProgress> onFinished) {
    super(ctx);
    this.settings = settings;
    this.factory = factory;
    this.queue = new ArrayDeque<>(caseIds);
    this.total = caseIds.size();
    this.onFinished = onFinished;
    startMore();
    finishIfDone();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(CaseStepped.class, this::onStepped)
        .onMessage(CaseCompleted.class, this::onCompleted)
        .onMessage(GetProgress.class, this::onGetProgress)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(AttemptStarted.class, this::onAttemptStarted)
        .onSignal(ChildFailed.class, this::onChildFailed)
        .onSignal(Terminated.class, this::onChildStopped)
        .build();
  }

  private void startMore() {
    while (running.size() < settings.workers() && !queue.isEmpty() && !budgetExhausted()
        && setupMistake == null) {
      String caseId = queue.poll();
      CaseState state = new CaseState();
      running.put(caseId, state);
      spawn(new CaseTicket(settings.runId(), caseId));
    }
    if (budgetExhausted() && !queue.isEmpty()) {
      budgetReached = true;
    }
  }

  private void spawn(CaseTicket ticket) {
    ActorRef<Command> self = getContext().getSelf();
    // The strategy restarts the case actor in place: a restart runs this setup again, which tells
    // us about the attempt and creates the case behavior anew (so it resumes from its journal);
    // the cap turns a persistent failure into a stop we observe as ChildFailed.
    Behavior<Void> attempt =
        Behaviors.setup(
            ctx -> {
              self.tell(new AttemptStarted(ticket.caseId()));
              return narrow(factory.create(ticket, self));
            });
    // A set-up mistake (ModelSetupException) stops the case for good: restarting cannot fix a
    // key or a model name. Pekko applies the innermost matching strategy first.
    Behavior<Void> stopOnSetupMistake = Behaviors.<Void>supervise(attempt)
        .onFailure(ModelSetupException.class, SupervisorStrategy.stop());
    Behavior<Void> supervised =
        Behaviors.<Void>supervise(stopOnSetupMistake)
            .onFailure(
                Exception.class,
                SupervisorStrategy.restartWithBackoff(
                        settings.minBackoff(), settings.maxBackoff(), 0.2)
                    .withMaxRestarts(settings.restartCap())
                    // The cap counts every restart of the case: by default the count resets once
                    // an attempt has run for minBackoff, so attempts that fail later than that
                    // (a sandbox start takes seconds) would be restarted forever.
                    .withResetBackoffAfter(NEVER_RESET));
    ActorRef<Void> child =
        getContext().spawn(supervised, "case-" + sanitize(ticket.caseId()));
    childToCase.put(child, ticket.caseId());
    getContext().watch(child);
  }

  private Behavior<Command> onAttemptStarted(AttemptStarted m) {
    CaseState s = running.get(m.caseId());
    if (s != null) {
      s.attempts++;
      if (s.attempts == 1) {
        publish(new RunEvent.CaseStarted(settings.runId(), m.caseId()));
      } else {
        publish(
            new RunEvent.CaseRestarting(
                settings.runId(), m.caseId(), s.attempts - 1, "infrastructure failure"));
      }
    }
    return this;
  }

  @SuppressWarnings("unchecked")
  private static Behavior<Void> narrow(Behavior<?> b) {
    return (Behavior<Void>) b;
  }

  private Behavior<Command> onStepped(CaseStepped m) {
    CaseState s = running.get(m.caseId());
    if (s != null) {
      s.steps = m.steps();
      s.spend = m.caseSpendUsd();
      publish(new RunEvent.CaseStepped(settings.runId(), m.caseId(), m.steps(), m.caseSpendUsd()));
    }
    return this;
  }

  private Behavior<Command> onCompleted(CaseCompleted m) {
    CaseState s = running.get(m.result().caseId());
    if (s == null || s.completed) {
      return this; // a duplicate report after a restart: the first one counts
    }
    s.completed = true;
    record(s, m.result());
    return this;
  }

  private Behavior<Command> onChildFailed(ChildFailed signal) {
    // Backoff restarts happen inside the child's supervisor; a ChildFailed reaches us only when
    // the cap is exhausted and the child stops for good.
    String caseId = childToCase.get(signal.getRef().unsafeUpcast());
    CaseState s = caseId == null ? null : running.get(caseId);
    if (s != null) {
      s.lastFailure = String.valueOf(signal.getCause());
    }
    if (signal.getCause() instanceof ModelSetupException mistake && setupMistake == null) {
      setupMistake = mistake;
    }
    return onChildStopped(signal);
  }

  private Behavior<Command> onChildStopped(Terminated signal) {
    String caseId = childToCase.remove(signal.getRef().unsafeUpcast());
    if (caseId == null) {
      return this;
    }
    CaseState s = running.remove(caseId);
    if (s != null && !s.completed) {
      String why = s.lastFailure == null ? "case actor stopped without a result" : s.lastFailure;
      record(s, CaseResult.infrastructure(caseId, s.spend, s.steps, why));
    }
    startMore();
    finishIfDone();
    return this;
  }

  private void record(CaseState s, CaseResult r) {
    results.add(r);
    finishedSpend += r.costUsd();
    finishedSteps += r.steps();
    s.spend = 0; // now counted in finishedSpend
    s.steps = 0;
    publish(new RunEvent.CaseFinished(settings.runId(), r));
  }

  private boolean budgetExhausted() {
    return settings.budgetUsd().map(b -> spendSoFar() >= b).orElse(false);
  }

  private double spendSoFar() {
    double s = finishedSpend;
    for (CaseState c : running.values()) {
      s += c.spend;
    }
    return s;
  }

  private void finishIfDone() {
    if (running.isEmpty() && (queue.isEmpty() || budgetReached || setupMistake != null)) {
      RunProgress p = progress(true);
      publish(new RunEvent.RunFinished(settings.runId(), p));
      onFinished.tell(p);
    }
  }

  private Behavior<Command> onGetProgress(GetProgress m) {
    m.replyTo().tell(progress(running.isEmpty() && (queue.isEmpty() || budgetReached)));
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe m) {
    subscribers.add(m.subscriber());
    return this;
  }

  private RunProgress progress(boolean finished) {
    long steps = finishedSteps;
    for (CaseState c : running.values()) {
      steps += c.steps;
    }
    int failed = (int) results.stream().filter(CaseResult::infrastructureError).count();
    return new RunProgress(
        settings.runId(),
        total,
        results.size(),
        running.size(),
        failed,
        budgetReached ? queue.size() : 0,
        steps,
        spendSoFar(),
        budgetReached,
        finished,
        results);
  }

  private void publish(RunEvent e) {
    subscribers.forEach(s -> s.tell(e));
  }

  /** Actor names allow only some characters; case ids are SWE-bench ids like {@code a__b-1}. */
  static String sanitize(String caseId) {
    return java.net.URLEncoder.encode(caseId, java.nio.charset.StandardCharsets.UTF_8);
  }
}
