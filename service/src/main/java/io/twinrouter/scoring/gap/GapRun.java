package io.twinrouter.scoring.gap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.common.Json;
import io.twinrouter.scoring.live.CaseOutcome;
import io.twinrouter.scoring.live.RunDirectory;
import io.twinrouter.scoring.live.RunIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One live run directory as the gap report sees it: one router. The label and the router's
 * name come from {@code run.json} (written by {@code live run}), else {@code score.json}, else the
 * directory's name; the cases come from {@link RunDirectory}.
 *
 * @param router the router the run was made with ({@code run.json}'s {@code router}), when known
 */
public record GapRun(String label, Path dir, Optional<String> router, RunIdentity identity,
    List<CaseOutcome> cases) {

  private static final ObjectMapper MAPPER = Json.MAPPER;

  /** Reads a run directory; a missing directory or a malformed file is an {@link IllegalArgumentException}. */
  public static GapRun read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": run directory not found");
    }
    JsonNode run = readIfPresent(dir.resolve("run.json"));
    JsonNode score = readIfPresent(dir.resolve("score.json"));
    String label = firstText("router_label", run, score).orElse(dir.getFileName().toString());
    Optional<String> router = firstText("router", run);
    // pricing identity as the run's own score.json recorded it: runs priced differently are not comparable
    RunIdentity identity = new RunIdentity(label, dir.toString(),
        firstText("pool_fingerprint", score).orElse("unknown"),
        score == null ? 0 : score.path("pricing_schema_version").asInt(0),
        firstText("high_baseline_model_id", score).orElse(""));
    List<CaseOutcome> cases;
    try {
      cases = RunDirectory.read(dir);
    } catch (RunDirectory.RunDirException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return new GapRun(label, dir, router, identity, cases);
  }

  private static JsonNode readIfPresent(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not JSON: " + e.getMessage(), e);
    }
  }

  private static Optional<String> firstText(String field, JsonNode... nodes) {
    for (JsonNode n : nodes) {
      if (n != null && n.path(field).isTextual() && !n.path(field).asText().isBlank()) {
        return Optional.of(n.path(field).asText());
      }
    }
    return Optional.empty();
  }
}
