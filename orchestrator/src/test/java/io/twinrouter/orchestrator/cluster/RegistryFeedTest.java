package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.run.CaseResult;
import io.twinrouter.protocol.CaseReport;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.service.LiveRunView;
import io.twinrouter.scoring.service.LiveRuns;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live-run registry that starts empty (it moved to another node) and hears only the run
 * coordinator's snapshot shows the same cases, totals and score as the registry that heard the
 * run as it went. Every message is serialized and read back as it is sent
 * ({@code serialize-messages}), so this also checks that the registry's protocol, replies and the
 * coordinator's updates cross nodes with the cluster's serialization bindings.
 */
class RegistryFeedTest {
  static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString(
          "pekko.actor.serialize-messages = on")
      .withFallback(ConfigFactory.load()));
  static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();

  @TempDir Path out;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aSnapshotRebuildsWhatTheRegistryHeardAsTheRunWent() {
    ClusterRunSpec spec = new ClusterRunSpec("run-1", "always-high", "bundled", "always-high",
        LiveRunOptions.SIM, "local", out.toString(), 7, List.of("a", "b", "c"),
        List.of("a", "b", "c"), 2, 100, 1000, 1.0, null, null, null, null, false);
    ActorRef<LiveRuns.Command> heardAll = registry();
    RegistryFeed feed = feed(heardAll);
    Map<String, CaseResult> results = new LinkedHashMap<>();
    Map<String, RunCoordinator.Live> running = new LinkedHashMap<>();

    // what the coordinator tells as the run goes: submitted, cases start and step, one finishes
    feed.snapshot(spec, results.values(), List.of(), running, false);
    feed.progressed("run-1", "a", 0, 0);
    feed.progressed("run-1", "b", 0, 0);
    feed.progressed("run-1", "a", 3, 0.03);
    feed.progressed("run-1", "b", 2, 0.02);
    feed.progressed("run-1", "a", 5, 0.05);
    results.put("a", result("a", true, 5, 0.05));
    feed.caseFinished("run-1", results.get("a"));
    feed.progressed("run-1", "c", 0, 0);
    running.put("b", new RunCoordinator.Live(2, 0.02, "n1"));
    running.put("c", new RunCoordinator.Live(0, 0, "n2"));

    LiveRunView.Detail going = detail(heardAll);
    assertEquals(1, going.run().progress().finished());
    assertEquals(2, going.run().progress().running());
    assertEquals(going, detail(rebuilt(spec, results, running, false)));
    assertTrue(score(heardAll).score().isEmpty(), "no score while the run goes on");

    // a registry that kept the run and hears a snapshot again (the coordinator moved) is unchanged
    feed.snapshot(spec, results.values(), List.of(), running, false);
    assertEquals(going, detail(heardAll));

    // the run ends: one case resolved late, one given up after infrastructure failures
    results.put("b", result("b", false, 4, 0.04));
    feed.caseFinished("run-1", results.get("b"));
    results.put("c", new CaseResult("c", false, true, "InfrastructureError", 0.01, 1, "docker died"));
    feed.caseFinished("run-1", results.get("c"));
    feed.runFinished("run-1", results.values(), List.of());
    running.clear();

    ActorRef<LiveRuns.Command> rebuilt = rebuilt(spec, results, running, true);
    LiveRunView.Detail done = detail(heardAll);
    assertEquals("finished", done.run().status());
    assertEquals(done, detail(rebuilt));
    ObjectNode score = score(heardAll).score().orElseThrow();
    assertEquals(score, score(rebuilt).score().orElseThrow());
    assertEquals(0.09, score.path("total_router_cost_usd").asDouble(), 1e-12);
    assertEquals("c", score.path("infrastructure_errors").path(0).asText());
    assertFalse(score.path("per_instance").isEmpty());
  }

  @Test
  void theIdentityTheClientSubmittedIsUsedWithoutReadingThePoolFile() {
    io.twinrouter.scoring.live.RunIdentity submitted = new io.twinrouter.scoring.live.RunIdentity(
        "always-high", "", "fp-of-the-client", 12, "high/model");
    // a pool path that does not exist here: reading it would throw
    ClusterRunSpec spec = new ClusterRunSpec("run-2", "always-high", "bundled", "always-high",
        out.resolve("no-such-pool.json").toString(), "local", out.toString(), 7, List.of("a"),
        List.of("a"), 2, 100, 1000, 1.0, null, submitted, null, null, false);
    assertEquals(submitted, RegistryFeed.identity(spec, SETTINGS));
    assertEquals("fp-of-the-client", RegistryFeed.started(spec, submitted, 0.6).poolFingerprint());
  }

  @Test
  void anUnknownRunIsEmptyOnEveryQuery() {
    ActorRef<LiveRuns.Command> registry = registry();
    TestProbe<LiveRuns.RunList> list = kit.createTestProbe();
    registry.tell(new LiveRuns.ListRuns(list.getRef()));
    assertEquals(List.of(), list.receiveMessage().runs());
    assertTrue(detailAnswer(registry, "nope").run().isEmpty());
    assertTrue(score(registry, "nope").run().isEmpty());
    TestProbe<LiveRuns.StreamItem> events = kit.createTestProbe();
    registry.tell(new LiveRuns.Subscribe("nope", events.getRef()));
    events.expectMessage(LiveRuns.End.INSTANCE);
  }

  private static ActorRef<LiveRuns.Command> rebuilt(ClusterRunSpec spec,
      Map<String, CaseResult> results, Map<String, RunCoordinator.Live> running, boolean written) {
    ActorRef<LiveRuns.Command> fresh = registry();
    feed(fresh).snapshot(spec, results.values(), List.of(), running, written);
    return fresh;
  }

  private static ActorRef<LiveRuns.Command> registry() {
    return kit.spawn(LiveRuns.create(kit.system().dispatchers().lookup(
        DispatcherSelector.fromConfig(ScoringServer.SCORING_DISPATCHER))));
  }

  private static RegistryFeed feed(ActorRef<LiveRuns.Command> registry) {
    return new RegistryFeed(u -> registry.tell(new LiveRuns.Update(u)), SETTINGS);
  }

  private CaseResult result(String id, boolean resolved, int steps, double cost) {
    CaseReport report = new CaseReport("run-1", id, "always-high", "Submitted", resolved, true,
        false, cost, steps, steps, "diff --git a/x b/x", null, null, Map.of("high", steps),
        1000L, 2000L, out.resolve("results").resolve(id + ".json").toString());
    return new CaseResult(id, resolved, false, "Submitted", cost, steps, null, report);
  }

  private static LiveRunView.Detail detail(ActorRef<LiveRuns.Command> registry) {
    return detailAnswer(registry, "run-1").run().orElseThrow();
  }

  private static LiveRuns.RunAnswer detailAnswer(ActorRef<LiveRuns.Command> registry, String id) {
    TestProbe<LiveRuns.RunAnswer> probe = kit.createTestProbe();
    registry.tell(new LiveRuns.GetRun(id, probe.getRef()));
    return probe.receiveMessage();
  }

  private static LiveRuns.ScoreAnswer score(ActorRef<LiveRuns.Command> registry) {
    return score(registry, "run-1");
  }

  private static LiveRuns.ScoreAnswer score(ActorRef<LiveRuns.Command> registry, String id) {
    TestProbe<LiveRuns.ScoreAnswer> probe = kit.createTestProbe();
    registry.tell(new LiveRuns.GetScore(id, probe.getRef()));
    return probe.receiveMessage();
  }
}
