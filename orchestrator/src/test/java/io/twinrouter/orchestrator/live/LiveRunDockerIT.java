package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.run.RunEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code live run} in process with Docker sandboxes and the simulated pool. */
class LiveRunDockerIT {
  static final List<String> CASES =
      List.of("twinrouter-suite__ledgerkit-101", "twinrouter-suite__tinyini-201");

  @TempDir Path dir;

  @BeforeAll
  static void needsDocker() {
    assumeTrue(DockerCheck.answers(), "no Docker engine answers");
  }

  @Test
  void runsPartOfTheBundledSuiteInContainers() throws Exception {
    Path out = dir.resolve("run");
    LiveRunOptions o = LiveRunOptions.of("bundled", "always-high", "docker", out)
        .withWorkers(2).withInstanceIds(LiveRunChecks.idsFile(dir, CASES));
    LiveRun.Outcome outcome = new LiveRun(o, TwinrouterSettings.load()).run(e -> {}, false);

    var resolved = LiveRunChecks.checkRun(out, CASES);
    assertEquals(CASES.size(), outcome.progress().done());
    assertTrue(resolved.containsValue(true), resolved.toString());
    assertEquals("", docker("ps", "-aq", "--filter", "label=twinrouter.run=" + outcome.runId()),
        "every container of the run is removed");
  }

  @Test
  void aContainerKilledMidCaseIsRestartedAndTheCaseFinishes() throws Exception {
    String id = CASES.get(0);
    String runId = "kill-" + System.nanoTime();
    Path out = dir.resolve("kill");
    Path trace = out.resolve(id + ".trace.jsonl");
    AtomicBoolean killed = new AtomicBoolean();
    List<RunEvent> events = new CopyOnWriteArrayList<>();
    Thread killer = new Thread(() -> killOnceAfterTwoSteps(runId, trace, killed), "killer");
    killer.setDaemon(true);
    killer.start();
    LiveRunOptions o = LiveRunOptions.of("bundled", "always-high", "docker", out)
        .withWorkers(1).withRunId(runId)
        .withInstanceIds(LiveRunChecks.idsFile(dir, List.of(id)))
        .withRestarts(3, java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(1));
    LiveRun.Outcome outcome = new LiveRun(o, TwinrouterSettings.load()).run(events::add, false);
    killer.interrupt();

    assertTrue(killed.get(), "the case's container was killed mid-case");
    assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.CaseRestarting), events.toString());
    assertEquals(0, outcome.progress().failed());
    assertTrue(outcome.infrastructureErrors().isEmpty());
    LiveRunChecks.checkRun(out, List.of(id));
    // the restarted attempt resumed from the journal: no step was billed twice
    List<Integer> steps = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(id + ".trace.jsonl"))) {
      var row = RunOutputs.JSON.readTree(line);
      if (!row.has("__marker__")) {
        steps.add(row.path("step_index").asInt());
      }
    }
    assertEquals(steps.stream().distinct().count(), steps.size(), "steps " + steps);
  }

  /** Kills the case's running container once its trace has two priced steps. */
  private static void killOnceAfterTwoSteps(String runId, Path trace, AtomicBoolean killed) {
    try {
      while (!killed.get()) {
        Thread.sleep(100);
        if (Files.isRegularFile(trace) && Files.readAllLines(trace).size() >= 2) {
          String container = docker("ps", "-q", "--filter", "label=twinrouter.run=" + runId);
          if (!container.isEmpty()) {
            docker("kill", container.lines().findFirst().orElseThrow());
            killed.set(true);
          }
        }
      }
    } catch (InterruptedException | IOException e) {
      // the run is over
    }
  }

  static String docker(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "docker";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
