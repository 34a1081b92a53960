package io.twinrouter.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads task files in the SWE-bench instance format (JSON array or JSON Lines): the official
 * dataset exported to a file, or a suite whose rows carry {@code repo_source}, {@code test_cmd}
 * and {@code log_parser}. The bundled suite ships in this jar and is extracted on request.
 */
public final class TaskSuite {
  /** What users type instead of a file to get the suite shipped in the jar. */
  public static final String BUNDLED = "bundled";

  /** Name of the bundled suite's task file, inside the folder {@link #bundled} extracts to. */
  public static final String BUNDLED_TASK_FILE = "tasks.jsonl";

  private static final String BUNDLED_RESOURCES = "/io/twinrouter/tasks/bundled/";

  private TaskSuite() {}

  /**
   * Reads and validates every row of a task file, in file order. {@code repo_source} is resolved
   * against the folder of the task file and must exist.
   *
   * @throws TaskSuiteException naming file, line and field of the first problem
   */
  public static List<TaskInstance> load(Path taskFile) {
    List<TaskInstance> tasks = new ArrayList<>();
    Map<String, String> firstSeen = new HashMap<>();
    for (TaskRows.Row row : TaskRows.read(taskFile)) {
      TaskInstance task = TaskRowParser.parse(row.fields(), taskFile, row.line());
      String earlier = firstSeen.putIfAbsent(task.instanceId(), task.location());
      if (earlier != null) {
        throw new TaskSuiteException(
            task.location() + ": instance_id '" + task.instanceId() + "' repeats " + earlier);
      }
      tasks.add(task);
    }
    return List.copyOf(tasks);
  }

  /**
   * Extracts the bundled suite (its task file and git bundles) into {@code extractTo}, replacing
   * files of an earlier extraction, and loads it.
   */
  public static List<TaskInstance> bundled(Path extractTo) {
    Path taskFile = extractTo.resolve(BUNDLED_TASK_FILE);
    extract(BUNDLED_TASK_FILE, taskFile);
    for (String source : bundledRepoSources(taskFile)) {
      extract(source, extractTo.resolve(source));
    }
    return load(taskFile);
  }

  /** {@link #bundled} for {@value #BUNDLED}, otherwise {@link #load} of the named file. */
  public static List<TaskInstance> open(String fileOrBundled, Path extractTo) {
    return BUNDLED.equals(fileOrBundled) ? bundled(extractTo) : load(Path.of(fileOrBundled));
  }

  /**
   * The tasks whose ids are in {@code ids}, in suite order.
   *
   * @throws TaskSuiteException listing every id that is not in the suite
   */
  public static List<TaskInstance> select(List<TaskInstance> tasks, Set<String> ids) {
    Set<String> known = new LinkedHashSet<>();
    tasks.forEach(task -> known.add(task.instanceId()));
    List<String> unknown = ids.stream().filter(id -> !known.contains(id)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new TaskSuiteException(
          "instance ids not in the suite of "
              + tasks.size()
              + " tasks: "
              + String.join(", ", unknown));
    }
    return tasks.stream().filter(task -> ids.contains(task.instanceId())).toList();
  }

  /**
   * Reads an {@code --instance-ids} file: one id per line; blank lines and lines starting with
   * {@code #} are skipped.
   */
  public static Set<String> readInstanceIds(Path idFile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(idFile);
    } catch (NoSuchFileException e) {
      throw new TaskSuiteException(idFile + ": no such instance id file");
    } catch (IOException e) {
      throw new TaskSuiteException(idFile + ": cannot read the instance ids: " + e.getMessage(), e);
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String line : lines) {
      String id = line.strip();
      if (!id.isEmpty() && !id.startsWith("#")) {
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      throw new TaskSuiteException(idFile + ": no instance ids in the file");
    }
    return ids;
  }

  private static Set<String> bundledRepoSources(Path taskFile) {
    Set<String> sources = new LinkedHashSet<>();
    for (TaskRows.Row row : TaskRows.read(taskFile)) {
      JsonNode source = row.fields().get("repo_source");
      if (source != null && source.isTextual()) {
        String path = source.textValue();
        // the bundled suite is ours: its sources are plain relative paths inside the resource folder
        if (path.startsWith("/") || path.contains("..") || path.contains("\\")) {
          throw new IllegalStateException("bundled task file has repo_source " + path);
        }
        sources.add(path);
      }
    }
    return sources;
  }

  private static void extract(String resource, Path target) {
    try (InputStream in = TaskSuite.class.getResourceAsStream(BUNDLED_RESOURCES + resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no bundled resource " + resource);
      }
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled suite to " + target, e);
    }
  }
}
