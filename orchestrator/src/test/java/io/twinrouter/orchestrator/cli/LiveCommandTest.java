package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code live run} and {@code live score}: exit 2 with one line naming the problem. */
class LiveCommandTest {
  @TempDir Path dir;

  record Result(int code, String stderr) {}

  /** Runs the CLI in process and keeps what it printed on stderr. */
  static Result run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = io.twinrouter.orchestrator.Main.run(args);
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void anUnknownRouterIsBadInput() {
    Result r = run("live", "run", "--router", "no-such-router", "--sandbox", "local",
        "--out", dir.resolve("out").toString());
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("no-such-router"), r.stderr());
  }

  @Test
  void aMissingTaskFileIsBadInput() {
    Result r = run("live", "run", "--tasks", dir.resolve("nope.jsonl").toString(),
        "--router", "always-high", "--sandbox", "local", "--out", dir.resolve("out").toString());
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("nope.jsonl"), r.stderr());
  }

  @Test
  void unknownInstanceIdsAreBadInput() throws Exception {
    Path ids = dir.resolve("ids.txt");
    Files.writeString(ids, "django__django-1\n");
    Result r = run("live", "run", "--router", "always-high", "--sandbox", "local",
        "--instance-ids", ids.toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("django__django-1"), r.stderr());
  }

  @Test
  void optionsAreChecked() {
    assertEquals(2, run("live", "run", "--router", "always-high", "--sandbox", "podman",
        "--out", dir.toString()).code());
    assertEquals(2, run("live", "run", "--router", "always-high", "--workers", "0",
        "--out", dir.toString()).code());
    assertEquals(2, run("live", "run", "--router", "always-high", "--budget-usd", "-1",
        "--out", dir.toString()).code());
  }

  @Test
  void scoringADirectoryWithoutResultsIsBadInput() {
    Result r = run("live", "score", dir.toString());
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("not a run directory"), r.stderr());
  }

  @Test
  void aRouterThatDoesNotAnswerStopsTheRunBeforeAnyCase() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Result r = run("live", "run", "--router", "http://127.0.0.1:" + port + "/route", "--sandbox", "local",
        "--out", dir.resolve("out").toString());
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("router 'http-" + port + "' does not answer: cannot connect to router"
        + " http://127.0.0.1:" + port + "/route: connection refused (is the router running"), r.stderr());
    assertFalse(Files.exists(dir.resolve("out").resolve("run.json")), "no run was started");
  }

  @Test
  void aBadRouterNameIsBadInput() {
    Result r = run("live", "run", "--router", "heuristic", "--router-name", "../x", "--sandbox", "local",
        "--out", dir.resolve("out").toString());
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("--router-name: router name '../x' must be"), r.stderr());
  }

  @Test
  void aRowWithNoGradingPlanIsRefusedBeforeAnyModelCall() throws Exception {
    io.twinrouter.agent.tasks.TaskSuite.bundled(dir.resolve("suite"));
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var rows = Files.readAllLines(dir.resolve("suite/tasks.jsonl"));
    var orphan = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(rows.get(0));
    // a repository and version SWE-bench has no specs for, and no test command of its own
    orphan.put("repo", "acme/widgets").put("version", "9.9").remove(java.util.List.of("test_cmd", "log_parser"));
    Path tasks = Files.writeString(dir.resolve("suite/mixed.jsonl"),
        rows.get(1) + "\n" + json.writeValueAsString(orphan) + "\n");
    var calls = new java.util.concurrent.atomic.AtomicInteger();
    var server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", x -> {
      calls.incrementAndGet();
      x.sendResponseHeaders(500, -1);
      x.close();
    });
    server.start();
    try {
      StringBuilder pool = new StringBuilder("models = [\n");
      for (var m : io.twinrouter.config.TwinrouterSettings.load().pool().models()) {
        pool.append(String.format(java.util.Locale.ROOT, "{ model-id = \"%s\", tier = %s,"
                + " base-url = \"http://127.0.0.1:%d/v1\", rates { input = 1, cache-read = 1,"
                + " cache-write = 1, output = 1 } }\n",
            m.modelId(), m.tier().wireName(), server.getAddress().getPort()));
      }
      Path poolFile = Files.writeString(dir.resolve("pool.conf"), pool.append("]\n"));

      Result r = run("live", "run", "--tasks", tasks.toString(), "--router", "always-high",
          "--pool", poolFile.toString(), "--sandbox", "local", "--out", dir.resolve("out").toString());

      assertEquals(2, r.code(), r.stderr());
      assertTrue(r.stderr().contains("1 task cannot be graded by this run"), r.stderr());
      assertTrue(r.stderr().contains(tasks + ":2 " + orphan.get("instance_id").asText()
          + ": no grading plan: SWE-bench has no test command for acme/widgets version 9.9"),
          r.stderr());
      assertEquals(0, calls.get(), "no model was called");
      assertFalse(Files.exists(dir.resolve("out/run.json")), "no run was started");
    } finally {
      server.stop(0);
    }
  }
}
