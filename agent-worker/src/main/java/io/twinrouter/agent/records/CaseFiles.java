package io.twinrouter.agent.records;

import java.nio.file.Path;

/**
 * Where one case's files go under the run's output directory (live-track spec 4.6): {@code
 * <out>/<id>.trace.jsonl}, {@code <out>/<id>.mini_traj.json} (the reference's name for mini's
 * {@code <id>.traj.json}) and {@code <out>/results/<id>.json}.
 */
public record CaseFiles(Path outputDir, String instanceId) {

  public CaseFiles {
    outputDir = outputDir.toAbsolutePath().normalize();
  }

  public Path trace() {
    return outputDir.resolve(instanceId + ".trace.jsonl");
  }

  public Path trajectory() {
    return outputDir.resolve(instanceId + ".mini_traj.json");
  }

  public Path result() {
    return outputDir.resolve("results").resolve(instanceId + ".json");
  }
}
