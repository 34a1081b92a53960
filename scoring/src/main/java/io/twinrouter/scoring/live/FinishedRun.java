package io.twinrouter.scoring.live;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A finished run as its directory records it: the run id and router label ({@code run.json}) and
 * its {@code score.json}, served as written, so an old run reads the same over HTTP as on disk.
 */
public record FinishedRun(String runId, String routerLabel, String runDir, ObjectNode score) {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /**
   * Reads {@code dir}.
   *
   * @throws RunDirectory.RunDirException when score.json is missing or malformed, naming the file
   */
  public static FinishedRun read(Path dir) {
    Path scoreFile = dir.resolve("score.json");
    if (!Files.isRegularFile(scoreFile)) {
      throw new RunDirectory.RunDirException(scoreFile + ": no score.json: the run is not finished"
          + " (rerun 'live run' with the same --out, or 'live score " + dir + "')", null);
    }
    JsonNode score = readObject(scoreFile);
    Path runFile = dir.resolve("run.json");
    JsonNode run = Files.isRegularFile(runFile) ? readObject(runFile) : JSON.createObjectNode();
    String runId = run.path("run_id").asText(score.path("run_id").asText(""));
    if (runId.isEmpty()) {
      runId = dir.toAbsolutePath().normalize().getFileName().toString();
    }
    String label = run.path("router_label").asText(score.path("router_label").asText(""));
    return new FinishedRun(runId, label, dir.toAbsolutePath().normalize().toString(),
        (ObjectNode) score);
  }

  private static JsonNode readObject(Path file) {
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new RunDirectory.RunDirException(file + ": not a JSON object", null);
      }
      return node;
    } catch (IOException e) {
      throw new RunDirectory.RunDirException(file + ": not JSON: " + e.getMessage(), e);
    }
  }
}
