package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.InputFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Verdicts of an official regrade, to score a run with: SWE-bench's per-instance {@code
 * report.json} files ({@code {id: {"resolved": bool, ...}}}, one file or a folder holding them,
 * such as {@code logs/run_evaluation/<run_id>/}), or a run report of the harness or of sb-cli
 * ({@code resolved_ids}, {@code unresolved_ids}, {@code completed_ids}).
 */
public final class SwebenchReports {
  private SwebenchReports() {}

  /** Instance id to resolved, from {@code path}. */
  public static Map<String, Boolean> read(Path path) {
    Map<String, Boolean> verdicts = new TreeMap<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.walk(path)) {
        for (Path f : files.filter(p -> p.getFileName().toString().equals("report.json"))
            .sorted().toList()) {
          verdicts.putAll(readFile(f));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
      if (verdicts.isEmpty()) {
        throw new InputFormatException(path.toString(), 0, null, "no report.json below it");
      }
      return verdicts;
    }
    return readFile(path);
  }

  private static Map<String, Boolean> readFile(Path f) {
    JsonNode root;
    try {
      root = RunOutputs.JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw new InputFormatException(f.toString(), 0, null, "not a readable JSON report: "
          + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InputFormatException(f.toString(), 0, null, "expected a JSON object");
    }
    Map<String, Boolean> verdicts = new TreeMap<>();
    if (root.has("resolved_ids")) {
      ids(f, root, "completed_ids").forEach(id -> verdicts.put(id, false));
      ids(f, root, "unresolved_ids").forEach(id -> verdicts.put(id, false));
      ids(f, root, "resolved_ids").forEach(id -> verdicts.put(id, true));
      return verdicts;
    }
    root.fields().forEachRemaining(e -> {
      JsonNode resolved = e.getValue().path("resolved");
      if (!resolved.isBoolean()) {
        throw new InputFormatException(f.toString(), 0, e.getKey() + ".resolved",
            "expected true or false in a per-instance report");
      }
      verdicts.put(e.getKey(), resolved.booleanValue());
    });
    return verdicts;
  }

  private static List<String> ids(Path f, JsonNode root, String field) {
    JsonNode a = root.get(field);
    if (a == null || a.isNull()) {
      return List.of();
    }
    if (!a.isArray()) {
      throw new InputFormatException(f.toString(), 0, field, "expected a list of instance ids");
    }
    List<String> out = new java.util.ArrayList<>();
    a.forEach(id -> out.add(id.asText()));
    return out;
  }
}
