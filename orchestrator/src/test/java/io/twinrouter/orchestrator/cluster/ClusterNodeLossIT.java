package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.KilledRunResumeIT;
import io.twinrouter.orchestrator.live.LiveRunChecks;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.scoring.live.RunEnding;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled suite (by default two cases of each project) on a 3-node cluster (PostgreSQL journal from Debian's package, simulated pool,
 * bwrap sandboxes; nodes on 127.0.0.2-127.0.0.4, the client on 127.0.0.6, Artery over TLS with
 * certificates from {@code cluster certs}; a fourth node on 127.0.0.5 whose key another CA signed
 * tries to join all along and never does), with the oldest node, which hosts the run coordinator and the live-run
 * registry singletons, killed by SIGKILL while it runs cases: every case finishes
 * exactly once, no step is billed twice, and the resolved set and each case's billed steps (step
 * index and model) and the total cost equal those of a single-node run with the same seed (the
 * simulated pool reads its prompt cache off the conversation, so every node's pool bills alike).
 * Every node serves the HTTP API: each shows the run's progress while it goes, and the survivors
 * (whose registry was rebuilt after the singletons moved) agree on its cases and score, which
 * equals the score.json the run wrote. Then a second run on the survivors with a budget its
 * first steps exceed: the cases that wait for a slot never start, those started finish, and the
 * score (written and served) says the run was cut short. Nothing is shared but the journal: each
 * node fetches the run's rows and bundles into its own working folder, and the client, killed by
 * SIGKILL once it wrote a case's files (its --out deleted), is replaced by one attached with
 * another --out, which ends with every case's files as the single-node run wrote them (timings
 * aside). Last, a run whose pool file names a dead endpoint is refused by the nodes' preflight
 * (exit 2).
 */
class ClusterNodeLossIT {
  private static final long SEED = 7;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN_ID = "cluster-it";
  /** The node killed: the oldest, so both singletons move and the registry is rebuilt. */
  private static final int LOST = 0;
  /**
   * Two cases of each bundled project by default, to keep the test short on 2 cores (6 cases fill
   * the 3 nodes' 2 slots each); {@code -Dtwinrouter.cluster-it.all=true} runs the whole suite.
   */
  static final List<String> CASES = List.of(
      "twinrouter-suite__ledgerkit-101", "twinrouter-suite__ledgerkit-102",
      "twinrouter-suite__tinyini-201", "twinrouter-suite__tinyini-202",
      "twinrouter-suite__taskgraph-301", "twinrouter-suite__taskgraph-302");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private Path pgDir;
  private Path clientTls;
  private String seed;

  @AfterEach
  void stopEverything() throws Exception {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (pgDir != null) {
      new ProcessBuilder(script().toString(), "stop", pgDir.resolve("pg").toString()).inheritIO().start()
          .waitFor(60, TimeUnit.SECONDS);
      try (var files = Files.walk(pgDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void aRunSurvivesTheLossOfANode() throws Exception {
    String journal = startPostgres();
    int[] ports = {freePort(), freePort(), freePort()};
    int[] httpPorts = {freePort(), freePort(), freePort()};
    // 3 nodes and the clients (one at a time, sharing member-4), TLS with mutual authentication
    List<Path> certs = ClusterCerts.write(dir.resolve("certs"), 4, null);
    clientTls = certs.get(3);
    seed = NodeApis.host(0) + ":" + ports[0];
    for (int i = 0; i < 3; i++) {
      processes.add(jvm(dir.resolve("node" + i + ".log"), "node", "--host", NodeApis.host(i),
          "--port", "" + ports[i], "--seed", seed, "--tls", certs.get(i).toString(),
          "--work-dir", dir.resolve("work" + i).toString(),
          "--journal", journal, "--journal-user", "twinrouter",
          "--max-cases", "2", "--http-host", NodeApis.host(i), "--http-port", "" + httpPorts[i]));
    }
    // A fourth node whose key another CA signed (it trusts the cluster's CA): never a member.
    Path foreign = ForeignMember.make(dir.resolve("foreign-certs"), certs.get(0));
    Path outsiderLog = dir.resolve("outsider.log");
    Process outsider = jvm(outsiderLog, "node", "--host", "127.0.0.5", "--port", "" + freePort(),
        "--seed", seed, "--tls", foreign.toString(), "--journal", journal, "--journal-user",
        "twinrouter", "--max-cases", "2");
    processes.add(outsider);
    Process lost = processes.get(LOST);
    Path lostLog = dir.resolve("node" + LOST + ".log");
    // nodes write a run's case files in their own working folder and send them to the client
    Path lostOut = dir.resolve("work" + LOST).resolve("runs").resolve(RUN_ID).resolve("out");
    List<Integer> survivors = List.of(0, 1, 2).stream().filter(i -> i != LOST).toList();
    NodeApis apis = new NodeApis(httpPorts, RUN_ID);

    // The single-node run with the same seed, while the nodes start.
    Path single = dir.resolve("single");
    boolean all = Boolean.getBoolean("twinrouter.cluster-it.all");
    Path idsFile = LiveRunChecks.idsFile(dir, CASES);
    LiveRunOptions singleOptions =
        LiveRunOptions.of("bundled", "always-high", "local", single).withWorkers(6).withSeed(SEED)
            .withRunId(RUN_ID);
    LiveRun.Outcome whole = new LiveRun(all ? singleOptions : singleOptions.withInstanceIds(idsFile),
        TwinrouterSettings.load()).run(e -> {}, false);
    List<String> ids = all
        ? TaskSuite.load(single.resolve("suite/tasks.jsonl")).stream()
            .map(TaskInstance::instanceId).toList()
        : CASES;
    Map<String, Boolean> expected = LiveRunChecks.checkRun(single, ids);

    for (int i = 0; i < 3; i++) {
      NodeLogs.awaitUp(dir.resolve("node" + i + ".log"), processes.get(i));
    }
    Path out = dir.resolve("cluster");
    List<String> submit = new ArrayList<>(List.of("live", "run", "--cluster", seed,
        "--host", "127.0.0.6", "--tls", clientTls.toString(), "--router", "always-high",
        "--sandbox", "local", "--seed", "" + SEED, "--out", out.toString(), "--run-id", RUN_ID));
    if (!all) {
      submit.addAll(List.of("--instance-ids", idsFile.toString()));
    }
    Process client = jvm(dir.resolve("client.log"), submit.toArray(String[]::new));
    processes.add(client);

    // Kill the oldest node (it hosts both singletons) while it runs cases, once every node's
    // HTTP API has shown the run's progress.
    Set<String> inFlight = Set.of();
    boolean[] progressShown = new boolean[3];
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    while (System.nanoTime() < deadline && client.isAlive()) {
      for (int i = 0; i < 3; i++) {
        progressShown[i] |= apis.showsProgress(i);
      }
      inFlight = NodeLogs.inFlight(lostLog);
      if (!inFlight.isEmpty() && CaseFileChecks.tracedSteps(lostOut, inFlight) > 0
          && progressShown[0] && progressShown[1] && progressShown[2]) {
        break;
      }
      Thread.sleep(100);
    }
    assertFalse(inFlight.isEmpty(), "the lost node never ran a case; see " + lostLog);
    for (int i = 0; i < 3; i++) {
      assertTrue(progressShown[i], "node " + i + "'s HTTP API never showed the run's progress");
    }
    lost.destroyForcibly(); // SIGKILL: no leaving, no shutdown hooks
    lost.waitFor(30, TimeUnit.SECONDS);
    // the outsider tried to join all along (the run took over a minute so far): refused
    assertTrue(outsider.isAlive(), "the outsider gave up: " + Files.readString(outsiderLog));
    outsider.destroy();
    outsider.waitFor(30, TimeUnit.SECONDS);
    String outsiderSaid = Files.readString(outsiderLog);
    assertFalse(outsiderSaid.contains("is up in the cluster"),
        "a node without the cluster's certificate joined: " + outsiderSaid);
    assertTrue(outsiderSaid.contains("bad_certificate"),
        "the outsider was not refused by the TLS handshake: " + outsiderSaid);
    Set<String> interrupted = new HashSet<>(NodeLogs.inFlight(lostLog));
    assertFalse(interrupted.isEmpty(), "killed while running a case");

    // The client dies too (SIGKILL) once it wrote a case's files; the run goes on without it. Its
    // --out goes with it: no node may need it, and a client attached later writes everything.
    while (client.isAlive() && !CaseFileChecks.hasResults(out)) {
      Thread.sleep(100);
    }
    assertTrue(client.isAlive(), "the run ended before the client could be killed: "
        + Files.readString(dir.resolve("client.log")));
    client.destroyForcibly();
    client.waitFor(30, TimeUnit.SECONDS);
    CaseFileChecks.deleteTree(out);
    String survivorSeed = NodeApis.host(survivors.get(0)) + ":" + ports[survivors.get(0)];
    Path attached = dir.resolve("attached");
    Process attach = jvm(dir.resolve("attach.log"), "live", "run", "--cluster", survivorSeed,
        "--host", "127.0.0.6", "--tls", clientTls.toString(), "--attach", RUN_ID,
        "--out", attached.toString());
    processes.add(attach);

    // The registry moved with the coordinator and was rebuilt: the survivors show the run going.
    boolean[] progressAfterLoss = new boolean[3];
    while (attach.isAlive() && !survivors.stream().allMatch(i -> progressAfterLoss[i])) {
      survivors.forEach(i -> progressAfterLoss[i] |= apis.showsProgress(i));
      Thread.sleep(200);
    }
    assertTrue(attach.waitFor(8, TimeUnit.MINUTES), "the attached client did not finish");
    assertEquals(0, attach.exitValue(), Files.readString(dir.resolve("attach.log")));
    assertFalse(Files.exists(out), "something wrote into the dead client's --out");
    out = attached;
    for (int i : survivors) {
      assertTrue(progressAfterLoss[i], "survivor " + i + " never showed progress after the loss");
    }

    // Each node fetched the run's rows and bundles into its own working folder (by hash).
    for (int i = 0; i < 3; i++) {
      try (var inputs = Files.list(dir.resolve("work" + i).resolve("inputs"))) {
        assertEquals(4, inputs.filter(f -> f.toString().endsWith("-tasks.jsonl")
            || f.toString().endsWith(".bundle")).count(), "node " + i + "'s inputs");
      }
    }
    // The attached client's --out holds every case's files as the single-node run wrote them.
    assertEquals(CaseFileChecks.caseFiles(single, RUN_ID, ids),
        CaseFileChecks.caseFiles(out, RUN_ID, ids));

    // Same resolved set, every case graded once, score files consistent (checkRun).
    assertEquals(expected, LiveRunChecks.checkRun(out, ids));
    JsonNode summary = LiveRunChecks.json(out.resolve("eval_summary.json"));
    JsonNode caseNodes = summary.path("cluster").path("case_nodes");
    assertEquals(ids.size(), caseNodes.size(), "each case recorded once");
    for (String id : interrupted) {
      assertFalse(caseNodes.path(id).asText().endsWith(":" + ports[LOST]),
          id + " was interrupted on the lost node and finished elsewhere");
    }
    // No step billed twice, and each case billed the same steps as in the single-node run.
    Map<String, List<String>> singleSteps = CaseFileChecks.billedSteps(single, ids);
    Map<String, List<String>> clusterSteps = CaseFileChecks.billedSteps(out, ids);
    for (String id : ids) {
      List<String> steps = clusterSteps.get(id);
      assertEquals(steps.stream().distinct().count(), steps.size(), id + " steps " + steps);
    }
    assertEquals(singleSteps, clusterSteps);
    // Total cost: every node's simulated pool reads its prompt cache off the conversation, so the
    // same billed steps cost the same wherever and whenever they ran (up to float summation order).
    double wholeCost = whole.score().path("total_router_cost_usd").asDouble();
    double clusterCost = LiveRunChecks.json(out.resolve("score.json"))
        .path("total_router_cost_usd").asDouble();
    assertEquals(wholeCost, clusterCost, 1e-9,
        "single node $" + wholeCost + ", cluster with a lost node $" + clusterCost);

    // Every surviving node's HTTP API: the same cases and score, equal to what the run wrote.
    JsonNode written = LiveRunChecks.json(out.resolve("score.json"));
    for (int i : survivors) {
      assertEquals(withoutRunFacts(written),
          withoutRunFacts(apis.awaitScore(i, java.time.Duration.ofMinutes(1))),
          "node " + i + "'s GET /v1/live/runs/" + RUN_ID + "/score");
      JsonNode run = apis.run(i).orElseThrow();
      assertEquals("finished", run.path("run").path("status").asText());
      assertEquals(run, apis.run(survivors.get(0)).orElseThrow(), "nodes " + i + " and "
          + survivors.get(0) + " disagree on the run's cases");
      Map<String, Boolean> resolved = new TreeMap<>();
      for (JsonNode c : run.path("cases")) {
        assertEquals("finished", c.path("state").asText(), c.toString());
        resolved.put(c.path("instance_id").asText(), c.path("resolved").asBoolean());
      }
      assertEquals(new TreeMap<>(expected), resolved, "node " + i + "'s resolved set");
      // the server-sent events cross nodes too (the registry pushes them to this node's stream)
      String events = apis.events(i);
      assertEquals(ids.size(), events.split("event: ?case", -1).length - 1, events);
      assertTrue(events.contains("event: done") || events.contains("event:done"), events);
    }

    budgetCutsTheRunShort(survivorSeed, httpPorts, survivors, idsFile, ids);
    theNodesPreflightRefusesADeadPool(survivorSeed, idsFile);
  }

  /** Each node checks the pool with its own keys and probes: a dead endpoint is bad input. */
  private void theNodesPreflightRefusesADeadPool(String survivor, Path idsFile) throws Exception {
    Path log = dir.resolve("dead-pool-client.log");
    Process client = jvm(log, "live", "run", "--cluster", survivor, "--host", "127.0.0.6",
        "--tls", clientTls.toString(), "--router", "always-high", "--sandbox", "local",
        "--pool", LiveRunChecks.deadPool(dir).toString(), "--out", dir.resolve("dead").toString(),
        "--run-id", RUN_ID + "-dead", "--instance-ids", idsFile.toString());
    processes.add(client);
    assertTrue(client.waitFor(5, TimeUnit.MINUTES), "the run with a dead pool did not end");
    String said = Files.readString(log);
    assertEquals(2, client.exitValue(), said);
    assertTrue(said.contains("preflight: the pool is not ready") && said.contains("node 127.0.0."),
        said);
    assertFalse(CaseFileChecks.hasResults(dir.resolve("dead")), "a case ran on a dead pool");
  }

  /**
   * Two nodes of two slots start at most four cases before the first step's spend reaches the
   * budget; every other case gets a slot only once a case finished, and is then held back.
   */
  private void budgetCutsTheRunShort(String survivor, int[] httpPorts, List<Integer> survivors,
      Path idsFile, List<String> ids) throws Exception {
    String runId = RUN_ID + "-budget";
    Path out = dir.resolve("budget");
    List<String> submit = new ArrayList<>(List.of("live", "run", "--cluster", survivor,
        "--host", "127.0.0.6", "--tls", clientTls.toString(), "--router", "always-high", "--sandbox", "local",
        "--seed", "" + SEED, "--out", out.toString(), "--run-id", runId,
        "--budget-usd", "0.000001"));
    if (!Boolean.getBoolean("twinrouter.cluster-it.all")) {
      submit.addAll(List.of("--instance-ids", idsFile.toString()));
    }
    Process client = jvm(dir.resolve("budget-client.log"), submit.toArray(String[]::new));
    processes.add(client);
    assertTrue(client.waitFor(8, TimeUnit.MINUTES), "the run with a budget did not finish");
    assertEquals(0, client.exitValue(), Files.readString(dir.resolve("budget-client.log")));

    JsonNode summary = LiveRunChecks.json(out.resolve("eval_summary.json"));
    Set<String> notStarted = new HashSet<>();
    summary.path("not_started").forEach(id -> notStarted.add(id.asText()));
    assertTrue(notStarted.size() >= ids.size() - 4, "held back: " + notStarted);
    assertTrue(summary.path("budget_reached").asBoolean(), summary.toString());
    JsonNode score = LiveRunChecks.json(out.resolve("score.json"));
    assertTrue(score.path("run_cut_short").asBoolean(), score.toString());
    assertEquals(notStarted.size(), score.path("cases_not_started").asInt());
    Set<String> scored = new HashSet<>();
    score.path("per_instance").forEach(r -> scored.add(r.path("instance_id").asText()));
    Set<String> started = new HashSet<>(ids);
    started.removeAll(notStarted);
    assertFalse(started.isEmpty(), "no case started");
    assertEquals(started, scored, "every started case ran to its end and was scored");
    for (String id : notStarted) {
      assertFalse(Files.exists(out.resolve("results").resolve(id + ".json")), id + " ran");
    }
    NodeApis apis = new NodeApis(httpPorts, runId);
    for (int i : survivors) {
      assertEquals(withoutRunFacts(score),
          withoutRunFacts(apis.awaitScore(i, java.time.Duration.ofMinutes(1))), "node " + i);
      int shownNotStarted = 0;
      for (JsonNode c : apis.run(i).orElseThrow().path("cases")) {
        shownNotStarted += "not_started".equals(c.path("state").asText()) ? 1 : 0;
      }
      assertEquals(notStarted.size(), shownNotStarted, "node " + i + "'s held-back cases");
    }
  }

  private String startPostgres() throws Exception {
    pgDir = Files.createTempDirectory("twinrouter-pg");
    pgDir.toFile().setExecutable(true, false);
    pgDir.toFile().setReadable(true, false);
    Process p = new ProcessBuilder(script().toString(), "start", pgDir.resolve("pg").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String url = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, "PostgreSQL did not start");
    assertTrue(url.startsWith("jdbc:postgresql://127.0.0.1:"), url);
    return url;
  }

  private Process jvm(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(KilledRunResumeIT.javaBinary(), "-Xmx512m",
        "-XX:TieredStopAtLevel=1", "-jar", KilledRunResumeIT.jar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("TWINROUTER_LOG_LEVEL", "INFO");
    return pb.start();
  }

  private static Path script() {
    Path s = Path.of("..", "scripts", "pg-test-server").toAbsolutePath().normalize();
    assertTrue(Files.isExecutable(s), "no " + s);
    return s;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * The score without what a run says of itself beyond its cases ({@link RunEnding#RUN_FACTS}:
   * router timing, ledger checks, sandbox, agent). The client reads those from the case files it
   * writes; the nodes' registry never sees those files, so a clustered run's served score lacks
   * them (a known gap: the numbers and cases must still agree exactly).
   */
  private static JsonNode withoutRunFacts(JsonNode score) {
    com.fasterxml.jackson.databind.node.ObjectNode copy =
        ((com.fasterxml.jackson.databind.node.ObjectNode) score).deepCopy();
    copy.remove(RunEnding.RUN_FACTS);
    return copy;
  }
}
