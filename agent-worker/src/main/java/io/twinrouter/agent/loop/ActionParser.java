package io.twinrouter.agent.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.common.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an assistant message into actions by mini's rules (live-track spec 2.1.3 and 7.2).
 * Tool-call mode: at least one tool call, each named {@code bash} with JSON-object arguments
 * holding {@code command}; any violation is one format error naming every problem. Text mode:
 * exactly one fenced {@code ```mswea_bash_command} block, the fence of mini 2.2.8's text mode
 * (mini 1.x used {@code ```bash}).
 */
public final class ActionParser {

  /** The single tool of the mini scaffold. */
  // Ordered maps, in mini's key order: Map.of iterates in an order salted per JVM, which would
  // send the same tool schema as different bytes (and a different token count) in every process.
  public static final Map<String, Object> BASH_TOOL = ordered(
      "type", "function",
      "function", ordered(
          "name", "bash",
          "description", "Execute a bash command",
          "parameters", ordered(
              "type", "object",
              "properties", ordered("command", ordered(
                  "type", "string", "description", "The bash command to execute")),
              "required", List.of("command"))));

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  private static final Pattern TEXT_ACTION =
      Pattern.compile("```mswea_bash_command\\s*\\n(.*?)\\n```", Pattern.DOTALL);
  private static final ObjectMapper JSON = Json.MAPPER;

  private final ActionFormat format;
  private final Prompts prompts;

  public ActionParser(ActionFormat format, Prompts prompts) {
    this.format = format;
    this.prompts = prompts;
  }

  public ActionFormat format() {
    return format;
  }

  public ParsedActions parse(ModelTurn turn) {
    return format == ActionFormat.TEXT
        ? parseText(AssistantMessage.content(turn))
        : parseToolCalls(AssistantMessage.toolCalls(turn));
  }

  ParsedActions parseToolCalls(List<Map<String, Object>> toolCalls) {
    if (toolCalls.isEmpty()) {
      return formatError("No tool calls found in the response; every response must call the"
          + " bash tool at least once.");
    }
    // As mini: the first bad call stops parsing, and its problems are reported together.
    List<Action> actions = new ArrayList<>();
    for (Map<String, Object> call : toolCalls) {
      Object fn = call.get("function");
      Map<?, ?> function = fn instanceof Map<?, ?> m ? m : Map.of();
      Object name = function.get("name");
      Object rawArgs = function.get("arguments");
      String args = rawArgs == null ? "" : rawArgs instanceof String s ? s : toJson(rawArgs);
      StringBuilder errors = new StringBuilder();
      JsonNode node = null;
      try {
        node = JSON.readTree(args);
      } catch (JsonProcessingException e) {
        errors.append("The tool call arguments are not valid JSON (")
            .append(e.getOriginalMessage()).append("). ");
      }
      if (!"bash".equals(name)) {
        errors.append("Unknown tool '").append(name).append("'; the only tool is 'bash'. ");
      }
      if (node == null || !node.isObject() || !node.has("command")) {
        errors.append("The bash tool call has no 'command' argument.");
      }
      if (errors.length() > 0) {
        return formatError(errors.toString().trim());
      }
      JsonNode c = node.get("command");
      Object id = call.get("id");
      actions.add(new Action(c.isTextual() ? c.asText() : c.toString(),
          id == null ? null : id.toString(), args));
    }
    return new ParsedActions.Commands(actions);
  }

  ParsedActions parseText(String content) {
    Matcher m = TEXT_ACTION.matcher(content);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1).strip());
    }
    if (found.size() != 1) {
      return new ParsedActions.FormatError(prompts.textFormatError(found),
          Map.of("n_actions", found.size(), "model_response", content));
    }
    return new ParsedActions.Commands(List.of(new Action(found.get(0), null, found.get(0))));
  }

  private ParsedActions formatError(String error) {
    return new ParsedActions.FormatError(prompts.toolCallError(error));
  }

  private static String toJson(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return String.valueOf(v);
    }
  }
}
