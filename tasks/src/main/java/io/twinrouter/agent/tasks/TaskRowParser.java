package io.twinrouter.agent.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.json.PyJson;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns one row of a task file into a {@link TaskInstance}, naming file, line and field on error. */
final class TaskRowParser {
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]+/[A-Za-z0-9._-]+");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern PARSER_NAME = Pattern.compile("[a-z0-9_-]+");
  private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]*",
      Pattern.CASE_INSENSITIVE);
  private static final int QUOTED_VALUE_LIMIT = 60;

  private final ObjectNode row;
  private final Path taskDirectory;
  private final String location;

  private TaskRowParser(ObjectNode row, Path taskFile, int line) {
    this.row = row;
    this.taskDirectory = taskFile.toAbsolutePath().getParent();
    this.location = taskFile + ":" + line;
  }

  static TaskInstance parse(ObjectNode row, Path taskFile, int line) {
    return new TaskRowParser(row, taskFile, line).instance();
  }

  private TaskInstance instance() {
    refuseSweSmithForm();
    String instanceId = matching("instance_id", INSTANCE_ID, "letters, digits, '.', '_' and '-'");
    TestIds failToPass = testIds("FAIL_TO_PASS");
    TestIds passToPass = testIds("PASS_TO_PASS");
    return new TaskInstance(
        instanceId,
        matching("repo", REPO, "the form owner/name"),
        commit("base_commit"),
        nonBlank("patch"),
        nonBlank("test_patch"),
        nonBlank("problem_statement"),
        optionalText("hints_text").orElse(""),
        timestamp("created_at"),
        version(),
        failToPass.ids(),
        passToPass.ids(),
        failToPass.json(),
        passToPass.json(),
        // only needed to build an environment image: rows of sets that bring theirs may lack it
        row.hasNonNull("environment_setup_commit") ? commit("environment_setup_commit") : "",
        difficulty(),
        repoSource(),
        testCmd(),
        logParser(),
        image(),
        optionalText("eval_script").map(value -> nonBlank("eval_script", value)),
        location);
  }

  private static final String INSTALL_CONFIG = "install_config";

  /** {@code test_cmd}, else the install config's (SWE-Gym and SWE-rebench-style rows). */
  private Optional<String> testCmd() {
    Optional<String> own = optionalText("test_cmd").map(value -> nonBlank("test_cmd", value));
    if (own.isPresent()) {
      return own;
    }
    JsonNode cmd = installConfig().map(c -> c.get("test_cmd")).orElse(null);
    if (cmd == null || cmd.isNull()) {
      return Optional.empty();
    }
    String field = INSTALL_CONFIG + ".test_cmd";
    if (cmd.isTextual()) {
      return Optional.of(nonBlank(field, cmd.textValue()));
    }
    if (cmd.isArray() && !cmd.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode part : cmd) {
        if (!part.isTextual() || part.textValue().isBlank()) {
          throw error(field, "must list commands as non-empty strings, found " + kind(part));
        }
        parts.add(part.textValue());
      }
      return Optional.of(String.join(" && ", parts));
    }
    throw error(field, "must be a command or a list of commands, got " + kind(cmd));
  }

  private Optional<String> logParser() {
    Optional<String> own = optionalText("log_parser");
    String field = "log_parser";
    if (own.isEmpty()) {
      JsonNode p = installConfig().map(c -> c.get("log_parser")).orElse(null);
      field = INSTALL_CONFIG + ".log_parser";
      if (p != null && !p.isNull() && !p.isTextual()) {
        throw error(field, "must be a string, got " + kind(p));
      }
      own = p == null || p.isNull() ? Optional.empty() : Optional.of(p.textValue());
    }
    String f = field;
    return own.map(value -> matching(f, value, PARSER_NAME, "a-z, 0-9, '_' and '-'"));
  }

  private Optional<ObjectNode> installConfig() {
    JsonNode c = row.get(INSTALL_CONFIG);
    if (c == null || c.isNull()) {
      return Optional.empty();
    }
    if (!(c instanceof ObjectNode o)) {
      throw error(INSTALL_CONFIG, "must be an object, got " + kind(c));
    }
    return Optional.of(o);
  }

  /** The row's own image, under the first of the names datasets give it. */
  private Optional<String> image() {
    for (String field : List.of("image", "image_name", "docker_image")) {
      Optional<String> name = optionalText(field);
      if (name.isPresent()) {
        return Optional.of(matching(field, name.get(), IMAGE, "an image reference such as"
            + " owner/name:tag"));
      }
    }
    return Optional.empty();
  }

  /**
   * SWE-smith distributes rows without a base commit, test patch or version: the bug is a branch
   * of a per-repository image and the test command lives in SWE-smith's repository profiles, none
   * of which the row says. One refusal names every field such a row lacks, instead of the first.
   */
  private void refuseSweSmithForm() {
    List<String> missing = List.of("base_commit", "test_patch", "version").stream()
        .filter(f -> !row.hasNonNull(f)).toList();
    if (row.hasNonNull("image_name") && missing.size() == 3) {
      throw new TaskSuiteException(location + ": fields " + String.join(", ", missing)
          + " are missing: the row has SWE-smith's form (its bug is a branch of a per-repository"
          + " image, its test command in SWE-smith's profiles), which twinrouter cannot grade;"
          + " give the row those fields and an install_config with test_cmd and log_parser");
    }
  }

  private TaskSuiteException error(String field, String problem) {
    return new TaskSuiteException(location + ": field '" + field + "' " + problem);
  }

  private String text(String field) {
    JsonNode node = row.get(field);
    if (node == null || node.isNull()) {
      throw error(field, "is missing");
    }
    if (!node.isTextual()) {
      throw error(field, "must be a string, got " + kind(node));
    }
    return node.textValue();
  }

  private Optional<String> optionalText(String field) {
    JsonNode node = row.get(field);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(text(field));
  }

  private String nonBlank(String field) {
    return nonBlank(field, text(field));
  }

  private String nonBlank(String field, String value) {
    if (value.isBlank()) {
      throw error(field, "is empty");
    }
    return value;
  }

  private String matching(String field, Pattern pattern, String expected) {
    return matching(field, text(field), pattern, expected);
  }

  private String matching(String field, String value, Pattern pattern, String expected) {
    if (!pattern.matcher(value).matches()) {
      throw error(field, "must consist of " + expected + ", got " + quoted(value));
    }
    return value;
  }

  private String commit(String field) {
    String value = text(field);
    if (!COMMIT.matcher(value).matches()) {
      throw error(field, "must be a full 40-character commit sha, got " + quoted(value));
    }
    return value;
  }

  private String timestamp(String field) {
    String value = text(field);
    try {
      OffsetDateTime.parse(value);
    } catch (DateTimeParseException offsetMissing) {
      try {
        LocalDateTime.parse(value.replace(' ', 'T'));
      } catch (DateTimeParseException e) {
        throw error(field, "must be an ISO 8601 timestamp such as 2025-02-14T16:03:27Z, got " + quoted(value));
      }
    }
    return value;
  }

  /** Official exports sometimes carry the version as a JSON number; its text is taken as is. */
  private String version() {
    JsonNode node = row.get("version");
    if (node != null && node.isNumber()) {
      return node.asText();
    }
    return nonBlank("version");
  }

  private Optional<Difficulty> difficulty() {
    return optionalText("difficulty")
        .map(
            label ->
                Difficulty.fromLabel(label)
                    .orElseThrow(
                        () ->
                            error(
                                "difficulty",
                                "must be easy, medium or hard (or a SWE-bench Verified label such as"
                                    + " \"15 min - 1 hour\"), got "
                                    + quoted(label))));
  }

  private Optional<Path> repoSource() {
    return optionalText("repo_source").map(this::resolveRepoSource);
  }

  private Path resolveRepoSource(String value) {
    Path path;
    try {
      path = taskDirectory.resolve(nonBlank("repo_source", value)).normalize();
    } catch (InvalidPathException e) {
      throw error("repo_source", "is not a valid path: " + quoted(value));
    }
    if (!Files.exists(path)) {
      throw error("repo_source", quoted(value) + " does not exist (looked for " + path + ")");
    }
    return path;
  }

  private record TestIds(List<String> ids, String json) {}

  /**
   * The official files hold these lists as JSON-encoded strings; a plain JSON array is accepted
   * too, and re-encoded the way the official files write it.
   */
  private TestIds testIds(String field) {
    JsonNode node = row.get(field);
    if (node == null || node.isNull()) {
      throw error(field, "is missing");
    }
    if (node.isArray()) {
      List<String> ids = ids(field, node);
      return new TestIds(ids, encode(ids));
    }
    if (!node.isTextual()) {
      throw error(field, "must be a JSON-encoded list of test ids, got " + kind(node));
    }
    JsonNode decoded;
    try {
      decoded = TaskRows.JSON.readTree(node.textValue());
    } catch (JsonProcessingException e) {
      decoded = null;
    }
    if (decoded == null || !decoded.isArray()) {
      throw error(
          field,
          "must be a JSON-encoded list of test ids such as \"[\\\"tests/test_x.py::test_a\\\"]\", got "
              + quoted(node.textValue()));
    }
    return new TestIds(ids(field, decoded), node.textValue());
  }

  private List<String> ids(String field, JsonNode array) {
    List<String> ids = new ArrayList<>();
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        throw error(field, "must list test ids as strings, found " + kind(element));
      }
      ids.add(element.textValue());
    }
    return ids;
  }

  /** As Python's json.dumps writes a list of strings: ", " between items, non-ASCII escaped. */
  static String encode(List<String> ids) {
    return PyJson.dumpsValue(ids, null);
  }

  private static String quoted(String value) {
    String shown = value.length() > QUOTED_VALUE_LIMIT ? value.substring(0, QUOTED_VALUE_LIMIT) + "..." : value;
    return "\"" + shown.replace("\n", "\\n") + "\"";
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
