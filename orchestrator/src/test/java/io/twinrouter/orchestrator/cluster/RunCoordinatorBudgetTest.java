package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRunChecks;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.run.CaseResult;
import io.twinrouter.protocol.CaseReport;
import io.twinrouter.scoring.service.LiveRunView;
import io.twinrouter.scoring.service.LiveRuns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * The run coordinator and the live-run registry as the cluster runs them (singletons on a
 * one-node cluster, in-memory journal), with the case entities replaced by sharded entities that
 * only record their wake-ups: a run with a budget admits cases until its spend reaches the
 * budget, then holds the others back while an admitted case may still (re)start, and ends cut
 * short, in its files and in the registry alike.
 */
class RunCoordinatorBudgetTest {
  static final ActorTestKit kit = OneNodeCluster.kit();
  static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  static final TestProbe<String> wakes = kit.createTestProbe();

  @TempDir Path out;

  @BeforeAll
  static void joinItself() {
    // stands in for the case entities: the coordinator only wakes them
    OneNodeCluster.standInCases(kit, (id, m) -> wakes.getRef().tell(id));
    OneNodeCluster.join(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void casesStartUntilTheSpendReachesTheBudgetThenTheRunEndsCutShort() throws Exception {
    ActorRef<RunCoordinator.Command> coordinator = ClusterNode.coordinator(kit.system(), SETTINGS);
    ActorRef<LiveRuns.Command> registry = ClusterNode.liveRuns(kit.system(), SETTINGS);
    ClusterRunSpec spec = new ClusterRunSpec("budget-run", "always-high", "bundled", "always-high",
        LiveRunOptions.SIM, "local", out.toString(), 7, List.of("a", "b", "c"),
        List.of("a", "b", "c"), 2, 100, 1000, 1.0, 0.1, null, null, null, false);
    TestProbe<RunCoordinator.RunUpdate> client = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.SubmitRun(spec, client.getRef()));
    client.receiveMessage(Duration.ofSeconds(20));
    Set<String> woken = new HashSet<>(wakes.receiveSeveralMessages(3, Duration.ofSeconds(20)));
    assertEquals(Set.of("budget-run|a", "budget-run|b", "budget-run|c"), woken);

    assertTrue(mayStart(coordinator, "a"), "nothing spent yet");
    coordinator.tell(new RunCoordinator.CaseProgressed("budget-run", "a", 0, 0, "n1"));
    coordinator.tell(new RunCoordinator.CaseProgressed("budget-run", "a", 1, 0.25, "n1"));
    assertFalse(mayStart(coordinator, "b"), "the running case's spend reached the budget");
    assertTrue(mayStart(coordinator, "a"), "an admitted case resumes (after a node loss)");
    assertFalse(mayStart(coordinator, "b"), "held back for good");

    TestProbe<RunCoordinator.DoneAck> ack = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.CaseDone("budget-run", result("a", 0.3), "n1", List.of(),
        out.toString(), ack.getRef()));
    ack.expectMessage(Duration.ofSeconds(10), new RunCoordinator.DoneAck("a"));
    assertFalse(mayStart(coordinator, "c"));
    assertFalse(mayStart(coordinator, "a"), "a finished case does not start again");

    RunCoordinator.RunUpdate last = client.fishForMessage(Duration.ofSeconds(30),
            u -> u.finished() || u.error() != null
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore())
        .get(0);
    assertNull(last.error());
    assertEquals(3, last.done(), "held-back cases count as over");
    // what a client reads of the ended run, and the files it writes from it
    TestProbe<ClusterClient.CasesPage> pages = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.GetCases("budget-run", 0, pages.getRef()));
    ClusterClient.CasesPage page = pages.receiveMessage(Duration.ofSeconds(10));
    assertTrue(page.ended());
    assertEquals(List.of("a"), page.cases().stream().map(c -> c.result().caseId()).toList());
    assertEquals(List.of("b", "c"), page.notStarted());
    ObjectNode writtenScore = RunFiles.write(spec, out,
        page.cases().stream().map(ClusterClient.RecordedCase::result).toList(),
        page.notStarted(), Map.of("a", "n1"), page.duplicates(), SETTINGS);
    JsonNode summary = LiveRunChecks.json(out.resolve("eval_summary.json"));
    assertTrue(summary.path("budget_reached").asBoolean(), summary.toString());
    assertEquals(List.of("b", "c"), List.of(summary.path("not_started").get(0).asText(),
        summary.path("not_started").get(1).asText()));
    JsonNode written = LiveRunChecks.json(out.resolve("score.json"));
    assertEquals(writtenScore, written);
    assertTrue(written.path("run_cut_short").asBoolean(), written.toString());
    assertEquals(2, written.path("cases_not_started").asInt());
    assertEquals(0.1, written.path("budget_usd").asDouble());

    // the registry heard the same ending (its score comes from the reports, not the files)
    ObjectNode served = awaitScore(registry);
    assertTrue(served.path("run_cut_short").asBoolean(), served.toString());
    assertEquals(2, served.path("cases_not_started").asInt());
    assertEquals(0.1, served.path("budget_usd").asDouble());
    TestProbe<LiveRuns.RunAnswer> detail = kit.createTestProbe();
    registry.tell(new LiveRuns.GetRun("budget-run", detail.getRef()));
    List<LiveRunView.CaseState> states = detail.receiveMessage().run().orElseThrow().cases()
        .stream().map(LiveRunView.Case::state).toList();
    assertEquals(List.of(LiveRunView.CaseState.FINISHED, LiveRunView.CaseState.NOT_STARTED,
        LiveRunView.CaseState.NOT_STARTED), states);
  }

  private static boolean mayStart(ActorRef<RunCoordinator.Command> coordinator, String caseId) {
    TestProbe<RunCoordinator.StartAnswer> answer = kit.createTestProbe();
    coordinator.tell(new RunCoordinator.MayStart("budget-run", caseId, answer.getRef()));
    return answer.receiveMessage(Duration.ofSeconds(10)).start();
  }

  private static ObjectNode awaitScore(ActorRef<LiveRuns.Command> registry) {
    TestProbe<LiveRuns.ScoreAnswer> probe = kit.createTestProbe();
    return probe.awaitAssert(Duration.ofSeconds(10), () -> {
      registry.tell(new LiveRuns.GetScore("budget-run", probe.getRef()));
      return probe.receiveMessage().score().orElseThrow();
    });
  }

  private CaseResult result(String id, double cost) {
    CaseReport report = new CaseReport("budget-run", id, "always-high", "Submitted", true, true,
        false, cost, 3, 3, "diff --git a/x b/x", null, null, Map.of("high", 3), 1000L, 2000L,
        out.resolve("results").resolve(id + ".json").toString());
    return new CaseResult(id, true, false, "Submitted", cost, 3, null, report);
  }
}
