package io.twinrouter.agent.grading;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads task rows from a dataset export: a JSON array of rows (or one row), or JSON Lines (one
 * row a line; blank lines allowed), e.g. SWE-bench Verified's {@code test} split.
 */
public final class SwebenchTasks {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SwebenchTasks() {}

  /** @throws IllegalArgumentException naming the file, and for JSON Lines the line, at fault */
  public static List<SwebenchTask> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String start = text.stripLeading();
    List<SwebenchTask> tasks = new ArrayList<>();
    if (start.startsWith("[")) {
      JsonNode rows = parse(text, file + "");
      int i = 0;
      for (JsonNode row : rows) {
        tasks.add(task(row, file + ": row " + i++));
      }
      return tasks;
    }
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      if (!lines[n].isBlank()) {
        String where = file + ":" + (n + 1);
        tasks.add(task(parse(lines[n], where), where));
      }
    }
    return tasks;
  }

  private static JsonNode parse(String text, String where) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static SwebenchTask task(JsonNode row, String where) {
    if (!row.isObject()) {
      throw new IllegalArgumentException(where + ": a task row must be a JSON object");
    }
    try {
      return SwebenchTask.fromJson(row);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
