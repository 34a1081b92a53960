package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.orchestrator.live.LiveRunChecks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live run --agent-config FILE} on a bundled case (simulated pool, bwrap): a config in
 * mini-swe-agent's swebench.yaml shape, written here in this test's own words, decides what the
 * model is sent byte for byte, the step and cost limits, the command timeout, environment and
 * shell ({@code bash -c}), and score.json says which shell and file the run used and what the
 * grading sandbox had ({@code twinrouter.sandbox.grading}). A bad config
 * stops the run before it starts, naming the file, line and key.
 */
class AgentConfigLiveIT {
  static final String CASE = "twinrouter-suite__ledgerkit-101";
  static final String CONFIG = """
      agent:
        system_template: |
          Shell-only helper on {{ system }}; at most {{ step_limit }} calls.
        instance_template: |
          Here is the issue.
          <pr_description>
          {{task}}
          </pr_description>
          {%- if cost_limit > 1 %}
          Budget: {{ cost_limit }} USD.
          {%- endif %}
          When finished, print COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT first, then your git diff.
        step_limit: 30
        cost_limit: 2.5
      environment:
        cwd: /testbed
        timeout: 40
        interpreter: ["bash", "-c"]
        env:
          PAGER: cat
          CONFIG_PROBE: "yes"
        environment_class: docker
      model:
        observation_template: |
          {% if output.exception_info %}!! {{ output.exception_info }}
          {% endif -%}
          exit={{ output.returncode }} call={{ n_model_calls }}
          {{ output.output[:4000] }}
        format_error_template: "Unreadable call: {{ error }}"
        model_name: any/model
      """;

  @TempDir Path dir;

  private static String stderrOf(Runnable r) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      r.run();
    } finally {
      System.setErr(original);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theConfigDecidesWhatTheModelIsSentAndHowCommandsRun() throws Exception {
    Path config = Files.writeString(dir.resolve("house.yaml"), CONFIG);
    Path ids = LiveRunChecks.idsFile(dir, List.of(CASE));
    Path out = dir.resolve("run");
    int[] code = new int[1];
    // the grading sandbox's own settings, as a user sets them
    Map<String, String> grading = Map.of("twinrouter.sandbox.grading.limits.pids", "1024",
        "twinrouter.sandbox.grading.output-limit", "8MiB");
    grading.forEach(System::setProperty);
    ConfigFactory.invalidateCaches();
    String stderr;
    try {
      stderr = stderrOf(() -> code[0] = CliOutput.run("live", "run", "--agent-config",
          config.toString(), "--router", "always-high", "--sandbox", "local", "--workers", "1",
          "--instance-ids", ids.toString(), "--out", out.toString()).exitCode());
    } finally {
      grading.keySet().forEach(System::clearProperty);
      ConfigFactory.invalidateCaches();
    }
    assertEquals(0, code[0], stderr);

    TaskInstance task = TaskSuite.bundled(dir.resolve("suite")).stream()
        .filter(t -> t.instanceId().equals(CASE)).findFirst().orElseThrow();
    String system = Files.readString(Path.of("/proc/sys/kernel/ostype")).strip();
    JsonNode traj = LiveRunChecks.json(out.resolve(CASE).resolve(CASE + ".traj.json"));
    JsonNode messages = traj.path("messages");
    assertEquals("Shell-only helper on " + system + "; at most 30 calls.",
        messages.get(0).path("content").asText());
    assertEquals("Here is the issue.\n<pr_description>\n" + task.problemStatement()
        + "\n</pr_description>\nBudget: 2.5 USD.\n"
        + "When finished, print COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT first, then your git diff.",
        messages.get(1).path("content").asText(), "the rendered instance template, byte for byte");
    List<String> observations = new ArrayList<>();
    for (JsonNode m : messages) {
      if (m.path("role").asText().equals("tool")) {
        observations.add(m.path("content").asText());
      }
    }
    assertTrue(!observations.isEmpty(), messages.toString());
    for (String o : observations) {
      assertTrue(o.matches("(?s)exit=-?\\d+ call=\\d+\n.*"), o);
    }
    JsonNode env = traj.path("info").path("config").path("environment");
    assertEquals("[\"bash\",\"-c\"]", env.path("interpreter").toString());
    assertEquals(40, env.path("timeout").asInt());
    assertEquals("yes", env.path("env").path("CONFIG_PROBE").asText());

    JsonNode score = LiveRunChecks.json(out.resolve("score.json"));
    JsonNode graded = score.path("sandbox").path("grading");
    assertEquals("none", graded.path("network").asText(), score.path("sandbox").toString());
    assertEquals(1024, graded.path("pids").asInt());
    assertEquals(8 << 20, graded.path("output_limit_bytes").asInt());
    assertEquals(score.path("sandbox").path("memory_bytes").asLong(),
        graded.path("memory_bytes").asLong(), "unset: the agent sandbox's");
    JsonNode agent = score.path("agent");
    assertEquals("[\"bash\",\"-c\"]", agent.path("interpreter").toString(), agent.toString());
    assertEquals(config.toAbsolutePath().toString(), agent.path("agent_config_file").asText());
    assertEquals("[\"environment.environment_class\",\"model.model_name\"]",
        agent.path("superseded_keys").toString(), "what the run took from the file and did not use");
    assertEquals(30, agent.path("step_limit").asInt());
    assertEquals(2.5, agent.path("cost_limit_usd").asDouble());
    assertEquals(40.0, agent.path("command_timeout_s").asDouble());
  }

  @Test
  void aBadConfigStopsTheRunWithItsFileLineAndKey() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.yaml"),
        CONFIG.replace("  step_limit: 30\n", "  step_limit: 30\n  steps_max: 3\n"));
    Path out = dir.resolve("bad-run");
    int[] code = new int[1];
    String stderr = stderrOf(() -> code[0] = CliOutput.run("live", "run", "--agent-config",
        config.toString(), "--router", "always-high", "--sandbox", "local",
        "--out", out.toString()).exitCode());
    assertEquals(2, code[0], stderr);
    assertTrue(stderr.contains(config + " line 14, field agent.steps_max: unknown key"), stderr);
    assertTrue(!Files.exists(out.resolve("score.json")), "nothing ran");

    Path good = Files.writeString(dir.resolve("good.yaml"), CONFIG);
    int[] clustered = new int[1];
    String refused = stderrOf(() -> clustered[0] = CliOutput.run("live", "run", "--agent-config",
        good.toString(), "--cluster", "127.0.0.1:1",
        "--router", "always-high", "--out", out.toString()).exitCode());
    assertEquals(2, clustered[0], refused);
    assertTrue(refused.contains("--agent-config and --cluster"), refused);
  }
}
