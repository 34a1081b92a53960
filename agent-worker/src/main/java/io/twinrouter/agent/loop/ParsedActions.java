package io.twinrouter.agent.loop;

import java.util.List;

/** What a model response asked for: commands to run, or a format error to tell the model. */
public sealed interface ParsedActions {

  record Commands(List<Action> actions) implements ParsedActions {
    public Commands {
      actions = List.copyOf(actions);
    }
  }

  /** @param feedback the rendered format-error message the model receives as a user message */
  record FormatError(String feedback) implements ParsedActions {}
}
