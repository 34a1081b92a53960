package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.casework.SandboxCases;
import io.twinrouter.agent.casework.SwebenchPatchGrader;
import io.twinrouter.agent.grading.Grader;
import io.twinrouter.agent.grading.GradingLayout;
import io.twinrouter.agent.grading.GradingResult;
import io.twinrouter.agent.grading.LogParsers;
import io.twinrouter.agent.grading.RepoSpec;
import io.twinrouter.agent.grading.RepoSpecs;
import io.twinrouter.agent.grading.TestPlan;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.sandbox.RepoSource;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.docker.DockerSandboxProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row without {@code repo_source}, run from an image in SWE-bench's layout that this test
 * builds (no registry): {@code /testbed} at the base commit, {@code /opt/miniconda3/bin/activate}
 * and a {@code testbed} environment whose {@code pytest} exists only once it is activated, named
 * by SWE-bench's rule for a local image. Validated, run, graded, and graded again.
 */
class OfficialImageDockerIT {
  static final String ID = "twinrouter-suite__ledgerkit-101";
  static final String IMAGE = "sweb.eval.x86_64." + ID + ":latest";

  @TempDir Path dir;

  @BeforeAll
  static void needsDocker() {
    assumeTrue(DockerCheck.answers(), "no Docker engine answers");
  }

  @Test
  void aRowWithoutRepoSourceRunsFromAnOfficialLayoutImageEndToEnd() throws Exception {
    Path suite = dir.resolve("suite");
    TaskInstance bundled = TaskSuite.bundled(suite).stream()
        .filter(t -> t.instanceId().equals(ID)).findFirst().orElseThrow();
    TwinrouterSettings settings = TwinrouterSettings.from(ConfigFactory.parseMap(
        Map.of("twinrouter.sandbox.image-namespace", "")).withFallback(ConfigFactory.load()));
    SandboxSettings sandbox = SandboxSettings.from(settings.raw()).withBackend("docker");
    buildOfficialImage(sandbox, bundled.repoSource().orElseThrow(), bundled.baseCommit());

    ObjectMapper json = new ObjectMapper();
    ObjectNode row = (ObjectNode) json.readTree(Files.readAllLines(
        suite.resolve(TaskSuite.BUNDLED_TASK_FILE)).stream().filter(l -> l.contains(ID))
        .findFirst().orElseThrow());
    row.remove(List.of("repo_source", "test_cmd", "log_parser"));
    Path taskFile = Files.writeString(dir.resolve("official.jsonl"),
        json.writeValueAsString(row) + "\n");
    // what --specs FILE adds: SWE-bench has no spec for this repository
    RepoSpecs.add(Map.of(bundled.repo(), Map.of(bundled.version(),
        new RepoSpec(List.of(), null, "pytest -rA -p no:cacheprovider", LogParsers.PYTEST))));
    TaskInstance official = TaskSuite.load(taskFile).get(0);
    assertTrue(official.repoSource().isEmpty());
    TaskCatalog catalog = new TaskCatalog(List.of(official), "official-" + ProcessHandle.current().pid(),
        sandbox, Map.of(), io.twinrouter.sandbox.ExecShell.BASH_C);
    assertEquals(IMAGE, catalog.gradingSpec(ID).image(), "SWE-bench's local name keeps '__'");

    try (DockerSandboxProvider docker = DockerSandboxProvider.connect(sandbox)) {
      TaskValidator.Verdict v = new TaskValidator(docker, catalog, Duration.ofMinutes(5)).validate(ID);
      assertTrue(v.valid(), v.toString());
    }

    Path out = dir.resolve("run");
    LiveRunOptions o = LiveRunOptions.of(taskFile.toString(), "always-high", "docker", out)
        .withWorkers(1);
    LiveRun.Outcome outcome = new LiveRun(o, settings).run(e -> {}, false);
    assertTrue(outcome.infrastructureErrors().isEmpty(), outcome.infrastructureErrors().toString());
    JsonNode result = LiveRunChecks.json(out.resolve("results/" + ID + ".json"));
    assertTrue(result.hasNonNull("eval_report_path"), result.toString());
    String log = Files.readString(Path.of(result.get("eval_report_path").asText())
        .resolveSibling("test_output.txt"));
    assertTrue(log.contains("+ conda activate testbed"), log);

    // graded again, in a fresh sandbox of the same image: the same verdict
    GradingResult again;
    try (DockerSandboxProvider docker = DockerSandboxProvider.connect(sandbox);
        SwebenchPatchGrader.Workspace w = SandboxCases.grading(docker, catalog::gradingSpec)
            .open(catalog.caseTask(ID))) {
      again = new Grader(GradingLayout.SWEBENCH, Duration.ofMinutes(5)).grade(w.shell(),
          TestPlan.of(catalog.swebenchTask(ID), w.repoDirectory()), result.get("patch").asText());
    }
    assertEquals(result.get("resolved").asBoolean(), again.resolved(), again.detail().toString());
  }

  /**
   * The task image of the repository, plus a miniconda-like activate script: {@code conda
   * activate testbed} puts the environment's bin first on PATH, where alone {@code pytest} is.
   */
  private void buildOfficialImage(SandboxSettings sandbox, Path bundle, String commit)
      throws Exception {
    String from;
    try (DockerSandboxProvider docker = DockerSandboxProvider.connect(sandbox)) {
      from = docker.taskImage(sandbox.baseImage(), new RepoSource(bundle, commit));
    }
    Path ctx = Files.createDirectories(dir.resolve("image"));
    Files.writeString(ctx.resolve("activate"), """
        conda() {
          if [ "$1" = activate ]; then
            export CONDA_DEFAULT_ENV="$2" PATH="/opt/miniconda3/envs/$2/bin:$PATH"
          fi
        }
        """);
    Files.writeString(ctx.resolve("pytest"), "#!/bin/sh\nexec python3 -m pytest \"$@\"\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + from + "\n"
        + "COPY activate /opt/miniconda3/bin/activate\n"
        + "COPY pytest /opt/miniconda3/envs/testbed/bin/pytest\n"
        + "RUN chmod +x /opt/miniconda3/envs/testbed/bin/pytest\n"
        + "WORKDIR /testbed\n");
    ProcessBuilder pb = new ProcessBuilder("docker", "build", "--network", "none", "-q",
        "-t", IMAGE, ctx.toString()).redirectErrorStream(true);
    pb.environment().put("DOCKER_BUILDKIT", "0");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), output);
  }
}
