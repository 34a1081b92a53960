package io.twinrouter.scoring.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Reads the finished cases of a run directory in the reference layout: {@code results/<id>.json}
 * and, for each, its trace ({@code trace_path}, else {@code <run dir>/<id>.trace.jsonl}). The API
 * cost and step count come from the trace's priced step rows, as the reference scorer takes them.
 */
public final class RunDirectory {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  private RunDirectory() {}

  /** A file of the run directory is missing or malformed; the message names it and the line. */
  public static final class RunDirException extends RuntimeException {
    RunDirException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The cost of a trace's step row as it was billed: its {@code step_cost_usd}. */
  public static final ToDoubleFunction<JsonNode> RECORDED_COST =
      row -> row.get("step_cost_usd").asDouble();

  public static List<CaseOutcome> read(Path runDir) {
    return read(runDir, RECORDED_COST);
  }

  /**
   * The finished cases with each step row's cost given by {@code stepCost} ({@link
   * #RECORDED_COST}, or a repricing of the row's raw usage).
   */
  public static List<CaseOutcome> read(Path runDir, ToDoubleFunction<JsonNode> stepCost) {
    List<CaseOutcome> out = new ArrayList<>();
    for (Path f : resultFiles(runDir)) {
      out.add(readCase(runDir, f, stepCost));
    }
    return out;
  }

  /** {@code results/*.json}, sorted; none when the folder is missing. */
  static List<Path> resultFiles(Path runDir) {
    Path results = runDir.resolve("results");
    if (!Files.isDirectory(results)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(results)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CaseOutcome readCase(Path runDir, Path resultFile, ToDoubleFunction<JsonNode> stepCost) {
    JsonNode r = result(resultFile);
    String id = text(r, "instance_id", resultFile);
    TraceTotals totals = sumTrace(traceOf(runDir, resultFile, r), stepCost);
    Map<String, Integer> dist = new LinkedHashMap<>();
    JsonNode d = r.get("model_distribution");
    if (d != null && d.isObject()) {
      d.fields().forEachRemaining(e -> dist.put(e.getKey(), e.getValue().asInt()));
    }
    return new CaseOutcome(
        id,
        r.path("resolved").asBoolean(false),
        totals.steps,
        totals.cost,
        dist,
        r.path("patch_applied").asBoolean(false),
        nullableText(r, "agent_error"),
        nullableText(r, "eval_error"));
  }

  static JsonNode result(Path resultFile) {
    try {
      return MAPPER.readTree(resultFile.toFile());
    } catch (IOException e) {
      throw new RunDirException(resultFile + ": not a JSON result file: " + e.getMessage(), e);
    }
  }

  /** The trace of a result: its {@code trace_path}, else {@code <run dir>/<id>.trace.jsonl}. */
  static Path traceOf(Path runDir, Path resultFile, JsonNode r) {
    String id = text(r, "instance_id", resultFile);
    Path trace =
        r.hasNonNull("trace_path")
            ? Path.of(r.get("trace_path").asText())
            : runDir.resolve(id + ".trace.jsonl");
    if (!Files.isRegularFile(trace)) {
      Path fallback = runDir.resolve(id + ".trace.jsonl");
      if (!Files.isRegularFile(fallback)) {
        throw new RunDirException(resultFile + ": trace not found: " + trace, null);
      }
      trace = fallback;
    }
    return trace;
  }

  private record TraceTotals(int steps, double cost) {}

  private static TraceTotals sumTrace(Path trace, ToDoubleFunction<JsonNode> stepCost) {
    int[] steps = {0};
    double[] cost = {0};
    forEachStepRow(trace, row -> {
      steps[0]++;
      cost[0] += stepCost.applyAsDouble(row);
    });
    return new TraceTotals(steps[0], cost[0]);
  }

  /**
   * Calls {@code action} with each priced step row of a trace, in order (marker rows skipped);
   * a line that is not JSON or a step row without a numeric {@code step_cost_usd} is a {@link
   * RunDirException} naming the file and line.
   */
  public static void forEachStepRow(Path trace, Consumer<JsonNode> action) {
    forEachRow(trace, action, null);
  }

  /**
   * Calls {@code summary} with each {@code loop_summary} row and {@code step} with each priced
   * step row, in order; other marker rows are skipped.
   */
  public static void forEachRow(Path trace, Consumer<JsonNode> step, Consumer<JsonNode> summary) {
    int lineNo = 0;
    try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          throw new RunDirException(
              trace + ":" + lineNo + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (row.has("__marker__")) {
          if (summary != null && "loop_summary".equals(row.get("__marker__").asText())) {
            summary.accept(row);
          }
          continue;
        }
        JsonNode c = row.get("step_cost_usd");
        if (c == null || !c.isNumber()) {
          throw new RunDirException(trace + ":" + lineNo + ": step row without step_cost_usd", null);
        }
        try {
          step.accept(row);
        } catch (RunDirException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new RunDirException(trace + ":" + lineNo + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode r, String field, Path file) {
    JsonNode v = r.get(field);
    if (v == null || !v.isTextual()) {
      throw new RunDirException(file + ": field '" + field + "' missing or not a string", null);
    }
    return v.asText();
  }

  private static String nullableText(JsonNode r, String field) {
    JsonNode v = r.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
