package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.run.CaseResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A set-up mistake met on a node stops the clustered run as it stops a single-node one: the
 * client hears why, the running cases are halted, no case starts, the recorded case and its files
 * stay; the stop survives the coordinator's move; submitting the run again (the cases left)
 * resumes it, and it ends when those cases are done. One-node cluster, in-memory journal, every
 * message serialized as sent, the case entities replaced by sharded stand-ins that note what they
 * are told.
 */
class RunCoordinatorStopTest {
  static final ActorTestKit kit = OneNodeCluster.kit("pekko.actor.serialize-messages = on");
  static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  static final TestProbe<String> told = kit.createTestProbe();
  static final String RUN = "stop-run";

  @TempDir Path out;

  @BeforeAll
  static void joinItself() {
    OneNodeCluster.standInCases(kit,
        (id, m) -> told.getRef().tell(id + " " + m.getClass().getSimpleName()));
    OneNodeCluster.join(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aSetupMistakeStopsTheRunUntilItIsSubmittedAgain() {
    ActorRef<RunCoordinator.Command> coordinator = kit.spawn(RunCoordinator.create(SETTINGS));
    ClusterRunSpec spec = spec(List.of("a", "b", "c"));
    TestProbe<RunCoordinator.RunUpdate> client = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.SubmitRun(spec, client.getRef()));
    assertEquals(Set.of(RUN + "|a Wake", RUN + "|b Wake", RUN + "|c Wake"), told(3));
    FileRef file = new FileRef("results/a.json", "ab".repeat(32), 10);
    done(coordinator, "a", List.of(file));

    ClusterClient.RunStop why = new ClusterClient.RunStop("node n2: HTTP 401", false);
    coordinator.tell(new RunCoordinator.StopRun(RUN, why));
    RunCoordinator.RunUpdate stopped = fish(client, u -> u.stopped() != null);
    assertEquals(why, stopped.stopped());
    assertFalse(stopped.finished());
    assertEquals(Set.of(RUN + "|b Halt", RUN + "|c Halt"), told(2), "the unfinished cases halt");
    assertFalse(mayStart(coordinator, "b"), "no case starts after the stop");
    ClusterClient.CasesPage page = page(coordinator);
    assertEquals(why, page.stopped());
    assertFalse(page.ended());
    assertEquals(List.of(new ClusterClient.RecordedCase(result("a"), "n1", List.of(file),
        "/n1/out")), page.cases(), "the finished case and its files stay");

    // the coordinator moves: the stop is journalled, the halted cases are not woken
    kit.stop(coordinator, Duration.ofSeconds(10));
    ActorRef<RunCoordinator.Command> moved = kit.spawn(RunCoordinator.create(SETTINGS));
    assertEquals(why, page(moved).stopped());
    told.expectNoMessage(Duration.ofSeconds(1));

    // the client runs the same command after the fix: the cases left run, then the run ends
    TestProbe<RunCoordinator.RunUpdate> again = kit.createTestProbe();
    moved.tell(new RunCoordinator.SubmitRun(spec(List.of("b", "c")), again.getRef()));
    assertNull(again.receiveMessage(Duration.ofSeconds(10)).stopped());
    assertEquals(Set.of(RUN + "|b Wake", RUN + "|c Wake"), told(2));
    assertTrue(mayStart(moved, "b"));
    done(moved, "b", List.of());
    assertFalse(page(moved).ended(), "c is left");
    done(moved, "c", List.of());
    RunCoordinator.RunUpdate end = fish(again, RunCoordinator.RunUpdate::finished);
    assertEquals(2, end.total());
    assertEquals(2, end.done());
    ClusterClient.CasesPage last = page(moved);
    assertTrue(last.ended());
    assertEquals(List.of("a", "b", "c"),
        last.cases().stream().map(c -> c.result().caseId()).toList());
  }

  private ClusterRunSpec spec(List<String> toRun) {
    return new ClusterRunSpec(RUN, "always-high", "bundled", "always-high", LiveRunOptions.SIM,
        "local", out.toString(), 7, List.of("a", "b", "c"), toRun, 2, 100, 1000, 1.0, null,
        null, null, null, false);
  }

  /**
   * The next {@code n} distinct messages the stand-in cases heard. A Wake is idempotent (a woken
   * entity ignores it) and was once heard twice by the same stand-in in a full-suite run (its
   * source is not known), so repeats are skipped rather than counted.
   */
  private static Set<String> told(int n) {
    Set<String> heard = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (heard.size() < n) {
      heard.add(told.receiveMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
    }
    return heard;
  }

  private static void done(ActorRef<RunCoordinator.Command> coordinator, String caseId,
      List<FileRef> files) {
    TestProbe<RunCoordinator.DoneAck> ack = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.CaseDone(RUN, result(caseId), "n1", files, "/n1/out",
        ack.getRef()));
    ack.expectMessage(Duration.ofSeconds(10), new RunCoordinator.DoneAck(caseId));
  }

  private static CaseResult result(String caseId) {
    return new CaseResult(caseId, true, false, "Submitted", 0.01, 2, null);
  }

  private static boolean mayStart(ActorRef<RunCoordinator.Command> coordinator, String caseId) {
    TestProbe<RunCoordinator.StartAnswer> answer = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.MayStart(RUN, caseId, answer.getRef()));
    return answer.receiveMessage(Duration.ofSeconds(10)).start();
  }

  private static ClusterClient.CasesPage page(ActorRef<RunCoordinator.Command> coordinator) {
    TestProbe<ClusterClient.CasesPage> pages = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.GetCases(RUN, 0, pages.getRef()));
    return pages.receiveMessage(Duration.ofSeconds(10));
  }

  private static RunCoordinator.RunUpdate fish(TestProbe<RunCoordinator.RunUpdate> client,
      java.util.function.Predicate<RunCoordinator.RunUpdate> wanted) {
    List<RunCoordinator.RunUpdate> got = client.fishForMessage(Duration.ofSeconds(20),
        u -> wanted.test(u) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    return got.get(got.size() - 1);
  }
}
