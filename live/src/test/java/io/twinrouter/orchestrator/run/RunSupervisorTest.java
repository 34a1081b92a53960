package io.twinrouter.orchestrator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's own rules (concurrency, restarts, retry cap, budget), with case actors whose
 * behaviour each test scripts: the end-to-end runs with the real case actor are separate tests.
 */
class RunSupervisorTest {
  private static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static RunSupervisor.Settings settings(int workers, int cap, Optional<Double> budget) {
    return new RunSupervisor.Settings(
        "run", workers, cap, Duration.ofMillis(10), Duration.ofMillis(50), budget);
  }

  /** A case that steps {@code steps} times at {@code costPerStep}, then reports and stops. */
  private static Behavior<Void> finishing(
      CaseTicket t, ActorRef<RunSupervisor.Command> sup, int steps, double costPerStep) {
    return Behaviors.setup(
        ctx -> {
          for (int i = 1; i <= steps; i++) {
            sup.tell(new RunSupervisor.CaseStepped(t.caseId(), i, i * costPerStep));
          }
          sup.tell(
              new RunSupervisor.CaseCompleted(
                  new CaseResult(
                      t.caseId(), true, false, "Submitted", steps * costPerStep, steps, null)));
          return Behaviors.stopped();
        });
  }

  @Test
  void everyCaseFinishesOnceAndTheRunReportsTotals() {
    TestProbe<RunProgress> done = kit.createTestProbe();
    kit.spawn(
        RunSupervisor.create(
            settings(2, 3, Optional.empty()),
            List.of("a", "b", "c", "d", "e"),
            (t, sup) -> finishing(t, sup, 3, 0.1),
            done.getRef()));
    RunProgress p = done.receiveMessage(Duration.ofSeconds(10));
    assertTrue(p.finished());
    assertEquals(5, p.done());
    assertEquals(15, p.steps());
    assertEquals(1.5, p.spendUsd(), 1e-9);
    assertEquals(5, p.results().stream().map(CaseResult::caseId).distinct().count());
  }

  @Test
  void infrastructureFailuresAreRestartedThenTheCaseFinishes() {
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    TestProbe<RunProgress> done = kit.createTestProbe();
    TestProbe<RunEvent> events = kit.createTestProbe();
    ActorRef<RunSupervisor.Command> sup =
        kit.spawn(
            RunSupervisor.create(
                settings(1, 5, Optional.empty()),
                List.of("flaky"),
                (t, s) ->
                    Behaviors.<Void>setup(
                        ctx -> {
                          if (attempts.computeIfAbsent(t.caseId(), k -> new AtomicInteger())
                                  .incrementAndGet()
                              <= 2) {
                            throw new IllegalStateException("sandbox engine gone");
                          }
                          return finishing(t, s, 1, 0.2);
                        }),
                done.getRef()));
    sup.tell(new RunSupervisor.Subscribe(events.getRef()));
    RunProgress p = done.receiveMessage(Duration.ofSeconds(10));
    assertEquals(3, attempts.get("flaky").get());
    assertEquals(1, p.done());
    assertFalse(p.results().get(0).infrastructureError());
    assertEquals(0, p.failed());
  }

  @Test
  void aCaseThatKeepsFailingEndsAsAnInfrastructureErrorAndTheRunFinishes() {
    AtomicInteger attempts = new AtomicInteger();
    TestProbe<RunProgress> done = kit.createTestProbe();
    kit.spawn(
        RunSupervisor.create(
            settings(2, 2, Optional.empty()),
            List.of("broken", "fine"),
            (t, s) ->
                t.caseId().equals("broken")
                    ? Behaviors.<Void>setup(
                        ctx -> {
                          attempts.incrementAndGet();
                          throw new IllegalStateException("docker engine unreachable");
                        })
                    : finishing(t, s, 2, 0.1),
            done.getRef()));
    RunProgress p = done.receiveMessage(Duration.ofSeconds(10));
    assertEquals(3, attempts.get(), "first start plus two restarts");
    assertEquals(2, p.done());
    assertEquals(1, p.failed());
    CaseResult broken =
        p.results().stream().filter(r -> r.caseId().equals("broken")).findFirst().orElseThrow();
    assertTrue(broken.infrastructureError());
    assertTrue(broken.detail().contains("docker engine unreachable"), broken.detail());
    assertEquals("InfrastructureError", broken.exitStatus());
  }

  @Test
  void atMostWorkersCasesRunAtOnce() {
    AtomicInteger runningNow = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    TestProbe<RunProgress> done = kit.createTestProbe();
    kit.spawn(
        RunSupervisor.create(
            settings(3, 0, Optional.empty()),
            List.of("1", "2", "3", "4", "5", "6", "7", "8"),
            (t, s) ->
                Behaviors.<Object>setup(
                    ctx -> {
                      maxSeen.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
                      ctx.scheduleOnce(Duration.ofMillis(30), ctx.getSelf(), "go");
                      return Behaviors.receive(Object.class)
                          .onAnyMessage(
                              m -> {
                                runningNow.decrementAndGet();
                                s.tell(
                                    new RunSupervisor.CaseCompleted(
                                        new CaseResult(
                                            t.caseId(), false, false, "LimitsExceeded", 0, 0, null)));
                                return Behaviors.stopped();
                              })
                          .build();
                    }),
            done.getRef()));
    RunProgress p = done.receiveMessage(Duration.ofSeconds(10));
    assertEquals(8, p.done());
    assertEquals(3, maxSeen.get());
  }

  @Test
  void theBudgetStopsNewCasesButLetsRunningOnesFinish() {
    TestProbe<RunProgress> done = kit.createTestProbe();
    kit.spawn(
        RunSupervisor.create(
            settings(1, 0, Optional.of(0.5)),
            List.of("a", "b", "c", "d"),
            (t, s) -> finishing(t, s, 3, 0.1),
            done.getRef()));
    RunProgress p = done.receiveMessage(Duration.ofSeconds(10));
    assertTrue(p.budgetReached());
    assertEquals(2, p.done(), "a (0.3) runs, b starts at 0.3 < 0.5 and finishes at 0.6");
    assertEquals(2, p.notStarted());
    assertEquals(0.6, p.spendUsd(), 1e-9);
  }
}
