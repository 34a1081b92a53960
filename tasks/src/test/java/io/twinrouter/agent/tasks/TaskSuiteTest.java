package io.twinrouter.agent.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSuiteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHA = "8d712992072fd49e1086c272ae57a5d7697e6fbe";

  @TempDir Path dir;

  /** A complete row as the official dataset has it (no twinrouter extras). */
  private static Map<String, Object> officialRow(String id) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("repo", "acme/widgets");
    row.put("instance_id", id);
    row.put("base_commit", SHA);
    row.put("patch", "diff --git a/w.py b/w.py\n");
    row.put("test_patch", "diff --git a/tests/test_w.py b/tests/test_w.py\n");
    row.put("problem_statement", "Widgets break\n\nThey do.\n");
    row.put("hints_text", "");
    row.put("created_at", "2023-02-06T21:30:49Z");
    row.put("version", "0.3");
    row.put("FAIL_TO_PASS", "[\"tests/test_w.py::test_a\", \"tests/test_w.py::test_b\"]");
    row.put("PASS_TO_PASS", "[]");
    row.put("environment_setup_commit", SHA);
    return row;
  }

  private Path jsonLines(List<Map<String, Object>> rows) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> row : rows) {
      text.append(JSON.writeValueAsString(row)).append('\n');
    }
    Path file = dir.resolve("tasks.jsonl");
    Files.writeString(file, text);
    return file;
  }

  private TaskSuiteException loadFails(Path file) {
    return assertThrows(TaskSuiteException.class, () -> TaskSuite.load(file));
  }

  @Test
  void readsOurRowsAndResolvesRepoSourceAgainstTheTaskFile() throws IOException {
    Files.createDirectories(dir.resolve("repos"));
    Files.writeString(dir.resolve("repos/widgets.bundle"), "bundle bytes");
    Map<String, Object> row = officialRow("acme__widgets-1");
    row.put("difficulty", "hard");
    row.put("repo_source", "repos/widgets.bundle");
    row.put("test_cmd", "python3 -m pytest -rA tests/test_w.py");
    row.put("log_parser", "pytest");

    TaskInstance task = TaskSuite.load(jsonLines(List.of(row))).get(0);

    assertEquals("acme__widgets-1", task.instanceId());
    assertEquals(List.of("tests/test_w.py::test_a", "tests/test_w.py::test_b"), task.failToPass());
    assertEquals(row.get("FAIL_TO_PASS"), task.failToPassJson());
    assertEquals(List.of(), task.passToPass());
    assertEquals(Optional.of(Difficulty.HARD), task.difficulty());
    assertEquals(Optional.of(dir.resolve("repos/widgets.bundle").toAbsolutePath()), task.repoSource());
    assertEquals(Optional.of("pytest"), task.logParser());
    assertEquals(dir.resolve("tasks.jsonl") + ":1", task.location());
  }

  @Test
  void readsTheOfficialDatasetExportedAsJsonArray() throws IOException {
    Map<String, Object> second = officialRow("acme__widgets-2");
    second.put("version", 3.0);
    second.put("difficulty", "15 min - 1 hour");
    Path file = dir.resolve("verified.json");
    Files.writeString(
        file,
        JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(List.of(officialRow("acme__widgets-1"), second)));

    List<TaskInstance> tasks = TaskSuite.load(file);

    assertEquals(List.of("acme__widgets-1", "acme__widgets-2"), tasks.stream().map(TaskInstance::instanceId).toList());
    TaskInstance task = tasks.get(1);
    assertEquals("3.0", task.version());
    assertEquals(Optional.of(Difficulty.MEDIUM), task.difficulty());
    assertEquals(Optional.empty(), task.repoSource());
    assertEquals(Optional.empty(), task.testCmd());
    assertEquals(Optional.empty(), tasks.get(0).difficulty());
  }

  @Test
  void badJsonNamesTheLine() throws IOException {
    Path file = jsonLines(List.of(officialRow("a-1")));
    Files.writeString(file, Files.readString(file) + "\n{\"repo\": \"acme/widgets\",\n");

    TaskSuiteException error = loadFails(file);

    assertTrue(error.getMessage().startsWith(file + ":3: not valid JSON:"), error.getMessage());
  }

  @Test
  void twoObjectsOnOneLineOrARepeatedKeyAreErrors() throws IOException {
    String row = JSON.writeValueAsString(officialRow("a-1"));
    Path file = dir.resolve("tasks.jsonl");
    Files.writeString(file, row + " " + row + "\n");
    assertTrue(loadFails(file).getMessage().startsWith(file + ":1: not valid JSON: Trailing token"));

    Files.writeString(file, row.replace("{", "{\"repo\": \"x/y\", "));
    assertTrue(loadFails(file).getMessage().startsWith(file + ":1: not valid JSON: Duplicate field 'repo'"));
  }

  @Test
  void aRowThatIsNotAnObjectNamesTheLine() throws IOException {
    Path file = jsonLines(List.of(officialRow("a-1")));
    Files.writeString(file, Files.readString(file) + "[\"a-2\"]\n");

    assertEquals(file + ":2: expected a JSON object (one task per line), got an array", loadFails(file).getMessage());
  }

  @Test
  void badElementOfAJsonArrayNamesItsLine() throws IOException {
    Path file = dir.resolve("tasks.json");
    Files.writeString(file, "[\n" + JSON.writeValueAsString(officialRow("a-1")) + ",\n\n\"oops\"\n]\n");

    assertEquals(file + ":4: expected a JSON object for each task, got a string", loadFails(file).getMessage());
  }

  @Test
  void missingFieldNamesLineAndField() throws IOException {
    Map<String, Object> broken = officialRow("a-2");
    broken.remove("base_commit");

    TaskSuiteException error = loadFails(jsonLines(List.of(officialRow("a-1"), broken)));

    assertEquals(dir.resolve("tasks.jsonl") + ":2: field 'base_commit' is missing", error.getMessage());
  }

  @Test
  void aRowInSweSmithsFormIsRefusedNamingWhatItLacks() throws IOException {
    Map<String, Object> smith = new LinkedHashMap<>();
    smith.put("instance_id", "acme__widgets.1a2b3c4d.func_pm_op_swap__x1");
    smith.put("repo", "acme__widgets.1a2b3c4d");
    smith.put("patch", "diff --git a/w.py b/w.py\n");
    smith.put("FAIL_TO_PASS", List.of("tests/test_w.py::test_a"));
    smith.put("PASS_TO_PASS", List.of("tests/test_w.py::test_b"));
    smith.put("image_name", "jyangballin/swesmith.x86_64.acme_1776_widgets.1a2b3c4d");
    smith.put("problem_statement", "Widgets swap their order.");

    TaskSuiteException error = loadFails(jsonLines(List.of(officialRow("a-1"), smith)));

    assertTrue(error.getMessage().startsWith(dir.resolve("tasks.jsonl")
        + ":2: fields base_commit, test_patch, version are missing: the row has SWE-smith's form"),
        error.getMessage());
  }

  @Test
  void failToPassMustBeAJsonEncodedList() throws IOException {
    Map<String, Object> row = officialRow("a-1");
    row.put("FAIL_TO_PASS", "tests/test_w.py::test_a");

    String message = loadFails(jsonLines(List.of(row))).getMessage();

    assertTrue(
        message.startsWith(dir.resolve("tasks.jsonl") + ":1: field 'FAIL_TO_PASS' must be a JSON-encoded list of test ids"),
        message);
    assertTrue(message.endsWith("got \"tests/test_w.py::test_a\""), message);
  }

  @Test
  void passToPassMustListStrings() throws IOException {
    Map<String, Object> row = officialRow("a-1");
    row.put("PASS_TO_PASS", "[\"ok\", 3]");

    assertEquals(
        dir.resolve("tasks.jsonl") + ":1: field 'PASS_TO_PASS' must list test ids as strings, found a number",
        loadFails(jsonLines(List.of(row))).getMessage());
  }

  @Test
  void aPlainJsonArrayOfTestIdsIsEncodedAsTheOfficialFilesDo() throws IOException {
    Map<String, Object> row = officialRow("a-1");
    row.put("PASS_TO_PASS", List.of("tests/t.py::test_x[caf\u00e9]", "tests/t.py::test_\"q\""));

    TaskInstance task = TaskSuite.load(jsonLines(List.of(row))).get(0);

    assertEquals(List.of("tests/t.py::test_x[caf\u00e9]", "tests/t.py::test_\"q\""), task.passToPass());
    assertEquals("[\"tests/t.py::test_x[caf\\u00e9]\", \"tests/t.py::test_\\\"q\\\"\"]", task.passToPassJson());
  }

  @Test
  void fieldsOfTheWrongShapeAreNamed() throws IOException {
    Map<String, Object> row = officialRow("a-1");
    row.put("base_commit", "8d71299");
    assertEquals(
        dir.resolve("tasks.jsonl") + ":1: field 'base_commit' must be a full 40-character commit sha, got \"8d71299\"",
        loadFails(jsonLines(List.of(row))).getMessage());

    row = officialRow("a-1");
    row.put("repo", 7);
    assertEquals(
        dir.resolve("tasks.jsonl") + ":1: field 'repo' must be a string, got a number",
        loadFails(jsonLines(List.of(row))).getMessage());

    row = officialRow("a-1");
    row.put("created_at", "yesterday");
    assertTrue(loadFails(jsonLines(List.of(row))).getMessage().contains("field 'created_at' must be an ISO 8601 timestamp"));

    row = officialRow("a-1");
    row.put("difficulty", "trivial");
    assertTrue(loadFails(jsonLines(List.of(row))).getMessage().contains("field 'difficulty' must be easy, medium or hard"));
  }

  @Test
  void repoSourceMustExist() throws IOException {
    Map<String, Object> row = officialRow("a-1");
    row.put("repo_source", "repos/missing.bundle");

    String message = loadFails(jsonLines(List.of(row))).getMessage();

    assertTrue(message.startsWith(dir.resolve("tasks.jsonl") + ":1: field 'repo_source' \"repos/missing.bundle\" does not exist"), message);
  }

  @Test
  void repeatedInstanceIdNamesBothLines() throws IOException {
    Path file = jsonLines(List.of(officialRow("a-1"), officialRow("a-2"), officialRow("a-1")));

    assertEquals(file + ":3: instance_id 'a-1' repeats " + file + ":1", loadFails(file).getMessage());
  }

  @Test
  void emptyAndMissingFiles() throws IOException {
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "\n\n");
    assertEquals(empty + ": no tasks in the file", loadFails(empty).getMessage());
    Path missing = dir.resolve("missing.jsonl");
    assertEquals(missing + ": no such task file", loadFails(missing).getMessage());
    Path latin1 = dir.resolve("latin1.jsonl");
    Files.write(latin1, new byte[] {'{', '"', (byte) 0xe9, '"', '}', '\n'});
    assertEquals(latin1 + ": not UTF-8 text", loadFails(latin1).getMessage());
  }

  @Test
  void selectKeepsSuiteOrderAndNamesUnknownIds() throws IOException {
    List<TaskInstance> tasks =
        TaskSuite.load(jsonLines(List.of(officialRow("a-1"), officialRow("a-2"), officialRow("a-3"))));

    List<TaskInstance> chosen = TaskSuite.select(tasks, Set.of("a-3", "a-1"));
    assertEquals(List.of("a-1", "a-3"), chosen.stream().map(TaskInstance::instanceId).toList());

    TaskSuiteException error =
        assertThrows(TaskSuiteException.class, () -> TaskSuite.select(tasks, Set.of("a-1", "zz-9", "b-7")));
    assertEquals("instance ids not in the suite of 3 tasks: b-7, zz-9", error.getMessage());
  }

  @Test
  void readsAnInstanceIdFile() throws IOException {
    Path ids = dir.resolve("ids.txt");
    Files.writeString(ids, "# chosen\na-2\n\n  a-1  \na-2\n");

    assertEquals(List.of("a-2", "a-1"), List.copyOf(TaskSuite.readInstanceIds(ids)));

    Files.writeString(ids, "# nothing\n");
    assertEquals(ids + ": no instance ids in the file",
        assertThrows(TaskSuiteException.class, () -> TaskSuite.readInstanceIds(ids)).getMessage());
  }

  @Test
  void bundledSuiteIsExtractedAndLoads() {
    List<TaskInstance> tasks = TaskSuite.open(TaskSuite.BUNDLED, dir.resolve("suite"));

    assertTrue(tasks.size() >= 12, "tasks: " + tasks.size());
    Set<String> repos = tasks.stream().map(TaskInstance::repo).collect(Collectors.toSet());
    assertTrue(repos.size() >= 3, "repos: " + repos);
    assertEquals(
        Set.of(Difficulty.values()),
        tasks.stream().map(task -> task.difficulty().orElseThrow()).collect(Collectors.toSet()));
    for (TaskInstance task : tasks) {
      Path source = task.repoSource().orElseThrow();
      assertTrue(source.startsWith(dir.resolve("suite").toAbsolutePath()), source.toString());
      assertTrue(Files.isRegularFile(source), source.toString());
      assertTrue(task.instanceId().startsWith(task.repo().replace("/", "__") + "-"), task.instanceId());
      assertEquals(Optional.of("pytest"), task.logParser());
      assertTrue(task.testCmd().orElseThrow().startsWith("python3 -m pytest -rA"), task.instanceId());
      assertTrue(!task.failToPass().isEmpty() && !task.passToPass().isEmpty(), task.instanceId());
    }
    // a second extraction into the same folder replaces the files
    assertEquals(tasks, TaskSuite.bundled(dir.resolve("suite")));
  }

  @Test
  void rowsOfOtherSetsBringTheirImageAndInstallConfig() throws IOException {
    Map<String, Object> gym = officialRow("acme__widgets-2");
    gym.put("image_name", "example/sweb.eval.acme_widgets-2:v1");
    gym.put("install_config", Map.of(
        "test_cmd", List.of("source /opt/venv/bin/activate", "pytest -rA"),
        "log_parser", "parse_log_pytest", "python", "3.11"));
    Map<String, Object> v5 = officialRow("acme__widgets-3");
    v5.put("image", "registry.example/acme/widgets:3");
    v5.put("test_cmd", "pytest -x");
    v5.put("install_config", Map.of("test_cmd", "ignored: the row's own wins"));

    List<TaskInstance> tasks = TaskSuite.load(jsonLines(List.of(gym, v5)));

    assertEquals(Optional.of("example/sweb.eval.acme_widgets-2:v1"), tasks.get(0).image());
    assertEquals(Optional.of("source /opt/venv/bin/activate && pytest -rA"), tasks.get(0).testCmd());
    assertEquals(Optional.of("parse_log_pytest"), tasks.get(0).logParser());
    assertEquals(Optional.of("registry.example/acme/widgets:3"), tasks.get(1).image());
    assertEquals(Optional.of("pytest -x"), tasks.get(1).testCmd());
    assertEquals(Optional.empty(), TaskSuite.load(jsonLines(List.of(officialRow("a__b-1"))))
        .get(0).image());
    Map<String, Object> noEnvCommit = officialRow("acme__widgets-5");
    noEnvCommit.remove("environment_setup_commit");
    assertEquals("", TaskSuite.load(jsonLines(List.of(noEnvCommit))).get(0).environmentSetupCommit());
  }

  @Test
  void aMalformedInstallConfigIsNamed() throws IOException {
    Map<String, Object> row = officialRow("acme__widgets-4");
    row.put("install_config", Map.of("test_cmd", 7));
    assertTrue(loadFails(jsonLines(List.of(row))).getMessage()
        .endsWith(":1: field 'install_config.test_cmd' must be a command or a list of commands,"
            + " got a number"));
    row.put("install_config", Map.of("log_parser", "Pytest!"));
    assertTrue(loadFails(jsonLines(List.of(row))).getMessage()
        .contains("field 'install_config.log_parser' must consist of"));
  }
}
