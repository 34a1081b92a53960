package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.Scripted;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.protocol.CaseProgress;
import io.twinrouter.protocol.CaseReport;
import io.twinrouter.sandbox.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs whole cases through the real actor; the outside world is given per test. */
abstract class CaseHarness {

  static ActorTestKit KIT;
  static final ObjectMapper JSON = new ObjectMapper();
  static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  static final ModelPool POOL = SETTINGS.pool();
  static final String CHEAP = "deepseek/deepseek-v3.2";
  static final String OPUS = "anthropic/claude-opus-4.6";
  static final String PATCH = "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-x\n+y\n";
  static final String SUBMIT = "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && cat patch.txt";

  @TempDir Path out;

  @BeforeAll
  static void startKit() {
    KIT = ActorTestKit.create();
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  static LiveTrackSettings limits(int steps, double cost, Duration selectTimeout) {
    LiveTrackSettings d = SETTINGS.liveTrack();
    return new LiveTrackSettings(steps, cost, d.commandTimeout(), d.observationLimitChars(),
        d.wallclockTtlSec(), selectTimeout, d.failurePenaltyUsd(), d.workers());
  }

  static Map<String, Object> usage() {
    return Scripted.usage(1_000, 600, 100);
  }

  /** A sandbox where `cat patch.txt` after the sentinel echo prints the patch. */
  static Scripted.Sandbox sandbox() {
    return new Scripted.Sandbox(cmd -> cmd.equals(SUBMIT)
        ? new ExecResult(0, "COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\n" + PATCH, "", Duration.ofMillis(3), false)
        : new ExecResult(0, "ran: " + cmd + "\n", "", Duration.ofMillis(2), false));
  }

  static final class Grader implements PatchGrader {
    final List<String> patches = new ArrayList<>();

    @Override
    public GradeOutcome grade(CaseTask task, String patch) {
      patches.add(patch);
      boolean good = patch.equals(PATCH);
      return new GradeOutcome(good, true, null, "/tmp/report.json", good ? 1 : 0, good ? 0 : 1, 3, 0);
    }
  }

  record Run(CaseReport report, List<CaseProgress> progress, Scripted.Model model,
      Scripted.Sandbox sandbox, RouteChooser chooser, Grader grader, Path out) {

    Scripted.Router router() {
      return (Scripted.Router) chooser;
    }

    List<JsonNode> trace() throws IOException {
      List<JsonNode> rows = new ArrayList<>();
      for (String line : Files.readAllLines(out.resolve("django__django-1.trace.jsonl"))) {
        rows.add(JSON.readTree(line));
      }
      return rows;
    }

    JsonNode result() throws IOException {
      return JSON.readTree(out.resolve("results/django__django-1.json").toFile());
    }

    JsonNode trajectory() throws IOException {
      return JSON.readTree(out.resolve("django__django-1.mini_traj.json").toFile());
    }
  }

  CaseDeps deps(LiveTrackSettings limits, AgentSettings agent, Scripted.Model model,
      Scripted.Sandbox sandbox, RouteChooser router, Grader grader) {
    double[] now = {1_700_000_000.0};
    return new CaseDeps(POOL, limits, agent, Templates.defaults(), model, sandbox, router, grader,
        () -> now[0] += 1.0);
  }

  Run run(LiveTrackSettings limits, Scripted.Model model, RouteChooser router) {
    return run(limits, AgentSettings.from(ConfigFactory.load()), model, sandbox(), router);
  }

  Run run(LiveTrackSettings limits, AgentSettings agent, Scripted.Model model,
      Scripted.Sandbox sandbox, RouteChooser router) {
    Grader grader = new Grader();
    var spec = new CaseSpec("run-1", "test-router",
        new CaseTask("django__django-1", "django/django", "The frobnicator breaks on empty input."), out);
    TestProbe<CaseReport> probe = KIT.createTestProbe();
    TestProbe<CaseProgress> progress = KIT.createTestProbe();
    var runner = KIT.spawn(CaseRunner.create(spec, deps(limits, agent, model, sandbox, router, grader)));
    runner.tell(new CaseRunner.Start(probe.getRef(), progress.getRef()));
    CaseReport report = probe.receiveMessage(Duration.ofSeconds(20));
    probe.expectTerminated(runner, Duration.ofSeconds(5));
    List<CaseProgress> steps = new ArrayList<>();
    CaseProgress p;
    while ((p = pollQuietly(progress)) != null) {
      steps.add(p);
    }
    return new Run(report, steps, model, sandbox, router, grader, out);
  }

  static CaseProgress pollQuietly(TestProbe<CaseProgress> probe) {
    try {
      return probe.receiveMessage(Duration.ofMillis(50));
    } catch (AssertionError none) {
      return null;
    }
  }

  static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(20);
    }
  }
}
