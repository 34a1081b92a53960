package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.tasks.TaskSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tasks validate} with bwrap sandboxes: the bundled suite, and a task that is broken. */
class TasksValidateIT {

  @Test
  void everyBundledTaskValidates() {
    CliOutput out = CliOutput.run("tasks", "validate", "bundled", "--sandbox", "local");
    List<String> lines = out.stdout().lines().toList();
    assertEquals(0, out.exitCode(), out.stdout());
    assertEquals(14, lines.size(), out.stdout());
    assertTrue(lines.subList(0, 13).stream().allMatch(l -> l.startsWith("ok   twinrouter-suite__")));
    assertEquals("13/13 tasks valid", lines.get(13));
  }

  @Test
  void aTaskWhoseGoldPatchDoesNotFixItFailsValidation(@TempDir Path dir) throws Exception {
    TaskSuite.bundled(dir);
    ObjectMapper json = new ObjectMapper();
    List<String> rows = Files.readAllLines(dir.resolve(TaskSuite.BUNDLED_TASK_FILE));
    ObjectNode broken = (ObjectNode) json.readTree(rows.get(0));
    ObjectNode other = (ObjectNode) json.readTree(rows.get(2)); // another task of the same project
    broken.put("patch", other.get("patch").asText());
    Path file = dir.resolve("broken.jsonl");
    Files.writeString(file, json.writeValueAsString(broken) + "\n");

    CliOutput out = CliOutput.run("tasks", "validate", file.toString(), "--sandbox", "local");
    assertEquals(1, out.exitCode(), out.stdout());
    assertTrue(out.stdout().startsWith("FAIL " + broken.get("instance_id").asText()
        + ": the gold patch does not resolve"), out.stdout());
    assertTrue(out.stdout().contains("0/1 tasks valid"), out.stdout());
  }

  @Test
  void aTaskWhoseTestRunnerIsMissingHereIsNamedAnEnvironmentFault(@TempDir Path dir)
      throws Exception {
    TaskSuite.bundled(dir);
    ObjectMapper json = new ObjectMapper();
    ObjectNode row = (ObjectNode) json.readTree(
        Files.readAllLines(dir.resolve(TaskSuite.BUNDLED_TASK_FILE)).get(0));
    // python3 -S leaves out site-packages, where pytest lives: a host without the test runner
    row.put("test_cmd", row.get("test_cmd").asText().replace("python3 -m", "python3 -S -m"));
    Path file = dir.resolve("norunner.jsonl");
    Files.writeString(file, json.writeValueAsString(row) + "\n");

    CliOutput out = CliOutput.run("tasks", "validate", file.toString(), "--sandbox", "local");
    assertEquals(1, out.exitCode(), out.stdout());
    assertTrue(out.stdout().startsWith("INFRA " + row.get("instance_id").asText()
        + ": " + row.get("instance_id").asText() + ": the tests did not run: the test runner"
        + " 'pytest' is not installed (No module named pytest)"), out.stdout());
    assertTrue(out.stdout().contains("0/1 tasks valid; 1 not checked"), out.stdout());
  }
}
