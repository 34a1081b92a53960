package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.grading.Grader;
import io.twinrouter.agent.grading.GradingLayout;
import io.twinrouter.agent.grading.SwebenchTask;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.agent.loop.ActionParser;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.CaseLoop;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.loop.ParsedActions;
import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.protocol.CaseReport;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import io.twinrouter.sandbox.backends.SandboxProviders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole cases end to end: the bundled task suite, the simulated pool over real HTTP on loopback,
 * the model client, real routers, a real sandbox per case and SWE-bench grading in a fresh one.
 * Each backend (bwrap, Docker) runs the same cases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveCaseContract {

  static final String EASY = "twinrouter-suite__ledgerkit-101";
  static final String HARD = "twinrouter-suite__ledgerkit-104";
  static final ObjectMapper JSON = new ObjectMapper();

  final Config config = ConfigFactory.load();
  final TwinrouterSettings settings = TwinrouterSettings.from(config);
  final AgentSettings agent = AgentSettings.from(config);
  final Templates templates = Templates.defaults();
  final ExecutorService routerPool = Executors.newCachedThreadPool();
  ActorTestKit kit;
  SandboxSettings sandboxSettings;
  SandboxProvider provider;
  Map<String, TaskInstance> tasks;
  Path taskFile;
  SimPoolServer sim;
  ModelPool pool;
  ModelClient client;
  String runId;

  @TempDir Path out;

  abstract String backend();

  /** Where grading puts the patch and the eval script inside this backend's sandbox. */
  abstract GradingLayout gradingLayout();

  @BeforeAll
  void start(@TempDir Path suiteDir) throws Exception {
    kit = ActorTestKit.create();
    sandboxSettings = SandboxSettings.from(config);
    provider = SandboxProviders.create(backend(), sandboxSettings);
    tasks = TaskSuite.bundled(suiteDir).stream()
        .collect(Collectors.toMap(TaskInstance::instanceId, Function.identity()));
    taskFile = suiteDir.resolve(TaskSuite.BUNDLED_TASK_FILE);
    sim = startSim(7);
    pool = settings.pool().withBaseUrl(sim.baseUrl());
    client = new ModelClient(
        ModelClientSettings.from(config).withRetries(2, Duration.ofMillis(20), Duration.ofMillis(200)),
        new io.twinrouter.agent.model.EndpointLimiter(8), name -> null);
    runId = "it-" + backend() + "-" + Long.toHexString(System.nanoTime());
  }

  @AfterAll
  void stop() {
    sim.close();
    client.close();
    try {
      provider.reap(runId);
    } catch (RuntimeException e) {
      // A sandbox released asynchronously by a stopped case may be mid-removal (Docker: 409
      // "removal already in progress"); it goes away by itself.
      System.err.println("reap after the cases: " + e.getMessage());
    }
    provider.close();
    kit.shutdownTestKit();
    routerPool.shutdownNow();
  }

  SimPoolServer startSim(long seed) throws IOException {
    return SimPoolServer.start(settings.pool(), SimTaskLoader.load(taskFile),
        SimPoolOptions.from(config).withPort(0).withSeed(seed).withLatency(Duration.ZERO));
  }

  LiveTrackSettings limits(int steps, double cost, Duration selectTimeout) {
    LiveTrackSettings d = settings.liveTrack();
    return new LiveTrackSettings(steps, cost, Duration.ofSeconds(60), d.observationLimitChars(),
        d.wallclockTtlSec(), selectTimeout, d.failurePenaltyUsd(), d.workers());
  }

  SandboxSpec spec(String instanceId) {
    return SandboxCases.spec(runId, tasks.get(instanceId), agent.commandEnv(), sandboxSettings);
  }

  RouteChooser router(String name) {
    var env = RouterEnvironment.of(settings).withSelectTimeout(Duration.ofSeconds(20));
    return new RouterChooser(Routers.byName(name, env), routerPool);
  }

  CaseDeps deps(ModelPool modelPool, LiveTrackSettings limits, RouteChooser router) {
    return deps(modelPool, limits, router, new ModelClientChat(client));
  }

  CaseDeps deps(ModelPool modelPool, LiveTrackSettings limits, RouteChooser router, ChatModel model) {
    Map<String, SwebenchTask> rows = tasks.values().stream()
        .collect(Collectors.toMap(TaskInstance::instanceId, SandboxCases::gradingRow));
    var grader = new SwebenchPatchGrader(rows::get, SandboxCases.grading(provider, this::spec),
        new Grader(gradingLayout(), Duration.ofSeconds(300)), out.resolve("logs/run_evaluation"),
        runId);
    return new CaseDeps(modelPool, limits, agent, templates, model,
        SandboxCases.shells(provider, this::spec), router, grader, CaseDeps.wallClock());
  }

  CaseReport run(String instanceId, CaseDeps deps) {
    var spec = new CaseSpec(runId, "it", SandboxCases.caseTask(tasks.get(instanceId)), out);
    TestProbe<CaseReport> probe = kit.createTestProbe();
    var runner = kit.spawn(CaseRunner.create(spec, deps));
    runner.tell(new CaseRunner.Start(probe.getRef()));
    CaseReport report = probe.receiveMessage(Duration.ofMinutes(4));
    probe.expectTerminated(runner, Duration.ofSeconds(10));
    return report;
  }

  List<JsonNode> trace(String instanceId) throws IOException {
    return readTrace(out.resolve(instanceId + ".trace.jsonl"));
  }

  @Test
  void aCaseIsSolvedSubmittedAndResolved() throws Exception {
    CaseReport r = run(EASY, deps(pool, limits(250, 3.0, Duration.ofSeconds(30)), router("always-high")));
    assertEquals("Submitted", r.exitStatus(), r.toString());
    assertTrue(r.resolved(), r.toString());
    assertTrue(r.patchApplied());
    assertTrue(r.patch().startsWith("diff --git"), r.patch());
    assertTrue(r.apiCostUsd() > 0);
    assertFalse(r.infrastructureError());
    assertEquals(Map.of("anthropic/claude-opus-4.6", r.pricedSteps()), r.modelDistribution());

    JsonNode result = JSON.readTree(out.resolve("results/" + EASY + ".json").toFile());
    assertTrue(result.get("resolved").asBoolean());
    assertTrue(result.get("fail_to_pass_pass_count").asInt() > 0);
    assertEquals(0, result.get("fail_to_pass_fail_count").asInt());
    assertTrue(Files.exists(Path.of(result.get("eval_report_path").asText())));
    List<JsonNode> trace = trace(EASY);
    JsonNode summary = trace.get(trace.size() - 1);
    assertEquals("Submitted", summary.get("finished_by").asText());
    assertEquals(r.apiCostUsd(), summary.get("total_router_cost_usd").asDouble(), 1e-12);
    assertTrue(trace.get(1).get("cache_hit").asBoolean());
    assertTrue(trace.get(1).get("usage").get("cache_read_tokens").asLong() > 0,
        "the simulated provider reports cache reads from the second call on");
    JsonNode traj = JSON.readTree(out.resolve(EASY + ".mini_traj.json").toFile());
    assertEquals("Submitted", traj.get("info").get("exit_status").asText());
  }

  @Test
  void theStepAndCostLimitsStopCasesUnresolved() throws Exception {
    CaseReport steps = run(EASY, deps(pool, limits(3, 3.0, Duration.ofSeconds(30)), router("always-low")));
    assertEquals("LimitsExceeded", steps.exitStatus());
    assertEquals(3, steps.steps());
    assertFalse(steps.resolved());
    assertEquals("no patch produced (agent loop produced empty diff)", steps.evalError());

    CaseReport cost = run(EASY, deps(pool, limits(250, 0.0001, Duration.ofSeconds(30)), router("always-high")));
    assertEquals("LimitsExceeded", cost.exitStatus());
    assertEquals(1, cost.pricedSteps(), "one Opus call crosses $0.0001");
    assertTrue(cost.apiCostUsd() >= 0.0001);
  }

  @Test
  void a429IsRetriedAndTheCaseGoesOn() throws Exception {
    sim.faults().failNext(1, 429, Duration.ofMillis(50));
    CaseReport r = run(EASY, deps(pool, limits(250, 3.0, Duration.ofSeconds(30)), router("always-high")));
    assertEquals("Submitted", r.exitStatus());
    assertTrue(r.resolved());
    assertEquals(1, trace(EASY).get(0).get("retries").asInt());
  }

  @Test
  void aSlowRouterMeetsTheSelectTimeout() throws Exception {
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.setExecutor(Executors.newCachedThreadPool());
    slow.createContext("/route", ex -> {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    slow.start();
    try {
      long before = sim.chatRequests();
      String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/route";
      CaseReport r = run(EASY, deps(pool, limits(250, 3.0, Duration.ofMillis(400)), router(url)));
      assertEquals("SelectDeadlineExceeded", r.exitStatus());
      assertFalse(r.resolved());
      assertEquals(before, sim.chatRequests(), "no model call without a decision");
    } finally {
      slow.stop(0);
    }
  }

  @Test
  void aModelEndpointThatIsDownFailsTheCaseForItsSupervisor() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    ModelPool down = settings.pool().withBaseUrl("http://127.0.0.1:" + closedPort + "/v1");
    var spec = new CaseSpec(runId, "it", SandboxCases.caseTask(tasks.get(EASY)), out);
    TestProbe<CaseReport> probe = kit.createTestProbe();
    var runner = kit.spawn(CaseRunner.create(spec,
        deps(down, limits(250, 3.0, Duration.ofSeconds(30)), router("always-high"))));
    runner.tell(new CaseRunner.Start(probe.getRef()));
    probe.expectTerminated(runner, Duration.ofMinutes(1));
    probe.expectNoMessage(Duration.ofMillis(200));
    assertFalse(Files.exists(out.resolve("results/" + EASY + ".json")), "no result: a resume retries it");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<JsonNode> trace = List.of();
    while (System.nanoTime() < deadline) {
      trace = trace(EASY);
      if (!trace.isEmpty()) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals("ModelUnavailableException", trace.get(trace.size() - 1).get("finished_by").asText());
  }

  @Test
  void aFormatErrorIsToldToTheModelAndCostsAStepIndex() throws Exception {
    long seed = seedWhoseFirstAnswerIsMalformed();
    try (SimPoolServer own = startSim(seed)) {
      ModelPool p = settings.pool().withBaseUrl(own.baseUrl());
      // The simulated answer depends on (seed, step, model) and a format error adds no assistant
      // turn, so the same model would repeat it: this router moves on to Opus after step 0.
      RouteChooser lowThenHigh = req -> java.util.concurrent.CompletableFuture.completedFuture(
          io.twinrouter.agent.loop.Scripted.Router.decide(req, req.stepIndex() == 0
              ? "deepseek/deepseek-v3.2" : "anthropic/claude-opus-4.6", "low first"));
      CaseReport r = run(HARD, deps(p, limits(3, 3.0, Duration.ofSeconds(30)), lowThenHigh));
      assertEquals("LimitsExceeded", r.exitStatus());
      assertEquals(3, r.steps());
      assertEquals(2, r.pricedSteps(), r.toString());
      List<JsonNode> trace = trace(HARD);
      assertEquals(1, trace.get(0).get("step_index").asInt(), "step 0 was the format error");
      assertEquals(2, trace.get(1).get("step_index").asInt());
      JsonNode traj = JSON.readTree(out.resolve(HARD + ".mini_traj.json").toFile());
      JsonNode feedback = traj.get("messages").get(2);
      assertEquals("FormatError", feedback.get("extra").get("interrupt_type").asText());
    }
  }

  @Test
  void aCaseInterruptedMidwayResumesFromItsJournalWithoutPayingTwice(@TempDir Path journalDir)
      throws Exception {
    JournalDatabase db = JournalDatabase.h2(journalDir);
    db.ensureSchema();
    Config journalled = db.pekkoConfig().withFallback(config);
    var spec = new CaseSpec(runId, "it", SandboxCases.caseTask(tasks.get(EASY)), out.resolve("resumed"));
    var limits = limits(250, 3.0, Duration.ofSeconds(30));
    ChatModel real = new ModelClientChat(client);
    int recordedSteps = 2;

    // the endpoint answers two calls, then the third fails and the whole actor system goes away
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ChatModel dying = (m, messages, tools) -> {
      if (calls.getAndIncrement() == recordedSteps) {
        throw new IOException("the worker dies before this call");
      }
      return real.complete(m, messages, tools);
    };
    ActorTestKit first = ActorTestKit.create("resume-first", journalled);
    try {
      TestProbe<CaseReport> probe = first.createTestProbe();
      var runner = first.spawn(CaseRunner.create(spec,
          deps(pool, limits, router("always-high"), dying).withJournaling(CaseJournaling.defaults())));
      runner.tell(new CaseRunner.Start(probe.getRef()));
      probe.expectTerminated(runner, Duration.ofMinutes(2));
      probe.expectNoMessage(Duration.ofMillis(200));
    } finally {
      first.shutdownTestKit();
    }
    List<JsonNode> before = readTrace(spec.outputDir().resolve(EASY + ".trace.jsonl")).stream()
        .filter(row -> row.has("step_index")).toList();
    assertEquals(recordedSteps, before.size());

    ActorTestKit second = ActorTestKit.create("resume-second", journalled);
    try {
      long chatsBefore = sim.chatRequests();
      TestProbe<CaseReport> probe = second.createTestProbe();
      var runner = second.spawn(CaseRunner.create(spec,
          deps(pool, limits, router("always-high"), real).withJournaling(CaseJournaling.defaults())));
      runner.tell(new CaseRunner.Start(probe.getRef()));
      CaseReport r = probe.receiveMessage(Duration.ofMinutes(4));
      probe.expectTerminated(runner, Duration.ofSeconds(10));

      assertEquals("Submitted", r.exitStatus(), r.toString());
      assertTrue(r.resolved(), r.toString());
      assertEquals(r.steps() - recordedSteps, sim.chatRequests() - chatsBefore,
          "the journalled steps are replayed in the sandbox, not asked of the model");
      List<JsonNode> steps = readTrace(spec.outputDir().resolve(EASY + ".trace.jsonl")).stream()
          .filter(row -> row.has("step_index")).toList();
      assertEquals(java.util.stream.IntStream.range(0, r.steps()).boxed().toList(),
          steps.stream().map(row -> row.get("step_index").asInt()).toList(), "each step once");
      assertEquals(before, steps.subList(0, recordedSteps), "the replayed steps keep their billed rows");
      assertEquals(r.apiCostUsd(), steps.stream().mapToDouble(row -> row.get("step_cost_usd").asDouble()).sum(), 1e-12);
    } finally {
      second.shutdownTestKit();
    }
  }

  static List<JsonNode> readTrace(Path file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  /** The simulated pool is seeded: find a seed whose low-tier answer to step 0 cannot be parsed. */
  long seedWhoseFirstAnswerIsMalformed() throws Exception {
    var task = SandboxCases.caseTask(tasks.get(HARD));
    var parser = new ActionParser(agent.actionFormat(), templates);
    for (long seed = 1; seed < 600; seed++) {
      try (SimPoolServer probe = startSim(seed)) {
        ModelPool p = settings.pool().withBaseUrl(probe.baseUrl());
        var loop = new CaseLoop(task, p, limits(250, 3.0, Duration.ofSeconds(30)), agent, templates);
        var turn = new ModelClientChat(client).complete(p.forTier(io.twinrouter.config.Tier.LOW).orElseThrow(),
            loop.conversation(), loop.tools());
        if (parser.parse(turn) instanceof ParsedActions.FormatError) {
          return seed;
        }
      }
    }
    throw new AssertionError("no seed in 1..599 gives a malformed first answer");
  }
}
