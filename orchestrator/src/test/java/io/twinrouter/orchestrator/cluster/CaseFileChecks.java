package io.twinrouter.orchestrator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the cluster tests read of a run folder's case files: each case's files as a single-node run
 * would have them, with what differs from run to run for reasons of time (timestamps, latencies,
 * test durations) or place (the run folder's path) taken out.
 */
final class CaseFileChecks {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Objects with their keys sorted: a map's order (the agent's environment) is not content. */
  private static final ObjectMapper SORTED = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  /** Fields that hold a moment or a duration. */
  private static final Set<String> TIMINGS = Set.of("timestamp", "started_at", "finished_at",
      "latency_ms", "router_decision_ms", "duration_ms", "started_at_ms", "elapsed_s",
      "created");

  private CaseFileChecks() {}

  /** Every case file of {@code ids} under {@code out}, by relative path, timings taken out. */
  static Map<String, String> caseFiles(Path out, String runId, List<String> ids) throws IOException {
    Map<String, String> files = new TreeMap<>();
    Path root = out.toAbsolutePath();
    for (String id : ids) {
      for (Path f : CaseOutputs.collect(root, runId, id)) {
        String rel = root.relativize(f).toString();
        String text = Files.readString(f, StandardCharsets.UTF_8).replace(root.toString(), "<out>");
        // pytest's "in 0.12s" and the like, in test logs and in the observations that show them
        files.put(rel, normalised(rel, text).replaceAll("\\d+(\\.\\d+)?s\\b", "<t>s"));
      }
    }
    return files;
  }

  private static String normalised(String path, String text) throws IOException {
    if (path.endsWith(".jsonl")) {
      StringBuilder rows = new StringBuilder();
      for (String line : text.split("\n")) {
        rows.append(line.isBlank() ? "" : canonical(JSON.readTree(line))).append('\n');
      }
      return rows.toString();
    }
    if (path.endsWith(".json")) {
      return canonical(JSON.readTree(text));
    }
    return text;
  }

  private static String canonical(JsonNode node) throws IOException {
    return SORTED.writeValueAsString(JSON.treeToValue(withoutTimings(node), Object.class));
  }

  private static JsonNode withoutTimings(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
        if (TIMINGS.contains(names.next())) {
          names.remove();
        }
      }
      o.forEach(CaseFileChecks::withoutTimings);
    } else if (node != null && node.isArray()) {
      node.forEach(CaseFileChecks::withoutTimings);
    }
    return node;
  }

  /** Whether a run folder holds a case's result yet. */
  static boolean hasResults(Path out) throws IOException {
    Path results = out.resolve("results");
    if (!Files.isDirectory(results)) {
      return false;
    }
    try (var files = Files.list(results)) {
      return files.anyMatch(f -> f.toString().endsWith(".json"));
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** Trace rows written so far for {@code ids} in a run folder. */
  static long tracedSteps(Path out, Set<String> ids) throws IOException {
    long n = 0;
    for (String id : ids) {
      Path trace = out.resolve(id + ".trace.jsonl");
      if (Files.isRegularFile(trace)) {
        n += Files.readAllLines(trace).size();
      }
    }
    return n;
  }

  /** Each case's priced trace rows, in order, as "step-index model-id". */
  static Map<String, List<String>> billedSteps(Path out, List<String> ids) throws IOException {
    Map<String, List<String>> byCase = new TreeMap<>();
    for (String id : ids) {
      List<String> steps = new ArrayList<>();
      for (String line : Files.readAllLines(out.resolve(id + ".trace.jsonl"))) {
        JsonNode row = JSON.readTree(line);
        if (!row.has("__marker__")) {
          steps.add(row.path("step_index").asInt() + " " + row.path("model_id").asText());
        }
      }
      byCase.put(id, steps);
    }
    return byCase;
  }
}
