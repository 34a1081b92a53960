package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal mini-style conversation for tests: the instance prompt wraps the problem statement in
 * pr_description, every bash call gets a returncode-0 observation, a bad call gets a format-error
 * user message. It executes nothing.
 */
public final class SimConversation {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final List<ObjectNode> messages = new ArrayList<>();
  private final List<String> commands = new ArrayList<>();
  private boolean submitted;

  public SimConversation(String problemStatement) {
    messages.add(F.objectNode().put("role", "system").put("content",
        "You are a helpful assistant that can interact with a computer shell to solve programming tasks."));
    messages.add(F.objectNode().put("role", "user").put("content",
        "<pr_description>\nConsider the following PR description:\n" + problemStatement
            + "\n</pr_description>\n\nPlease make changes to non-test files in /testbed."));
  }

  public static Path tinyTasks() {
    try {
      return Path.of(SimConversation.class.getResource("tiny-tasks.jsonl").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<SimTask> loadTiny() {
    try {
      return SimTaskLoader.load(tinyTasks());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode bashTool() {
    ObjectNode tool = F.objectNode().put("type", "function");
    ObjectNode fn = tool.putObject("function").put("name", "bash").put("description", "Execute a bash command");
    ObjectNode params = fn.putObject("parameters").put("type", "object");
    params.putObject("properties").putObject("command").put("type", "string");
    params.putArray("required").add("command");
    return tool;
  }

  public List<ObjectNode> messages() {
    return messages;
  }

  public List<JsonNode> messagesAsJson() {
    return new ArrayList<>(messages);
  }

  /** Every well-formed command the models issued, in order. */
  public List<String> commands() {
    return commands;
  }

  public boolean submitted() {
    return submitted;
  }

  /** Appends the assistant message and the observation or format error it leads to. */
  public void accept(ObjectNode assistant) {
    messages.add(assistant);
    JsonNode calls = assistant.path("tool_calls");
    if (!calls.isArray() || calls.isEmpty()) {
      messages.add(F.objectNode().put("role", "user").put("content",
          "Tool call error:\n<error>\nNo tool calls found in the response.\n</error>"));
      return;
    }
    for (JsonNode call : calls) {
      String command;
      try {
        command = JSON.readTree(call.path("function").path("arguments").asText()).path("command").asText(null);
      } catch (IOException e) {
        command = null;
      }
      if (command == null) {
        messages.add(F.objectNode().put("role", "user").put("content",
            "Tool call error:\n<error>\nError parsing tool call arguments.\n</error>"));
        return;
      }
      commands.add(command);
      if (command.startsWith("echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT")) {
        submitted = true;
        return;
      }
      messages.add(F.objectNode().put("role", "tool").put("tool_call_id", call.path("id").asText())
          .put("content", "<returncode>0</returncode>\n<output>\nok\n</output>"));
    }
  }
}
