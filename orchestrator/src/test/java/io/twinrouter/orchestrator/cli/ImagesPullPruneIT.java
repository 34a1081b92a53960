package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.sandbox.SandboxSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code images pull} and {@code images prune --tasks FILE} on the real engine, with an instance
 * image built here (a tag of the base image) under SWE-bench's local name: nothing is pulled from
 * a registry.
 */
class ImagesPullPruneIT {

  private static int docker(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }

  /** The command's lines about images (the test JVM's engine client logs to stdout as well). */
  private static List<String> verdicts(CliOutput out) {
    return out.stdout().lines()
        .filter(l -> l.matches("(present|pulled |FAILED |removed) .*")).toList();
  }

  @Test
  void pullFindsTheLocallyNamedImageAndPruneRemovesIt(@TempDir Path dir) throws Exception {
    TaskSuite.bundled(dir);
    ObjectMapper json = new ObjectMapper();
    ObjectNode row = (ObjectNode) json.readTree(
        Files.readAllLines(dir.resolve(TaskSuite.BUNDLED_TASK_FILE)).get(0));
    row.remove("repo_source");
    row.put("instance_id", "acme__widgets-" + ProcessHandle.current().pid());
    Path tasks = Files.writeString(dir.resolve("official.jsonl"), json.writeValueAsString(row) + "\n");
    // SWE-bench's name of a locally built image: no namespace, the id's "__" kept
    String local = "sweb.eval.arm64." + row.get("instance_id").asText() + ":latest";
    assertEquals(0, docker("tag", SandboxSettings.load().baseImage(), local));
    try {
      CliOutput pull = CliOutput.run("images", "pull", "--tasks", tasks.toString(),
          "--image-namespace", "", "--arch", "arm64");
      assertEquals(0, pull.exitCode(), pull.stdout());
      assertEquals(List.of("present " + local), verdicts(pull));

      CliOutput prune = CliOutput.run("images", "prune", "--tasks", tasks.toString(),
          "--image-namespace", "", "--arch", "arm64");
      assertEquals(0, prune.exitCode(), prune.stdout());
      assertEquals(List.of("removed " + local), verdicts(prune));
      assertNotEquals(0, docker("image", "inspect", local), "the image is gone");
      assertEquals(0, docker("image", "inspect", SandboxSettings.load().baseImage()),
          "the base image it was tagged from stays");
    } finally {
      docker("rmi", local);
    }
  }
}
