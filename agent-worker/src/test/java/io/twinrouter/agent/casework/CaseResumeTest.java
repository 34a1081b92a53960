package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.loop.Scripted;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.config.LiveTrackSettings;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cases journalled on a real embedded H2 database, interrupted by an infrastructure failure and
 * the loss of their actor system, then resumed in a new actor system on the same database.
 */
class CaseResumeTest {

  // the first journal write opens H2 and Slick's pool: slow on a loaded 2-core machine
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LiveTrackSettings LIMITS = CaseHarness.limits(250, 3.0, Duration.ofSeconds(5));
  private static final AgentSettings AGENT = AgentSettings.from(ConfigFactory.load());
  private static final String CASE = "django__django-1";
  /** 400 fresh, 600 read, 100 out at DeepSeek's prices. */
  private static final double STEP = (400 * 0.252 + 600 * 0.0252 + 100 * 0.378) / 1e6;

  @TempDir Path dir;
  @TempDir Path out;

  private ActorTestKit system(String name) {
    JournalDatabase db = JournalDatabase.h2(dir);
    db.ensureSchema();
    return ActorTestKit.create(name, db.pekkoConfig().withFallback(ConfigFactory.load()));
  }

  private static Scripted.Sandbox sandbox(Function<String, Integer> exitCodes) {
    return new Scripted.Sandbox(cmd -> cmd.equals(CaseHarness.SUBMIT)
        ? new ExecResult(0, "COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\n" + CaseHarness.PATCH, "",
            Duration.ofMillis(3), false)
        : new ExecResult(exitCodes.apply(cmd), "ran: " + cmd + "\n", "", Duration.ofMillis(2),
            false));
  }

  private CaseDeps deps(ChatModel model, Scripted.Sandbox sandbox, Scripted.Router router,
      boolean journalled) {
    double[] now = {1_700_000_000.0};
    CaseDeps d = new CaseDeps(CaseHarness.POOL, LIMITS, AGENT, Templates.defaults(), model, sandbox,
        router, new CaseHarness.Grader(), () -> now[0] += 1.0);
    return journalled ? d.withJournaling(new CaseJournaling(WAIT)) : d;
  }

  private CaseSpec spec(Path outDir) {
    return new CaseSpec("run-1", "test-router",
        new CaseTask(CASE, "django/django", "The frobnicator breaks on empty input."), outDir);
  }

  /** Runs the case to its report. */
  private static CaseReport finish(ActorTestKit kit, CaseSpec spec, CaseDeps deps) {
    TestProbe<CaseReport> reports = kit.createTestProbe();
    ActorRef<CaseRunner.Command> runner = kit.spawn(CaseRunner.create(spec, deps));
    runner.tell(new CaseRunner.Start(reports.getRef()));
    CaseReport report = reports.receiveMessage(WAIT);
    reports.expectTerminated(runner, WAIT);
    return report;
  }

  /** Runs the case until an infrastructure failure stops its actor, without a report. */
  private static void crash(ActorTestKit kit, CaseSpec spec, CaseDeps deps) {
    TestProbe<CaseReport> reports = kit.createTestProbe();
    ActorRef<CaseRunner.Command> runner = kit.spawn(CaseRunner.create(spec, deps));
    runner.tell(new CaseRunner.Start(reports.getRef()));
    reports.expectTerminated(runner, WAIT);
    reports.expectNoMessage(Duration.ofMillis(100));
  }

  private static List<JsonNode> trace(Path outDir) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(outDir.resolve(CASE + ".trace.jsonl"))) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  private static List<Integer> stepIndices(List<JsonNode> trace) {
    return trace.stream().filter(r -> r.has("step_index")).map(r -> r.get("step_index").asInt()).toList();
  }

  /** A fresh start's model: one look around, then the submission. */
  private static Scripted.Model exploreThenSubmit() {
    return new Scripted.Model(
        Scripted.bash("THOUGHT: explore", CaseHarness.usage(), "ls"),
        Scripted.bash("THOUGHT: submit", CaseHarness.usage(), CaseHarness.SUBMIT));
  }

  private static Object[] script() {
    return new Object[] {
        Scripted.bash("THOUGHT: explore", CaseHarness.usage(), "ls"),
        Scripted.answer("I will just think.", List.of(), CaseHarness.usage()),
        Scripted.bash("THOUGHT: write the patch", CaseHarness.usage(), "git diff -- m.py > patch.txt"),
        Scripted.bash("THOUGHT: submit", CaseHarness.usage(), CaseHarness.SUBMIT)};
  }

  @Test
  void aResumedCaseReplaysItsStepsWithoutTheModelAndBillsEachStepOnce() throws Exception {
    Object[] script = script();
    // the reference: the same case without interruption and without a journal
    Path plainOut = Files.createDirectories(out.resolve("plain"));
    var plainModel = new Scripted.Model(script);
    ActorTestKit plain = ActorTestKit.create("plain");
    CaseReport uninterrupted;
    try {
      uninterrupted = finish(plain, spec(plainOut),
          deps(plainModel, sandbox(c -> 0), Scripted.Router.always(CaseHarness.CHEAP), false));
    } finally {
      plain.shutdownTestKit();
    }

    // steps 0 to 2 (1 a format error) are journalled, then the endpoint fails at step 3 and the
    // whole actor system goes away
    ActorTestKit first = system("first");
    try {
      var model = new Scripted.Model(script[0], script[1], script[2],
          new IOException("connection reset"));
      crash(first, spec(out), deps(model, sandbox(c -> 0), Scripted.Router.always(CaseHarness.CHEAP), true));
      assertEquals(4, model.requests.size());
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = system("second");
    try {
      var model = new Scripted.Model(script[3]);
      var shell = sandbox(c -> 0);
      var router = Scripted.Router.always(CaseHarness.CHEAP);
      CaseReport resumed = finish(second, spec(out), deps(model, shell, router, true));

      assertEquals("Submitted", resumed.exitStatus());
      assertTrue(resumed.resolved());
      assertEquals(1, model.requests.size(), "only the unjournalled step calls the model");
      assertEquals(List.of(3), router.requests.stream().map(r -> r.stepIndex()).toList());
      // As JSON text, extra blocks included: a replayed message holds the same values, though
      // read back from the journal some numbers are int nodes where the first run had longs.
      assertEquals(plainModel.requests.get(3).toString(), model.requests.get(0).toString(),
          "the model sees the same conversation as without the interruption");
      assertEquals(List.of("ls", "git diff -- m.py > patch.txt", CaseHarness.SUBMIT), shell.commands,
          "recorded commands are replayed in a fresh sandbox");
      assertEquals(3 * STEP, resumed.apiCostUsd(), 1e-12);
      assertEquals(uninterrupted.apiCostUsd(), resumed.apiCostUsd(), 1e-15);
      assertEquals(uninterrupted.steps(), resumed.steps());
      assertEquals(uninterrupted.pricedSteps(), resumed.pricedSteps());

      List<JsonNode> rows = trace(out);
      assertEquals(List.of(0, 2, 3), stepIndices(rows), "each step once in the trace");
      assertEquals(stepIndices(trace(plainOut)), stepIndices(rows));
      assertEquals(trace(plainOut).get(1).get("cumulative_cost_usd"), rows.get(1).get("cumulative_cost_usd"));
      JsonNode summary = rows.get(rows.size() - 1);
      assertEquals("loop_summary", summary.get("__marker__").asText());
      assertEquals(3 * STEP, summary.get("total_router_cost_usd").asDouble(), 1e-12);
      assertEquals(4, rows.size());
      JsonNode traj = JSON.readTree(out.resolve(CASE + ".mini_traj.json").toFile());
      JsonNode plainTraj = JSON.readTree(plainOut.resolve(CASE + ".mini_traj.json").toFile());
      assertEquals(plainTraj.get("messages").size(), traj.get("messages").size());
      assertEquals(4, traj.get("info").get("model_stats").get("api_calls").asInt());

      // the journal holds each step once and the result
      TestProbe<CaseJournal.History> histories = second.createTestProbe();
      second.spawn(CaseJournal.create("run-1", CASE)).tell(new CaseJournal.Load(histories.getRef()));
      CaseJournal.History h = histories.receiveMessage(WAIT);
      assertTrue(h.finished());
      assertEquals(List.of(0, 1, 2, 3), h.steps().stream().map(s -> s.stepIndex()).toList());
      assertEquals(3 * STEP, h.billedUsd(), 1e-12);

      // started once more, a finished case reports its stored result and does nothing else
      var idle = new Scripted.Model(script);
      var idleShell = sandbox(c -> 0);
      CaseReport again = finish(second, spec(out), deps(idle, idleShell, router, true));
      assertEquals(resumed, again);
      assertEquals(0, idle.requests.size());
      assertEquals(0, idleShell.opened);
    } finally {
      second.shutdownTestKit();
    }
  }

  /** Steps of the case's journal that H2 holds right now, read over JDBC. */
  private int durableSteps() throws java.sql.SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(JournalDatabase.h2(dir).url(), "sa", "");
        java.sql.PreparedStatement q = c.prepareStatement(
            "SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = ?")) {
      q.setString(1, CaseJournal.persistenceId("run-1", CASE).id());
      try (java.sql.ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * The router decides the next step while the last one is written; the model must still be
   * called only once every earlier step is durable, whether the router answers before the write
   * is acknowledged (instantly) or after it (slowly), and the case must end as without a journal.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 200})
  void everyStepIsDurableBeforeTheNextModelCall(int routerDelayMs) throws Exception {
    Object[] script = script();
    Path plainOut = Files.createDirectories(out.resolve("plain"));
    ActorTestKit plain = ActorTestKit.create("plain");
    CaseReport reference;
    try {
      reference = finish(plain, spec(plainOut), deps(new Scripted.Model(script),
          sandbox(c -> 0), Scripted.Router.always(CaseHarness.CHEAP), false));
    } finally {
      plain.shutdownTestKit();
    }
    ActorTestKit kit = system("ordered");
    try {
      List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
      var scripted = new Scripted.Model(script);
      ChatModel checking = (model, messages, tools) -> {
        int call = scripted.requests.size();
        try {
          if (durableSteps() < call) {
            violations.add("call " + call + " with " + durableSteps() + " steps durable");
          }
        } catch (java.sql.SQLException e) {
          throw new IOException(e);
        }
        return scripted.complete(model, messages, tools);
      };
      var router = new Scripted.Router(r -> CompletableFuture.supplyAsync(
          () -> Scripted.Router.decide(r, CaseHarness.CHEAP, null),
          CompletableFuture.delayedExecutor(routerDelayMs, TimeUnit.MILLISECONDS)));
      CaseReport report = finish(kit, spec(out), deps(checking, sandbox(c -> 0), router, true));
      assertEquals(List.of(), violations);
      assertEquals(4, scripted.requests.size());
      assertEquals(reference.apiCostUsd(), report.apiCostUsd(), 1e-15);
      assertEquals(reference.steps(), report.steps());
      assertEquals(stepIndices(trace(plainOut)), stepIndices(trace(out)));
      assertEquals(5, durableSteps(), "four steps and the result");
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aCaseRestartedByItsSupervisorResumesAfterItsLastJournalledStep() throws Exception {
    ActorTestKit kit = system("restart");
    try {
      var model = new Scripted.Model(
          Scripted.bash("THOUGHT: explore", CaseHarness.usage(), "ls"),
          new IOException("connection reset"),
          Scripted.bash("THOUGHT: submit", CaseHarness.usage(), CaseHarness.SUBMIT));
      var shell = sandbox(c -> 0);
      var router = Scripted.Router.always(CaseHarness.CHEAP);
      TestProbe<CaseReport> reports = kit.createTestProbe();
      var runner = kit.spawn(Behaviors.supervise(CaseRunner.create(spec(out), deps(model, shell, router, true)))
          .onFailure(CaseInfrastructureException.class,
              SupervisorStrategy.restart().withLimit(2, Duration.ofMinutes(1))));
      runner.tell(new CaseRunner.Start(reports.getRef()));
      CaseReport report = reports.receiveMessage(WAIT);

      assertEquals("Submitted", report.exitStatus());
      assertEquals(2, report.steps());
      assertEquals(3, model.requests.size(), "step 0 once, step 1 failed once and then answered");
      assertEquals(List.of(0, 1, 1), router.requests.stream().map(r -> r.stepIndex()).toList());
      assertEquals(2, shell.opened);
      assertEquals(List.of("ls", "ls", CaseHarness.SUBMIT), shell.commands);
      assertEquals(2 * STEP, report.apiCostUsd(), 1e-12);
      List<JsonNode> rows = trace(out);
      assertEquals(List.of(0, 1), stepIndices(rows));
      assertEquals(3, rows.size());
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aJournalledStepThisVersionCannotReadIsDiscardedLikeADivergence() throws Exception {
    // A step as an earlier version wrote it: its payload had "choice" and "decisionMs" where this
    // one has "decision", and the turn's "retries" was a count, not a list.
    String oldPayload = "{\"choice\":{\"modelId\":\"" + CaseHarness.CHEAP + "\",\"rationale\":null},"
        + "\"decisionMs\":1.5,\"turn\":{\"message\":{\"role\":\"assistant\"},\"retries\":0},"
        + "\"observations\":[]}";
    ActorTestKit first = system("first");
    try {
      TestProbe<CaseJournal.Ack> acks = first.createTestProbe();
      first.spawn(CaseJournal.create("run-1", CASE)).tell(new CaseJournal.RecordStep(
          new RecordedStep(0, CaseHarness.CHEAP, STEP, List.of(new RecordedStep.RecordedAction("ls", 0)),
              oldPayload), acks.getRef()));
      acks.receiveMessage(WAIT);
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = system("second");
    try {
      var model = exploreThenSubmit();
      var router = Scripted.Router.always(CaseHarness.CHEAP);
      CaseReport report = finish(second, spec(out), deps(model, sandbox(c -> 0), router, true));

      assertEquals("Submitted", report.exitStatus());
      assertEquals(List.of(0, 1), router.requests.stream().map(r -> r.stepIndex()).toList(),
          "the case started over from step 0");
      assertEquals(2 * STEP, report.apiCostUsd(), 1e-12);
      JsonNode marker = trace(out).get(0);
      assertEquals("history_discarded", marker.get("__marker__").asText());
      assertTrue(marker.get("reason").asText().startsWith(
          "step 0: a journalled step payload is unreadable"), marker.toString());
    } finally {
      second.shutdownTestKit();
    }
  }

  @Test
  void aDivergingReplayDiscardsTheHistoryAndStartsOverFromStepZero() throws Exception {
    ActorTestKit first = system("first");
    try {
      var model = new Scripted.Model(
          Scripted.bash("THOUGHT: explore", CaseHarness.usage(), "ls"), new IOException("connection reset"));
      crash(first, spec(out), deps(model, sandbox(c -> 0), Scripted.Router.always(CaseHarness.CHEAP), true));
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = system("second");
    try {
      // the fresh sandbox answers `ls` with another exit code than the one recorded
      var model = exploreThenSubmit();
      var shell = sandbox(c -> c.equals("ls") ? 2 : 0);
      var router = Scripted.Router.always(CaseHarness.CHEAP);
      CaseReport report = finish(second, spec(out), deps(model, shell, router, true));

      assertEquals("Submitted", report.exitStatus());
      assertEquals(2, model.requests.size(), "after the discard every step calls the model again");
      assertEquals(List.of(0, 1), router.requests.stream().map(r -> r.stepIndex()).toList());
      assertEquals(2, shell.opened, "a fresh sandbox for the new start");
      assertEquals(2 * STEP, report.apiCostUsd(), 1e-12, "the discarded step is not counted");

      List<JsonNode> rows = trace(out);
      JsonNode marker = rows.get(0);
      assertEquals("history_discarded", marker.get("__marker__").asText());
      assertEquals("step 0: command 'ls' exited 2, recorded 0", marker.get("reason").asText());
      assertEquals(List.of(0, 1), stepIndices(rows));
      assertEquals("loop_summary", rows.get(rows.size() - 1).get("__marker__").asText());
      assertEquals(4, rows.size());

      TestProbe<CaseJournal.History> histories = second.createTestProbe();
      second.spawn(CaseJournal.create("run-1", CASE)).tell(new CaseJournal.Load(histories.getRef()));
      CaseJournal.History h = histories.receiveMessage(WAIT);
      assertEquals(List.of("step 0: command 'ls' exited 2, recorded 0"), h.discards());
      assertEquals(List.of(0, 1), h.steps().stream().map(s -> s.stepIndex()).toList());
    } finally {
      second.shutdownTestKit();
    }
  }
}
