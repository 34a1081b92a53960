package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.model.MessageContent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the task a conversation is about. The agent sends the task's problem statement verbatim
 * in a system or user message, as mini's instance template does inside {@code
 * <pr_description>...</pr_description>}: the text between those tags is looked up by hash; without
 * the tags, any system or user message containing a known problem statement (surrounding
 * whitespace ignored) matches.
 */
final class TaskIndex {
  private static final String OPEN = "<pr_description>";
  private static final String CLOSE = "</pr_description>";

  private final Map<String, TaskScript> byStatement = new HashMap<>();
  private final List<TaskScript> scripts;

  TaskIndex(List<SimTask> tasks) {
    this.scripts = tasks.stream().map(TaskScript::new).toList();
    for (TaskScript s : scripts) {
      byStatement.putIfAbsent(key(s.task().problemStatement()), s);
    }
  }

  int size() {
    return scripts.size();
  }

  Optional<TaskScript> find(List<JsonNode> messages) {
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      if (!role.equals("user") && !role.equals("system")) {
        continue;
      }
      String text = MessageContent.text(m.get("content"));
      int open = text.indexOf(OPEN);
      int close = open < 0 ? -1 : text.indexOf(CLOSE, open);
      if (close > open) {
        TaskScript hit = byStatement.get(key(text.substring(open + OPEN.length(), close)));
        if (hit != null) {
          return Optional.of(hit);
        }
      }
      for (TaskScript s : scripts) {
        if (text.contains(s.task().problemStatement().strip())) {
          return Optional.of(s);
        }
      }
    }
    return Optional.empty();
  }

  private static String key(String statement) {
    return Draw.hex(statement.strip(), 64);
  }
}
