package io.twinrouter.agent.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.common.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What grading needs from a SWE-bench task row. Official rows (SWE-bench Verified's JSON or
 * JSONL export) carry FAIL_TO_PASS / PASS_TO_PASS as JSON-encoded strings; our own rows may give
 * them as arrays, and may name their own {@code test_cmd} and {@code log_parser}.
 *
 * @param testCmd run as given in the repository instead of SWE-bench's command; null for rows
 *     that use SWE-bench's per-repository command
 * @param logParser one of {@link LogParsers#names()}; null for the repository's parser
 * @param evalScript the row's own eval script (SWE-bench v5 rows carry it), run as given; null
 *     for a script written from the specs or the row's {@code test_cmd}
 */
public record SwebenchTask(
    String instanceId,
    String repo,
    String version,
    String baseCommit,
    String patch,
    String testPatch,
    List<String> failToPass,
    List<String> passToPass,
    String testCmd,
    String logParser,
    String evalScript) {

  private static final ObjectMapper JSON = Json.MAPPER;

  public SwebenchTask {
    failToPass = List.copyOf(failToPass);
    passToPass = List.copyOf(passToPass);
  }

  /** A row without an eval script of its own. */
  public SwebenchTask(String instanceId, String repo, String version, String baseCommit,
      String patch, String testPatch, List<String> failToPass, List<String> passToPass,
      String testCmd, String logParser) {
    this(instanceId, repo, version, baseCommit, patch, testPatch, failToPass, passToPass, testCmd,
        logParser, null);
  }

  /**
   * Reads one dataset row.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static SwebenchTask fromJson(JsonNode row) {
    String id = text(row, "instance_id", true, "?");
    String parser = text(row, "log_parser", false, id);
    if (parser != null && LogParsers.find(parser).isEmpty()) {
      throw new IllegalArgumentException(
          id + ": unknown log_parser '" + parser + "'; known: "
              + String.join(", ", LogParsers.names()));
    }
    return new SwebenchTask(
        id,
        text(row, "repo", true, id),
        text(row, "version", false, id),
        text(row, "base_commit", true, id),
        text(row, "patch", false, id),
        text(row, "test_patch", true, id),
        testList(row, "FAIL_TO_PASS", id),
        testList(row, "PASS_TO_PASS", id),
        text(row, "test_cmd", false, id),
        parser,
        text(row, "eval_script", false, id));
  }

  private static String text(JsonNode row, String field, boolean required, String id) {
    JsonNode v = row.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException(id + ": missing field '" + field + "'");
      }
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw new IllegalArgumentException(id + ": field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static List<String> testList(JsonNode row, String field, String id) {
    JsonNode v = row.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (v.isTextual()) {
      try {
        v = JSON.readTree(v.asText());
      } catch (Exception e) {
        throw new IllegalArgumentException(
            id + ": field '" + field + "' is a string but not a JSON list of test names", e);
      }
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(id + ": field '" + field + "' must be a list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode t : v) {
      if (!t.isTextual()) {
        throw new IllegalArgumentException(id + ": field '" + field + "' holds a non-string");
      }
      out.add(t.asText());
    }
    return out;
  }
}
