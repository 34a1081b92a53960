package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.InputFormatException;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.ExecShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mini-swe-agent config read as mini reads it: {@code mini/house-swebench.yaml} is in the shape
 * of mini 2.2's swebench.yaml (its own wording); the expected texts are what Jinja2 3.1.6 rendered
 * from the same file and variables.
 */
class MiniConfigTest {
  @TempDir Path dir;

  private static Path house() throws Exception {
    return Path.of(MiniConfigTest.class.getResource("/mini/house-swebench.yaml").toURI());
  }

  private static ExecResult result(int rc, String out) {
    return new ExecResult(rc, out, "", Duration.ZERO, false);
  }

  @Test
  void rendersTheConfigsTemplatesAsMiniDoes() throws Exception {
    MiniConfig c = MiniConfig.load(house());
    Prompts p = c.prompts();
    assertEquals("You fix bugs on a " + MiniPrompts.uname().get("system")
        + " machine, one shell command at a time.", p.systemMessage());
    assertEquals("<pr_description>\nFix the widget.\n\n</pr_description>\n"
        + "Work in /testbed; each command gets 45 seconds.\nYou have 40 model calls.\n"
        + "PAGER,HOUSE_PROBE are set.\n"
        + "Finish with: echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git diff",
        p.instanceMessage("Fix the widget.\n"));
    assertEquals("[rc=0] after 2 call(s)\nok\n",
        p.observationMessage(result(0, "ok\n"), "", 10_000, 2, 0.01));
    assertEquals("[rc=1] after 2 call(s)\n" + "a".repeat(150) + "\n[... 100 characters cut ...]\n"
        + "b".repeat(150), p.observationMessage(result(1, "a".repeat(200) + "b".repeat(200)), "",
        10_000, 2, 0.01), "the template's own limit, not twinrouter's");
    assertEquals("[problem] killed after 45 s\n[rc=-1] after 2 call(s)\n",
        p.observationMessage(result(ExecResult.TIMED_OUT, ""), "killed after 45 s", 10_000, 2, 0));
    assertEquals("Not understood: No tool calls.\nCall the bash tool with {\"command\": \"...\"}.",
        p.toolCallError("No tool calls."));

    assertEquals(ExecShell.BASH_C, c.shell());
    assertEquals(Map.of("PAGER", "cat", "HOUSE_PROBE", "on"), c.env());
    assertEquals(ActionFormat.TOOL_CALLS, c.actionFormat());
    assertEquals(List.of("environment.environment_class", "model.model_name", "model.model_kwargs"),
        c.superseded());
  }

  @Test
  void theRunsSettingsTakeTheConfigsLimitsShellAndEnvironment() throws Exception {
    var root = MiniConfig.load(house()).applyTo(ConfigFactory.load());
    LiveTrackSettings limits = io.twinrouter.config.TwinrouterSettings.from(root).liveTrack();
    assertEquals(40, limits.stepLimit());
    assertEquals(1.5, limits.costLimitUsd());
    assertEquals(Duration.ofSeconds(45), limits.commandTimeout());
    AgentSettings agent = AgentSettings.from(root);
    assertEquals(ExecShell.BASH_C, agent.shell());
    assertEquals(Map.of("PAGER", "cat", "HOUSE_PROBE", "on"), agent.commandEnv(),
        "the config's environment replaces twinrouter's, as mini's has only its own");
    assertTrue(Prompts.of(agent) instanceof MiniPrompts);
    assertEquals(house().toAbsolutePath().toString(), agent.agentConfigFile());
  }

  @Test
  void absentSettingsTakeMinisDefaults() throws Exception {
    Path f = write("agent:\n  system_template: hello\n  instance_template: \"{{task}}\"\n");
    MiniConfig c = MiniConfig.load(f);
    assertEquals(ExecShell.BASH_LC, c.shell(), "mini's environments default to bash -lc");
    assertEquals(0, c.stepLimit());
    assertEquals(3.0, c.costLimitUsd());
    assertEquals(30, c.timeoutSec());
    assertEquals(Map.of(), c.env());
    assertEquals("hello", c.prompts().systemMessage());
    assertEquals(Templates.defaults().toolCallError("x"), c.prompts().toolCallError("x"),
        "a template the config leaves out is twinrouter's");
  }

  private Path write(String yaml) throws Exception {
    Path f = dir.resolve("agent-" + Math.abs(yaml.hashCode()) + ".yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private InputFormatException refused(String yaml) throws Exception {
    Path f = write(yaml);
    InputFormatException e = assertThrows(InputFormatException.class, () -> MiniConfig.load(f));
    assertEquals(f.toString(), e.source());
    return e;
  }

  private static final String TEMPLATES =
      "agent:\n  system_template: hi\n  instance_template: \"{{task}}\"\n";

  @Test
  void aBadConfigIsRefusedWithItsLineAndKey() throws Exception {
    InputFormatException unknown = refused(TEMPLATES + "  stepLimit: 3\n");
    assertEquals(4, unknown.line());
    assertEquals("agent.stepLimit", unknown.field());

    InputFormatException section = refused(TEMPLATES + "run:\n  env_startup_command: ls\n");
    assertEquals(4, section.line());
    assertEquals("run", section.field());

    InputFormatException syntax = refused("agent:\n  system_template: hi\n  instance_template: |\n"
        + "    first line\n    {{ task.strip() }}\n");
    assertEquals(5, syntax.line(), "the file's line of the template's second line");
    assertEquals("agent.instance_template", syntax.field());
    assertTrue(syntax.problem().contains("calls are not supported"), syntax.problem());

    InputFormatException undefined = refused(TEMPLATES + "model:\n  observation_template: |\n"
        + "    rc {{ output.returncode }}\n    {{ outptu.output }}\n");
    assertEquals(7, undefined.line());
    assertEquals("model.observation_template", undefined.field());
    assertEquals("'outptu' is undefined", undefined.problem());

    InputFormatException shell = refused(TEMPLATES + "environment:\n  interpreter: [sh, -c]\n");
    assertEquals(5, shell.line());
    assertTrue(shell.problem().contains("unsupported interpreter [sh, -c]"), shell.problem());

    assertEquals("agent.system_template",
        refused("agent:\n  instance_template: \"{{task}}\"\n").field());
    assertTrue(refused(TEMPLATES + "  step_limit: many\n").problem().contains("whole number"));
    assertEquals(3, refused("agent:\n  system_template: hi\n  - nope\n").line());
    assertTrue(refused(TEMPLATES + "environment:\n  cwd: /work\n").problem()
        .contains("run commands in /testbed"));
  }
}
