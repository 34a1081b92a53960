package io.twinrouter.agent.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.tasks.TaskRows;
import io.twinrouter.common.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads tasks in SWE-bench instance format: a JSON array or JSONL of objects with {@code
 * instance_id}, {@code problem_statement}, {@code patch}, {@code test_patch}, {@code FAIL_TO_PASS}
 * and {@code PASS_TO_PASS} (JSON-encoded string lists, or plain lists), and optionally {@code
 * repo}, {@code test_cmd} and {@code difficulty}. Errors name the file, the line or row, and the
 * field.
 */
public final class SimTaskLoader {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Pattern DIFF_HEADER = Pattern.compile("^diff --git a/\\S+ b/(\\S+)", Pattern.MULTILINE);
  private static final Set<String> NON_TEST_EXTENSIONS =
      Set.of(".json", ".png", "csv", ".txt", ".md", ".jpg", ".jpeg", ".pkl", ".yml", ".yaml", ".toml");
  private static final String DJANGO_TEST_CMD =
      "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1";
  private static final String PYTEST_CMD = "pytest -rA";

  private SimTaskLoader() {}

  public static List<SimTask> load(Path file) throws IOException {
    List<SimTask> out = new ArrayList<>();
    for (TaskRows.Row row : TaskRows.read(file)) {
      out.add(fromJson(row.fields(), file + ":" + row.line()));
    }
    Set<String> seen = new LinkedHashSet<>();
    for (SimTask t : out) {
      if (!seen.add(t.instanceId())) {
        throw new IllegalArgumentException(file + ": duplicate instance_id " + t.instanceId());
      }
    }
    return out;
  }

  private static JsonNode parse(String text, String where) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static SimTask fromJson(JsonNode row, String where) {
    if (!row.isObject()) {
      throw new IllegalArgumentException(where + ": a task must be a JSON object");
    }
    String id = required(row, "instance_id", where);
    String patch = required(row, "patch", where);
    String testPatch = row.path("test_patch").asText("");
    String repo = row.path("repo").asText(repoFromId(id));
    String testCmd =
        row.hasNonNull("test_cmd")
            ? row.get("test_cmd").asText()
            : repo.startsWith("django/") ? DJANGO_TEST_CMD : PYTEST_CMD;
    Difficulty difficulty;
    try {
      difficulty =
          row.hasNonNull("difficulty")
              ? Difficulty.fromName(row.get("difficulty").asText())
              : Difficulty.fromPatch(patch);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": field difficulty: " + e.getMessage());
    }
    return new SimTask(
        id,
        repo,
        required(row, "problem_statement", where),
        patch,
        testPatch,
        stringList(row, "FAIL_TO_PASS", where),
        stringList(row, "PASS_TO_PASS", where),
        testCmd,
        directives(testPatch, repo.startsWith("django/")),
        difficulty);
  }

  private static String required(JsonNode row, String field, String where) {
    JsonNode n = row.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": field " + field + " must be a non-empty string");
    }
    return n.asText();
  }

  /** A JSON-encoded list of strings (SWE-bench's form) or a plain JSON list; absent is empty. */
  private static List<String> stringList(JsonNode row, String field, String where) {
    JsonNode n = row.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (n.isTextual()) {
      n = parse(n.asText(), where + ": field " + field);
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(where + ": field " + field + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.asText()));
    return out;
  }

  private static String repoFromId(String id) {
    int sep = id.indexOf("__");
    if (sep < 0) {
      return "";
    }
    String rest = id.substring(sep + 2);
    int dash = rest.lastIndexOf('-');
    return id.substring(0, sep) + "/" + (dash < 0 ? rest : rest.substring(0, dash));
  }

  /** Test files of the test patch, as SWE-bench passes them to the test command. */
  static List<String> directives(String testPatch, boolean django) {
    List<String> out = new ArrayList<>();
    Matcher m = DIFF_HEADER.matcher(testPatch);
    while (m.find()) {
      String path = m.group(1);
      String lower = path.toLowerCase(Locale.ROOT);
      if (NON_TEST_EXTENSIONS.stream().anyMatch(lower::endsWith)) {
        continue;
      }
      if (django) {
        if (path.endsWith(".py")) {
          path = path.substring(0, path.length() - 3);
        }
        if (path.startsWith("tests/")) {
          path = path.substring("tests/".length());
        }
        path = path.replace('/', '.');
      }
      if (!out.contains(path)) {
        out.add(path);
      }
    }
    return out;
  }
}
