package io.twinrouter.agent.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a graded case's files in SWE-bench's log-directory layout ({@code
 * logs/run_evaluation/<run_id>/<model>/<instance_id>/}): {@code patch.diff}, {@code eval.sh},
 * {@code test_output.txt}, {@code report.json}, plus {@code run_instance.log} holding the patch
 * application attempts.
 */
public final class GradingArtifacts {

  private GradingArtifacts() {}

  /** {@code <root>/<run_id>/<model with "/" as "__">/<instance_id>}, as SWE-bench names it. */
  public static Path caseDirectory(Path root, String runId, String model, String instanceId) {
    return root.resolve(runId).resolve(model.replace("/", "__")).resolve(instanceId);
  }

  public static void write(Path dir, GradingResult result, String modelPatch) throws IOException {
    Files.createDirectories(dir);
    write(dir.resolve("patch.diff"), modelPatch == null ? "" : modelPatch);
    StringBuilder log = new StringBuilder(result.applyLog());
    result.detail()
        .ifPresent(d -> log.append(result.outcome()).append(": ").append(d).append('\n'));
    write(dir.resolve("run_instance.log"), log.toString());
    if (result.evalScript().isPresent()) {
      write(dir.resolve("eval.sh"), result.evalScript().get());
    }
    if (result.testOutput().isPresent()) {
      write(dir.resolve("test_output.txt"), result.testOutput().get());
    }
    write(dir.resolve("report.json"), result.reportJson());
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
