package io.twinrouter.agent.loop;

import java.util.List;
import java.util.Map;

/** What a model response asked for: commands to run, or a format error to tell the model. */
public sealed interface ParsedActions {

  record Commands(List<Action> actions) implements ParsedActions {
    public Commands {
      actions = List.copyOf(actions);
    }
  }

  /**
   * @param feedback the rendered format-error message the model receives as a user message
   * @param details extra bookkeeping for the message's {@code extra} block (text mode: how many
   *     blocks were found and the answer itself, as mini keeps them)
   */
  record FormatError(String feedback, Map<String, Object> details) implements ParsedActions {
    public FormatError(String feedback) {
      this(feedback, Map.of());
    }
  }
}
