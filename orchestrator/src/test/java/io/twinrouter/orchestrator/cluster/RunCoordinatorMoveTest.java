package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run coordinator that recovers (its node was lost) knows its cases' results and admissions
 * but not the spend of the cases still running, which lived in the old incarnation's memory. It
 * must not admit a new case of a run with a budget on that partial sum: it waits until each
 * case admitted before has reported again. One-node cluster, in-memory journal, the coordinator
 * stopped and started again by hand (as the singleton manager would on another node), the case
 * entities replaced by sharded entities that do nothing.
 */
class RunCoordinatorMoveTest {
  static final ActorTestKit kit = OneNodeCluster.kit();
  static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();

  @TempDir Path out;

  @BeforeAll
  static void joinItself() {
    ClusterSharding.get(kit.system()).init(Entity.of(CaseEntity.TYPE_KEY,
        ec -> Behaviors.receive(CaseEntity.Command.class).onAnyMessage(m -> Behaviors.same())
            .build()));
    OneNodeCluster.join(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void afterAMoveNoCaseIsAdmittedUntilTheRunningCasesSpendIsKnownAgain() {
    ActorRef<RunCoordinator.Command> first = kit.spawn(RunCoordinator.create(SETTINGS));
    ClusterRunSpec spec = new ClusterRunSpec("moved-run", "always-high", "bundled", "always-high",
        LiveRunOptions.SIM, "local", out.toString(), 7, List.of("a", "b", "c"),
        List.of("a", "b", "c"), 2, 100, 1000, 1.0, 0.1, null, null, null, false);
    TestProbe<RunCoordinator.RunUpdate> client = kit.createTestProbe();
    first.tell(new RunCoordinator.SubmitRun(spec, client.getRef()));
    client.receiveMessage(Duration.ofSeconds(20));
    assertTrue(answer(ask(first, "a")), "nothing spent yet");
    first.tell(new RunCoordinator.CaseProgressed("moved-run", "a", 1, 0.25, "n1"));
    kit.stop(first, Duration.ofSeconds(10));

    ActorRef<RunCoordinator.Command> moved = kit.spawn(RunCoordinator.create(SETTINGS));
    TestProbe<RunCoordinator.StartAnswer> timedOut = ask(moved, "b");
    // a's $0.25 is unknown here: answering now would admit b on a spend of $0
    timedOut.expectNoMessage(Duration.ofSeconds(1));
    // b's entity asks again (its question timed out): only the latest question waits
    TestProbe<RunCoordinator.StartAnswer> b = ask(moved, "b");
    assertTrue(answer(ask(moved, "a")), "an admitted case still resumes at once");

    moved.tell(new RunCoordinator.CaseProgressed("moved-run", "a", 2, 0.3, "n2"));
    assertFalse(answer(b), "the spend is known again and over the budget");
    timedOut.expectNoMessage(Duration.ofMillis(300));
    assertFalse(answer(ask(moved, "c")));
  }

  private static TestProbe<RunCoordinator.StartAnswer> ask(
      ActorRef<RunCoordinator.Command> coordinator, String caseId) {
    TestProbe<RunCoordinator.StartAnswer> probe = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.MayStart("moved-run", caseId, probe.getRef()));
    return probe;
  }

  private static boolean answer(TestProbe<RunCoordinator.StartAnswer> probe) {
    return probe.receiveMessage(Duration.ofSeconds(10)).start();
  }
}
