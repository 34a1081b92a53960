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
import io.twinrouter.router.RouterContext;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole cases through the real actor, with a scripted model, sandbox and router. */
class CaseRunnerTest extends CaseHarness {

  @Test
  void aSubmittedCaseIsGradedAndRecorded() throws Exception {
    var model = new Scripted.Model(
        Scripted.bash("THOUGHT: explore", usage(), "ls"),
        Scripted.bash("THOUGHT: write the patch", usage(), "git diff -- m.py > patch.txt"),
        Scripted.bash("THOUGHT: submit", usage(), SUBMIT, "echo never-run"));
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), model, Scripted.Router.always(OPUS));

    CaseReport rep = r.report();
    assertEquals("Submitted", rep.exitStatus());
    assertTrue(rep.resolved());
    assertEquals(PATCH, rep.patch());
    assertEquals(3, rep.steps());
    assertEquals(3, rep.pricedSteps());
    assertFalse(rep.infrastructureError());
    // 400 fresh, 600 read, 100 out at Opus prices, three times
    double step = (400 * 5.0 + 600 * 0.5 + 100 * 25.0) / 1e6;
    assertEquals(3 * step, rep.apiCostUsd(), 1e-12);
    assertEquals(List.of(PATCH), r.grader().patches);
    assertEquals(List.of(1, 2), r.progress().stream().map(CaseProgress::steps).toList());
    assertEquals(2 * step, r.progress().get(1).spendUsd(), 1e-12);
    assertEquals(List.of("ls", "git diff -- m.py > patch.txt", SUBMIT), r.sandbox().commands,
        "the action after the submission is skipped");
    assertTrue(r.sandbox().closed, "the work sandbox is released before grading");

    List<JsonNode> trace = r.trace();
    assertEquals(4, trace.size());
    assertEquals(List.of(0, 1, 2), trace.subList(0, 3).stream().map(n -> n.get("step_index").asInt()).toList());
    JsonNode summary = trace.get(3);
    assertEquals("loop_summary", summary.get("__marker__").asText());
    assertEquals("Submitted", summary.get("finished_by").asText());
    assertEquals(3, summary.get("step_count").asInt());
    assertEquals(3, summary.get("model_distribution").get(OPUS).asInt());
    assertEquals(3 * step, summary.get("total_router_cost_usd").asDouble(), 1e-12);

    JsonNode result = r.result();
    assertTrue(result.get("resolved").asBoolean());
    assertEquals(PATCH, result.get("patch").asText());
    assertEquals(3, result.get("step_count").asInt());
    assertEquals(1, result.get("fail_to_pass_pass_count").asInt());
    assertEquals(r.out().resolve("django__django-1.trace.jsonl").toString(), result.get("trace_path").asText());

    JsonNode traj = r.trajectory();
    assertEquals("Submitted", traj.get("info").get("exit_status").asText());
    assertEquals(PATCH, traj.get("info").get("submission").asText());
    JsonNode messages = traj.get("messages");
    assertEquals("exit", messages.get(messages.size() - 1).get("role").asText());
    assertEquals(3, traj.get("info").get("model_stats").get("api_calls").asInt());
  }

  @Test
  void theRouterSeesTheCacheTheBudgetAndTheFullConversation() throws Exception {
    var model = new Scripted.Model(
        Scripted.bash("THOUGHT: a", usage(), "ls"),
        Scripted.bash("THOUGHT: b", usage(), SUBMIT));
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), model, Scripted.Router.always(CHEAP));
    List<RouterContext> reqs = r.router().requests;
    assertEquals(2, reqs.size());
    RouterContext first = reqs.get(0);
    assertEquals(0, first.stepIndex());
    assertEquals(POOL.modelIds(), first.modelIds());
    assertEquals(2, first.messages().size());
    assertEquals(0.0, first.budgetSoFarUsd());
    assertTrue(first.cacheState().byModel().values().stream().noneMatch(v -> v.everCalled()));
    assertEquals(250, first.runConfig().maxSteps());
    assertEquals(300, first.cacheState().wallclockTtlSec());

    RouterContext second = reqs.get(1);
    assertEquals(1, second.stepIndex());
    double step = (400 * 0.252 + 600 * 0.0252 + 100 * 0.378) / 1e6;
    assertEquals(step, second.budgetSoFarUsd(), 1e-15);
    var view = second.cacheState().byModel().get(CHEAP);
    assertTrue(view.everCalled());
    assertEquals(1_000, view.prefixTokenCount());
    assertEquals(64, view.prefixHash().length());
    assertFalse(second.cacheState().byModel().get(OPUS).everCalled());
    // system, user, assistant (with extra), tool
    assertEquals(4, second.messages().size());
    assertTrue(second.messages().get(2).has("extra"), "routers see mini's extra blocks");
    assertEquals("tool", second.messages().get(3).get("role").asText());
    assertTrue(second.cacheState().nowTs() > first.cacheState().nowTs());
    // the model gets the same trees (ModelClient leaves extra out of the request)
    assertEquals(second.messages(), r.model().requests.get(1));

    JsonNode row = r.trace().get(1);
    assertTrue(row.get("cache_hit").asBoolean());
    assertEquals("prefix_match", row.get("cache_lookup").get("reason").asText());
    assertEquals("low", row.get("tier").asText());
    assertTrue(row.get("router_decision_ms").asDouble() >= 0);
  }

  @Test
  void aFormatErrorConsumesAStepIndexButIsNeitherPricedNorTraced() throws Exception {
    var model = new Scripted.Model(
        Scripted.answer("I will just think.", List.of(), usage()),
        Scripted.bash("THOUGHT: submit", usage(), SUBMIT));
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), model, Scripted.Router.always(CHEAP));
    assertEquals("Submitted", r.report().exitStatus());
    assertEquals(2, r.report().steps());
    assertEquals(1, r.report().pricedSteps());
    List<JsonNode> trace = r.trace();
    assertEquals(2, trace.size());
    assertEquals(1, trace.get(0).get("step_index").asInt(), "step indices have a gap");
    assertEquals(2, r.result().get("step_count").asInt(), "results count n_calls");
    assertEquals(1, trace.get(1).get("step_count").asInt(), "the summary counts priced calls");
    assertFalse(trace.get(0).get("cache_hit").asBoolean(), "the format-error call did not touch the cache");
    RouterContext second = r.router().requests.get(1);
    assertEquals(0.0, second.budgetSoFarUsd());
    JsonNode fe = second.messages().get(2);
    assertEquals("user", fe.get("role").asText());
    assertTrue(fe.get("content").asText().startsWith("Tool call error:"));
    assertEquals(JSON.valueToTree(Map.of("interrupt_type", "FormatError")), fe.get("extra"));
  }

  @Test
  void theStepLimitStopsBeforeTheNextCall() throws Exception {
    var model = new Scripted.Model(Scripted.bash("THOUGHT: look", usage(), "ls"));
    Run r = run(limits(3, 3.0, Duration.ofSeconds(5)), model, Scripted.Router.always(CHEAP));
    assertEquals("LimitsExceeded", r.report().exitStatus());
    assertEquals(3, r.report().steps());
    assertEquals(3, r.model().modelIds.size());
    assertEquals("", r.report().patch());
    assertFalse(r.report().resolved());
    assertEquals("no patch produced (agent loop produced empty diff)", r.report().evalError());
    assertTrue(r.grader().patches.isEmpty(), "an empty patch is not graded");
    assertTrue(r.result().get("patch").isNull());
    assertEquals("LimitsExceeded", r.trajectory().get("info").get("exit_status").asText());
  }

  @Test
  void theCostLimitStopsAfterTheCrossingStepHasRunFully() throws Exception {
    double step = (400 * 5.0 + 600 * 0.5 + 100 * 25.0) / 1e6; // 0.0048
    var model = new Scripted.Model(Scripted.bash("THOUGHT: look", usage(), "ls", "pwd"));
    // 0.0048 * 2 = 0.0096 < 0.01 <= 0.0144: the third step crosses, runs both its actions, then stops
    Run r = run(limits(250, 0.01, Duration.ofSeconds(5)), model, Scripted.Router.always(OPUS));
    assertEquals("LimitsExceeded", r.report().exitStatus());
    assertEquals(3, r.report().pricedSteps());
    assertEquals(6, r.sandbox().commands.size());
    assertEquals(3 * step, r.report().apiCostUsd(), 1e-12);
  }

  @Test
  void theCostLimitUsesAtLeastSemantics() throws Exception {
    double step = (400 * 5.0 + 600 * 0.5 + 100 * 25.0) / 1e6;
    var model = new Scripted.Model(Scripted.bash("THOUGHT: look", usage(), "ls"));
    Run r = run(limits(250, 2 * step, Duration.ofSeconds(5)), model, Scripted.Router.always(OPUS));
    assertEquals(2, r.report().pricedSteps(), "cost == limit stops the loop");
  }

  @Test
  void consecutiveFormatErrorsCanBeLimited() throws Exception {
    var model = new Scripted.Model(Scripted.answer("no tools", List.of(), usage()));
    var agent = AgentSettings.from(ConfigFactory.load()).withMaxConsecutiveFormatErrors(3);
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), agent, model, sandbox(),
        Scripted.Router.always(CHEAP));
    assertEquals("LimitsExceeded", r.report().exitStatus());
    assertEquals(3, r.report().steps());
    assertEquals(0.0, r.report().apiCostUsd());
    assertEquals(1, r.trace().size(), "only the loop_summary row");
  }

  @Test
  void aRouterErrorEndsTheCaseUnresolvedAndKeepsTheSpend() throws Exception {
    var model = new Scripted.Model(Scripted.bash("THOUGHT: look", usage(), "ls"));
    var router = new Scripted.Router(req -> req.stepIndex() == 0
        ? CompletableFuture.completedFuture(Scripted.Router.decide(req, OPUS, "first"))
        : CompletableFuture.failedFuture(new IllegalStateException("classifier offline")));
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), model, router);
    double step = (400 * 5.0 + 600 * 0.5 + 100 * 25.0) / 1e6;
    assertEquals("IllegalStateException", r.report().exitStatus());
    assertEquals("IllegalStateException: classifier offline", r.report().agentError());
    assertEquals(step, r.report().apiCostUsd(), 1e-12);
    assertFalse(r.report().resolved());
    JsonNode result = r.result();
    assertEquals("IllegalStateException", result.get("finished_by").asText());
    assertEquals(1, result.get("step_count").asInt(), "after an error: the priced count");
    assertEquals(2, r.trace().size());
    JsonNode messages = r.trajectory().get("messages");
    JsonNode exit = messages.get(messages.size() - 1);
    assertEquals("exit", exit.get("role").asText());
    assertEquals("classifier offline", exit.get("content").asText());
    assertEquals("IllegalStateException", exit.get("extra").get("exit_status").asText());
    assertEquals("classifier offline", exit.get("extra").get("exception_str").asText());
    assertEquals("", exit.get("extra").get("submission").asText());
  }

  @Test
  void aRouterThatDoesNotAnswerInTimeEndsTheCase() throws Exception {
    var model = new Scripted.Model(Scripted.bash("THOUGHT: look", usage(), "ls"));
    var router = new Scripted.Router(req -> new CompletableFuture<>());
    Run r = run(limits(250, 3.0, Duration.ofMillis(200)), model, router);
    assertEquals("SelectDeadlineExceeded", r.report().exitStatus());
    assertTrue(r.report().agentError().startsWith("SelectDeadlineExceeded: router select did not answer within 0.2 s"));
    assertFalse(r.report().infrastructureError(), "a slow router is the router's own doing");
    assertTrue(r.model().modelIds.isEmpty());
  }

  @Test
  void aDecisionOutsideThePoolIsARouterError() throws Exception {
    var model = new Scripted.Model(Scripted.bash("THOUGHT: look", usage(), "ls"));
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), model, Scripted.Router.always("openai/gpt-x"));
    assertEquals("InvalidRouterDecision", r.report().exitStatus());
    assertTrue(r.report().agentError().contains("openai/gpt-x"));
  }

  @Test
  void anAnswerWithoutUsageEndsTheCaseAsAProviderFailure() throws Exception {
    var model = new Scripted.Model(Scripted.bash("THOUGHT: look", null, "ls"));
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), model, Scripted.Router.always(CHEAP));
    assertEquals("ProviderMissingUsageError", r.report().exitStatus());
    assertTrue(r.report().infrastructureError());
    assertTrue(r.sandbox().commands.isEmpty());
  }

  @Test
  void aRefusedRequestEndsTheCaseAsAValueWithTheSpendKept() throws Exception {
    var model = new Scripted.Model(
        Scripted.bash("THOUGHT: look", usage(), "ls"),
        new io.twinrouter.agent.loop.ModelRefusal("ModelRequestRejected", "HTTP 400 from x: context too long"));
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), model, Scripted.Router.always(CHEAP));
    assertEquals("ModelRequestRejected", r.report().exitStatus());
    assertEquals("ModelRequestRejected: HTTP 400 from x: context too long", r.report().agentError());
    assertEquals((400 * 0.252 + 600 * 0.0252 + 100 * 0.378) / 1e6, r.report().apiCostUsd(), 1e-15);
    assertFalse(r.report().resolved());
  }

  @Test
  void aModelEndpointThatIsDownFailsTheActorForItsSupervisor() throws Exception {
    var model = new Scripted.Model(new IOException("connection refused after 10 attempts"));
    var sandbox = sandbox();
    var spec = new CaseSpec("run-1", "test-router",
        new CaseTask("django__django-1", "django/django", "Broken."), out);
    TestProbe<CaseReport> probe = KIT.createTestProbe();
    var runner = KIT.spawn(CaseRunner.create(spec, deps(limits(250, 3.0, Duration.ofSeconds(5)),
        AgentSettings.from(ConfigFactory.load()), model, sandbox, Scripted.Router.always(CHEAP), new Grader())));
    runner.tell(new CaseRunner.Start(probe.getRef()));
    probe.expectTerminated(runner, Duration.ofSeconds(10));
    probe.expectNoMessage(Duration.ofMillis(100));
    awaitTrue(() -> sandbox.closed);
    Path trace = out.resolve("django__django-1.trace.jsonl");
    awaitTrue(() -> Files.exists(trace) && readQuietly(trace).contains("loop_summary"));
    JsonNode summary = JSON.readTree(readQuietly(trace).strip());
    assertEquals("IOException", summary.get("finished_by").asText());
    assertFalse(Files.exists(out.resolve("results/django__django-1.json")),
        "no result file: a later resume retries the case");
  }

  @Test
  void aCaseStoppedWhileItsSandboxStartsStillReleasesIt() throws Exception {
    var sandbox = sandbox();
    sandbox.openDelayMs = 300;
    var spec = new CaseSpec("run-1", "test-router",
        new CaseTask("django__django-1", "django/django", "Broken."), out);
    var runner = KIT.spawn(CaseRunner.create(spec, deps(limits(250, 3.0, Duration.ofSeconds(5)),
        AgentSettings.from(ConfigFactory.load()), new Scripted.Model(Scripted.bash("t", usage(), "ls")),
        sandbox, Scripted.Router.always(CHEAP), new Grader())));
    TestProbe<CaseReport> probe = KIT.createTestProbe();
    runner.tell(new CaseRunner.Start(probe.getRef()));
    Thread.sleep(50);
    KIT.stop(runner);
    awaitTrue(() -> sandbox.closed);
    assertEquals(1, sandbox.opened);
    assertTrue(sandbox.commands.isEmpty());
  }

  @Test
  void aRestartedCaseStartsOverInAFreshSandbox() throws Exception {
    var model = new Scripted.Model(
        new IOException("connection reset"),
        Scripted.bash("THOUGHT: submit", usage(), SUBMIT));
    var sandbox = sandbox();
    var spec = new CaseSpec("run-1", "test-router",
        new CaseTask("django__django-1", "django/django", "Broken."), out);
    TestProbe<CaseReport> probe = KIT.createTestProbe();
    var behavior = Behaviors.supervise(CaseRunner.create(spec, deps(limits(250, 3.0, Duration.ofSeconds(5)),
            AgentSettings.from(ConfigFactory.load()), model, sandbox, Scripted.Router.always(CHEAP), new Grader())))
        .onFailure(CaseInfrastructureException.class, SupervisorStrategy.restart().withLimit(2, Duration.ofMinutes(1)));
    var runner = KIT.spawn(behavior);
    runner.tell(new CaseRunner.Start(probe.getRef()));
    CaseReport report = probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals("Submitted", report.exitStatus());
    assertEquals(1, report.steps(), "the second attempt starts from scratch");
    assertEquals(2, sandbox.opened);
    List<JsonNode> trace = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("django__django-1.trace.jsonl"))) {
      trace.add(JSON.readTree(line));
    }
    assertEquals(2, trace.size(), "the trace was started afresh by the second attempt");
  }

  @Test
  void aCommandThatOutlivesItsTimeoutIsObservedWithMinisExceptionLine() throws Exception {
    var model = new Scripted.Model(
        Scripted.bash("THOUGHT: wait", usage(), "sleep 999"),
        Scripted.bash("THOUGHT: submit", usage(), SUBMIT));
    // The sandbox kills the command at the timeout and says so by its exit code alone.
    var shell = new Scripted.Sandbox(cmd -> cmd.equals(SUBMIT)
        ? sandbox().exec(cmd, Duration.ZERO)
        : new ExecResult(ExecResult.TIMED_OUT, "partial\n", "", Duration.ofSeconds(60), false));
    LiveTrackSettings limits = limits(250, 3.0, Duration.ofSeconds(5));
    Run r = run(limits, AgentSettings.from(ConfigFactory.load()), model, shell,
        Scripted.Router.always(CHEAP));
    assertEquals("Submitted", r.report().exitStatus());
    String info = "An error occurred while executing the command: the command did not finish within "
        + limits.commandTimeout().toSeconds() + " seconds and was killed";
    JsonNode observation = r.trajectory().get("messages").get(3);
    assertEquals("tool", observation.get("role").asText());
    assertTrue(observation.get("content").asText().startsWith("<exception>" + info + "</exception>"),
        observation.toString());
    assertEquals(info, observation.get("extra").get("exception_info").asText());
    assertEquals(-1, observation.get("extra").get("returncode").asInt());
    assertEquals("partial\n", observation.get("extra").get("raw_output").asText());
  }

  @Test
  void textModeRunsTheFencedBlockAndObservesAsUser() throws Exception {
    ModelTurn explore = Scripted.answer("THOUGHT: look\n\n```mswea_bash_command\nls\n```", List.of(), usage());
    ModelTurn submit = Scripted.answer("THOUGHT: done\n\n```mswea_bash_command\n" + SUBMIT + "\n```", List.of(), usage());
    var agent = AgentSettings.from(ConfigFactory.load()).withActionFormat(io.twinrouter.agent.loop.ActionFormat.TEXT);
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), agent, new Scripted.Model(explore, submit),
        sandbox(), Scripted.Router.always(CHEAP));
    assertEquals("Submitted", r.report().exitStatus());
    assertEquals(PATCH, r.report().patch());
    var second = r.model().requests.get(1);
    assertEquals("user", second.get(3).get("role").asText());
    assertTrue(second.get(3).get("content").asText().contains("<output>\nran: ls\n</output>"));
  }
}
