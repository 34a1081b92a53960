package io.twinrouter.agent.loop;

import java.util.Locale;

/** How the model states its actions: OpenAI tool calls (the official default) or fenced text. */
public enum ActionFormat {
  TOOL_CALLS,
  TEXT;

  public static ActionFormat fromName(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "tool-calls", "tool_calls", "toolcalls" -> TOOL_CALLS;
      case "text" -> TEXT;
      default -> throw new IllegalArgumentException(
          "unknown action-format '" + name + "' (expected tool-calls or text)");
    };
  }
}
